"""Faults a long run must survive: killed with SIGKILL mid-training, it resumes to the same result as an uninterrupted run."""
import json, signal, subprocess, sys, time
from safetensors.torch import load_file
import torch


def stage1_args(data, out):
    return [sys.executable, '-m', 'latentwire', 'stage1', '--model', 'tiny-qwen2', '--device', 'cpu', '--data', str(data), '--n', '3',
            '--samples', '6', '--eval_n', '2', '--steps', '300', '--eval_every', '10', '--batch_size', '2', '--compress_dim', '8',
            '--style', 'chat', '--max_new_tokens', '2', '--quiet', '--out', str(out)]


def test_sigkill_then_resume_matches_uninterrupted(tmp_path):
    data = tmp_path / 'qa.jsonl'
    data.write_text('\n'.join(json.dumps(dict(id=str(i), question=f'Who has item {i}?', context=f'{n} has item {i}.', answers=[n]))
                              for i, n in enumerate(['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal', 'Ivy', 'Jo'])))
    subprocess.run(stage1_args(data, tmp_path / 'whole'), check=True, capture_output=True)
    run = subprocess.Popen(stage1_args(data, tmp_path / 'cut'), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    last = tmp_path / 'cut' / 'tiny-qwen2' / 'last.json'
    deadline = time.time() + 300
    while time.time() < deadline and run.poll() is None:
        if last.exists():
            try: step = json.loads(last.read_text())['step']
            except ValueError: step = 0  # caught between write and rename: never, the write is atomic; kept for safety
            if step >= 50: break
        time.sleep(0.02)
    run.kill(); run.wait()
    cut = tmp_path / 'cut' / 'tiny-qwen2'
    assert not (cut / 'metrics.json').exists(), 'the run finished before it could be killed: make it longer'
    killed_at = json.loads(last.read_text())['step']
    assert 50 <= killed_at < 300
    subprocess.run(stage1_args(data, tmp_path / 'cut') + ['--resume'], check=True, capture_output=True)
    whole = tmp_path / 'whole' / 'tiny-qwen2'
    a, b = load_file(str(whole / 'last.safetensors')), load_file(str(cut / 'last.safetensors'))
    assert set(a) == set(b)
    assert all(torch.equal(a[k], b[k]) for k in a if k.startswith('wire.')), 'resumed weights differ from the uninterrupted run'
    ma, mb = (json.loads((d / 'metrics.json').read_text()) for d in (whole, cut))
    assert ma['trained'] == {**mb['trained'], 'examples_per_s': ma['trained']['examples_per_s']}


def test_nothing_is_unpickled_and_no_remote_code_runs():
    "Checkpoints are safetensors; no torch.load (pickle) and no trust_remote_code anywhere in the package."
    from pathlib import Path
    import latentwire
    sources = {p.name: p.read_text() for p in Path(latentwire.__file__).parent.glob('*.py')}
    found = [(name, word) for name, text in sources.items() for word in ('torch.load(', 'import pickle', 'trust_remote_code=True') if word in text]
    assert not found, found


def test_sigint_keeps_finished_baselines_and_resume_runs_the_rest(tmp_path):
    "Ctrl-C during `latentwire baseline`: one line, exit 130, finished methods kept; `--resume` runs only the others."
    data = tmp_path / 'qa.jsonl'
    data.write_text('\n'.join(json.dumps(dict(id=str(i), title=f'a{i % 3}', question=f'Who has item {i}?', context=f'{n} has item {i}.',
                                              answers=[n])) for i, n in enumerate(['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo'] * 5)))
    out = tmp_path / 'run'
    args = [sys.executable, '-m', 'latentwire', 'baseline', '--model', 'tiny-llama', '--device', 'cpu', '--data', str(data),
            '--n', 'all', '--styles', 'plain', '--methods', 'text,context_cut,no_context', '--cut_lens', ','.join(map(str, range(2, 14))),
            '--batch_size', '1', '--max_new_tokens', '4', '--quiet', '--out', str(out)]
    job = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and job.poll() is None:
        if (out / 'methods.jsonl').exists() and len((out / 'methods.jsonl').read_text().splitlines()) >= 2: break
        time.sleep(0.02)
    job.send_signal(signal.SIGINT)
    _, err = job.communicate(timeout=120)
    assert job.returncode == 130, err
    assert err.strip().count('\n') == 0 and '--resume' in err and 'Traceback' not in err
    kept = [json.loads(l) for l in (out / 'methods.jsonl').read_text().splitlines()]
    assert 2 <= len(kept) < 14, 'the job finished before it could be stopped: make it longer'
    resumed = subprocess.run(args + ['--resume'], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    printed = [l for l in resumed.stdout.splitlines() if ' F1 ' in l]
    assert len(printed) == 14 - len(kept)  # only the methods left over ran (and printed their line)
    final = json.loads((out / 'metrics.json').read_text())
    assert len(final) == 14 and len({(m['method'], m.get('latent_len')) for m in final}) == 14
    rows = [json.loads(l) for l in (out / 'predictions.jsonl').read_text().splitlines()]
    assert len(rows) == 14 * 30


def test_a_method_stopped_mid_way_goes_on_from_its_saved_answers(tmp_path):
    "Ctrl-C inside a method: `--resume` generates only the questions after its last saved chunk, and answers as one run."
    data = tmp_path / 'qa.jsonl'
    data.write_text('\n'.join(json.dumps(dict(id=str(i), title=f'a{i % 3}', question=f'Who has item {i}?', context=f'{n} has item {i}.',
                                              answers=[n])) for i, n in enumerate(['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo'] * 8)))
    args = [sys.executable, '-m', 'latentwire', 'baseline', '--model', 'tiny-llama', '--device', 'cpu', '--data', str(data),
            '--n', 'all', '--styles', 'plain', '--methods', 'text', '--batch_size', '1', '--max_new_tokens', '8', '--quiet']
    out = tmp_path / 'run'
    job = subprocess.Popen(args + ['--out', str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and job.poll() is None:  # the first chunk (16 batches of 1) saved
        if (out / 'partial.jsonl').exists() and len((out / 'partial.jsonl').read_text().splitlines()) >= 16: break
        time.sleep(0.02)
    job.send_signal(signal.SIGINT)
    _, err = job.communicate(timeout=120)
    assert job.returncode == 130, err
    saved = len((out / 'partial.jsonl').read_text().splitlines())
    assert 16 <= saved < 48 and not (out / 'methods.jsonl').read_text(), 'the method finished before it could be stopped'
    resumed = subprocess.run(args + ['--out', str(out), '--resume'], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f'{48 - saved} answers to generate' in resumed.stdout  # only the questions not saved
    assert not (out / 'partial.jsonl').exists()  # all finished: the answers are in predictions.jsonl
    subprocess.run(args + ['--out', str(tmp_path / 'whole')], capture_output=True, check=True)  # one run through
    read = lambda d: sorted((r['id'], r['generation']) for r in map(json.loads, (d / 'predictions.jsonl').read_text().splitlines()))
    assert read(out) == read(tmp_path / 'whole') and len(read(out)) == 48
