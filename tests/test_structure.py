"""The package's shape, checked: the measured targets of the reshaping issue stay met (`python bench/structure.py`
prints the figures)."""
import importlib.util, statistics
from pathlib import Path

spec = importlib.util.spec_from_file_location('structure', Path(__file__).parent.parent / 'bench' / 'structure.py')
structure = importlib.util.module_from_spec(spec); spec.loader.exec_module(structure)


def test_no_stage_module_imports_another():
    assert structure.stage_imports(structure.modules()) == []


def test_the_check_sees_a_stage_import():
    assert structure.stage_imports({'stage3': 'from .stage1 import PCA\n', 'stage4': 'from latentwire.stage3 import x\n'}) == [
        ('stage3', 'stage1'), ('stage4', 'stage3')]


def test_no_function_over_50_lines_or_10_parameters():
    assert structure.long_functions(structure.modules()) == []


def test_the_check_sees_a_long_function():
    src = ('def wide(a, b, c, d, e, f, g, h, i, j, k): pass\n'
           'class C:\n    def ok(self, a, b, c, d, e, f, g, h, i, j): pass\n'
           'def tall():\n' + '    x = 1\n' * 50)
    assert structure.long_functions({'m': src}) == [('m.wide', 1, 11), ('m.tall', 51, 0)]


def test_few_lines_over_120_characters():
    over, total = structure.long_lines()
    assert over / total < 0.03, f"{over} of {total} lines are over 120 characters"


def test_short_exported_cells():
    assert statistics.median(structure.exported_cells()) <= 10
