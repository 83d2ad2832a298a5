"""The package-shape figures of the reshaping issue, measured on the working tree (printed, nothing asserted):
stage modules that import other stage modules, hand-written functions over 50 lines or over 10 parameters, lines over
120 characters in the package and notebooks, and the median length of exported notebook cells.

    python bench/structure.py
"""
import ast, json, re, statistics
from pathlib import Path

ROOT = Path(__file__).parent.parent
PKG = ROOT / 'latentwire'


def modules() -> dict:
    return {p.stem: p.read_text() for p in sorted(PKG.glob('*.py')) if p.name != '_modidx.py'}


def stage_imports(mods:dict) -> list:
    "(module, imported stage module) for every stage module that imports another stage module."
    out = []
    for name, src in mods.items():
        if not name.startswith('stage'): continue
        for other in re.findall(r'from \.(stage\d)\b|from latentwire\.(stage\d)\b', src):
            out += [(name, o) for o in other if o and o != name]
    return sorted(set(out))


def long_functions(mods:dict, max_lines:int=50, max_params:int=10) -> list:
    "(module.function, lines, parameters) of every function over either limit."
    out = []
    for name, src in mods.items():
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = node.args
                params = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs) - bool(a.args and a.args[0].arg in ('self', 'cls'))
                lines = node.end_lineno - node.lineno + 1
                if lines > max_lines or params > max_params: out.append((f'{name}.{node.name}', lines, params))
    return sorted(out, key=lambda t: -max(t[1], 5 * t[2]))


def exported_cells() -> list:
    "Line counts of the notebooks' exported code cells."
    out = []
    for nb in sorted((ROOT / 'nbs').glob('*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            src = ''.join(c['source'])
            if c['cell_type'] == 'code' and src.startswith('#| export'): out.append(len(src.splitlines()) - 1)
    return out


def long_lines(limit:int=120) -> tuple[int, int]:
    "(lines over `limit` characters, all lines) in the package and the notebooks' sources."
    lines = [l for src in modules().values() for l in src.splitlines()]
    for nb in (ROOT / 'nbs').glob('*.ipynb'):
        lines += [l for c in json.loads(nb.read_text())['cells'] for l in ''.join(c['source']).splitlines()]
    return sum(len(l) > limit for l in lines), len(lines)


if __name__ == '__main__':
    mods = modules()
    imports, funcs, cells, (over, total) = stage_imports(mods), long_functions(mods), exported_cells(), long_lines()
    print(f"stage modules importing stage modules: {len(imports)}  {imports}")
    print(f"functions over 50 lines or 10 parameters: {len(funcs)}")
    for f, n, k in funcs: print(f"  {f:<40} {n:>4} lines {k:>3} parameters")
    print(f"lines over 120 characters: {over} of {total} ({100 * over / total:.1f} %)")
    print(f"exported cells: {len(cells)}, median {statistics.median(cells):.0f} lines")
