"""The installed `latentwire` command."""
import json, os, subprocess, sys


def run(*args):
    return subprocess.run([sys.executable, '-m', 'latentwire', *args], capture_output=True, text=True)


def test_help_lists_commands():
    r = run('--help')
    assert r.returncode == 0 and all(c in r.stdout for c in ('baseline', 'models', 'results'))


def test_models_list_names_both_reference_receivers():
    r = run('models', 'list')
    assert r.returncode == 0 and 'smollm2-135m' in r.stdout and 'qwen2.5-coder-0.5b' in r.stdout


def test_unknown_model_offline_says_how_to_fix(tmp_path):
    data = tmp_path / 'qa.jsonl'
    data.write_text(json.dumps(dict(id='1', question='Who?', context='Ann.', answers=['Ann'])) + '\n')
    r = subprocess.run([sys.executable, '-m', 'latentwire', 'baseline', '--model', 'no-such-org/no-such-model', '--data', str(data),
                        '--n', '1', '--styles', 'chat', '--out', str(tmp_path / 'run')],
                       capture_output=True, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'})
    assert r.returncode == 2
    assert 'local transformers folder' in r.stderr and 'Traceback' not in r.stderr


def test_bad_data_line_is_named(tmp_path):
    data = tmp_path / 'qa.jsonl'
    data.write_text('{"question": "Q", "context": "C", "answers": ["a"]}\n{"question": "Q", "context": "", "answers": ["a"]}\n')
    r = run('baseline', '--model', 'tiny-llama', '--data', str(data), '--out', str(tmp_path / 'run'))
    assert r.returncode == 2 and f'{data}:2' in r.stderr and "'context'" in r.stderr
