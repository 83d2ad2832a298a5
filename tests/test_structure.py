"""The package's shape, checked: the targets of the reshaping issue that are met stay met (the others are printed by
`python bench/structure.py` until they are)."""
import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location('structure', Path(__file__).parent.parent / 'bench' / 'structure.py')
structure = importlib.util.module_from_spec(spec); spec.loader.exec_module(structure)


def test_no_stage_module_imports_another():
    assert structure.stage_imports(structure.modules()) == []


def test_the_check_sees_a_stage_import():
    assert structure.stage_imports({'stage3': 'from .stage1 import PCA\n', 'stage4': 'from latentwire.stage3 import x\n'}) == [
        ('stage3', 'stage1'), ('stage4', 'stage3')]
