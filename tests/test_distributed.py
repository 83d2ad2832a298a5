"""Two processes (torchrun, gloo on CPU) train the same run as one process with the same global batch: same curves, same weights."""
import json, subprocess, sys
import pytest
from safetensors.torch import load_file

NAMES = ['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal', 'Ivy', 'Jo']
COMMON = ['--model', 'tiny-qwen2', '--device', 'cpu', '--n', '4', '--samples', '8', '--eval_n', '2', '--steps', '12', '--eval_every', '6',
          '--batch_size', '4', '--style', 'chat', '--max_new_tokens', '2', '--quiet']
STAGES = {'stage1': ['--compress_dim', '8'],
          'stage3': ['--encoder', 'bytes', '--byte_ngrams', '64', '--d_z', '16', '--latent_len', '4', '--adapter_hidden', '32', '--encoder_dropout', '0',
                     '--pretrain_steps', '5', '--controls', 'false', '--adapter_lr', '1e-2', '--encoder_lr', '1e-2'],
          'stage4': ['--encoder', 'bytes', '--byte_ngrams', '64', '--d_z', '16', '--latent_len', '4', '--adapter_hidden', '32', '--encoder_dropout', '0',
                     '--pretrain_steps', '3', '--adapter_lr', '1e-2', '--encoder_lr', '1e-2']}
FOLDER = {'stage4': 'tiny-llama+tiny-qwen2'}  # stage 4 trains one wire for both receivers


def launch(processes, args):
    "`python -m latentwire ARGS` in one process, or under torchrun in several (`--` keeps torchrun from reading our flags)."
    if processes == 1: return [sys.executable, '-m', 'latentwire', *args]
    return [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(processes), '-m', 'latentwire', '--', *args]


def losses(run, name='log.jsonl', key='loss'):
    return [r[key] for r in map(json.loads, (run / name).read_text().splitlines()) if key in r]


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp('qa') / 'qa.jsonl'
    path.write_text('\n'.join(json.dumps(dict(id=str(i), question=f'Who has item {i}?', context=f'{n} has item {i}.', answers=[n]))
                              for i, n in enumerate(NAMES)))
    return path


@pytest.mark.parametrize('stage', list(STAGES))
def test_two_processes_match_one(stage, data, tmp_path):
    runs, printed = {}, {}
    for k in (1, 2):
        out = tmp_path / f'p{k}'
        args = [stage, *COMMON, *STAGES[stage], '--data', str(data), '--out', str(out)]
        if stage == 'stage4': args[args.index('--model') + 1] = 'tiny-llama,tiny-qwen2'
        r = subprocess.run(launch(k, args), capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[-3000:]
        runs[k], printed[k] = out / FOLDER.get(stage, 'tiny-qwen2'), r.stdout
    assert printed[1].count(' F1 ') == printed[2].count(' F1 ') > 0  # results are printed by the main process alone
    one, two = runs[1], runs[2]
    for run in (one, two):  # a kept run log names what made it
        m = json.loads((run / 'metrics.json').read_text())
        assert m['command'].startswith(('latentwire ' if run is one else 'accelerate launch --num_processes 2 -m latentwire ') + stage) and m['date'] and m['device']
        assert 0 <= m['f1'] <= 100
    assert 'rng.torch.1' in load_file(str(two / 'last.safetensors')), 'the second process never joined: not a 2-process run'
    assert losses(one) == pytest.approx(losses(two), rel=1e-3)
    if stage != 'stage1': assert losses(one, 'pretrain.jsonl', 'align') == pytest.approx(losses(two, 'pretrain.jsonl', 'align'), rel=1e-3)
    a, b = load_file(str(one / 'last.safetensors')), load_file(str(two / 'last.safetensors'))
    assert all((a[k] - b[k]).abs().max() < 1e-3 for k in a if k.startswith('wire.'))
    preds = [[json.loads(l) for l in (d / 'predictions.jsonl').read_text().splitlines()] for d in (one, two)]
    assert preds[0] == preds[1] and len(preds[0]) == 4  # the evaluation is split over the processes and gathered back in order


def test_batch_must_split_evenly(data, tmp_path):
    args = ['stage1', *COMMON, *STAGES['stage1'], '--data', str(data), '--out', str(tmp_path / 'odd')]
    args[args.index('--batch_size') + 1] = '3'
    r = subprocess.run(launch(2, args), capture_output=True, text=True)
    assert r.returncode != 0 and 'must be divisible by the number of processes (2)' in r.stderr


def test_two_processes_killed_then_resumed_match_uninterrupted(data, tmp_path):
    "SIGKILL to the whole 2-process run mid-training; `--resume` in 2 processes ends where an uninterrupted 2-process run ends."
    import os, signal, time, torch
    args = lambda out: launch(2, ['stage1', *COMMON, *STAGES['stage1'], '--data', str(data), '--out', str(out), '--steps', '150', '--eval_every', '10'])
    r = subprocess.run(args(tmp_path / 'whole'), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    run = subprocess.Popen(args(tmp_path / 'cut'), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    last, deadline = tmp_path / 'cut' / 'tiny-qwen2' / 'last.json', time.time() + 300
    while time.time() < deadline and run.poll() is None:
        if last.exists() and json.loads(last.read_text())['step'] >= 40: break
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGKILL); run.wait()
    cut = tmp_path / 'cut' / 'tiny-qwen2'
    assert not (cut / 'metrics.json').exists(), 'the run finished before it could be killed: make it longer'
    assert 40 <= json.loads(last.read_text())['step'] < 150
    r = subprocess.run(args(tmp_path / 'cut') + ['--resume'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = load_file(str(tmp_path / 'whole' / 'tiny-qwen2' / 'last.safetensors')), load_file(str(cut / 'last.safetensors'))
    assert 'rng.torch.1' in b and set(a) == set(b)
    assert all(torch.equal(a[k], b[k]) for k in a if k.startswith('wire.')), 'resumed weights differ from the uninterrupted run'


def test_devices_flag_refused_under_several_processes(data, tmp_path):
    args = ['stage4', *COMMON, '--data', str(data), '--out', str(tmp_path / 'x'), '--devices', 'cpu,cpu']
    args[args.index('--model') + 1] = 'tiny-llama,tiny-qwen2'
    r = subprocess.run(launch(2, args), capture_output=True, text=True)
    assert r.returncode != 0 and 'under accelerate launch each process holds every receiver' in r.stderr
