"""Every command stored in a result record (and every designated recipe) still parses with today's command line:
anyone can re-run any record, whatever the package has become since."""
import json, shlex
from pathlib import Path
import pytest
from latentwire.cli import parser, _check

RESULTS = Path(__file__).parent.parent / 'results'


def stored_commands():
    recs = [json.loads(p.read_text()) for p in sorted(RESULTS.glob('*.json')) if p.name != 'recipes.json']
    recipes = json.loads((RESULTS / 'recipes.json').read_text())
    designated = [s for st in recipes.values() for s in st.values()]
    soft_prompts = [c for s in designated for c in s.get('soft_prompts', {}).values()]  # chosen on dev, stage 0
    return sorted({r['command'] for r in recs} | {s['command'] for s in designated + soft_prompts})


def latentwire_argv(command:str) -> list[str]:
    "The arguments after `latentwire` (or after `accelerate launch ... -m latentwire`)."
    words = shlex.split(command)
    return words[words.index('latentwire') + 1:]


@pytest.mark.parametrize('command', stored_commands())
def test_stored_command_parses(command):
    p = parser()
    a = p.parse_args(latentwire_argv(command))
    _check(p, a)  # the checks the command runs before loading anything
    assert callable(a.func)


def test_a_changed_flag_would_be_caught():
    with pytest.raises(SystemExit):
        parser().parse_args(latentwire_argv('latentwire stage3 --model x --no_such_flag 1'))
