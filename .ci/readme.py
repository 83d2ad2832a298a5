"""Render README.md from nbs/index.ipynb with nbconvert (Quarto is not needed): the notebook runs in nbs/, cells marked
`#| echo: false` show their output only, `#| hide` cells nothing; images go to README_files/.

    python .ci/readme.py
"""
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter
from nbconvert.preprocessors import ExecutePreprocessor, TagRemovePreprocessor

root = Path(__file__).resolve().parent.parent
nb = nbformat.read(root/'nbs'/'index.ipynb', 4)
ExecutePreprocessor(timeout=900).preprocess(nb, {'metadata': {'path': str(root/'nbs')}})
for c in nb.cells:
    if c.cell_type == 'code' and '#| hide' in c.source: c.metadata['tags'] = ['remove_cell']
    elif c.cell_type == 'code' and '#| echo: false' in c.source: c.metadata['tags'] = ['remove_input']
exporter = MarkdownExporter()
exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={'remove_cell'}, remove_input_tags={'remove_input'}, enabled=True), enabled=True)
body, resources = exporter.from_notebook_node(nb, resources={'output_files_dir': 'README_files'})
for name, data in resources.get('outputs', {}).items():
    (root/name).parent.mkdir(parents=True, exist_ok=True); (root/name).write_bytes(data)
(root/'README.md').write_text(body)
print(f"README.md: {len(body.encode()):,} bytes, {len(resources.get('outputs', {}))} image(s)")
