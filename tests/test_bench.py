"""`bench/bench.py` on a tiny stage-3 run: the script runs on CPU, writes its JSON, and times the text path in the prompt asked for."""
import json, subprocess, sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / 'bench' / 'bench.py'


def test_bench_times_both_paths_with_another_text_prompt(tmp_path):
    data = tmp_path / 'qa.jsonl'
    data.write_text('\n'.join(json.dumps(dict(id=str(i), question=f'Who is {w}?', context=f'{w} is a cat. ' * (6 + 2 * i), answers=[w]))  # prompts of several lengths
                              for i, w in enumerate(['Tom', 'Kit', 'Max', 'Ivy'])))
    train = [sys.executable, '-m', 'latentwire', 'stage3', '--model', 'tiny-llama', '--device', 'cpu', '--data', str(data), '--n', '2',
             '--samples', '2', '--eval_n', '1', '--steps', '1', '--batch_size', '2', '--eval_every', '1', '--latent_len', '8', '--d_z', '16',
             '--layers', '1', '--adapter_hidden', '32', '--pretrain_steps', '1', '--max_new_tokens', '2', '--style', 'chat',
             '--controls', 'false', '--out', str(tmp_path / 'runs'), '--quiet']
    assert subprocess.run(train, capture_output=True, text=True).returncode == 0
    out = tmp_path / 'bench.json'
    r = subprocess.run([sys.executable, str(BENCH), str(tmp_path / 'runs' / 'tiny-llama'), '--data', str(data), '--n', '4',
                        '--batch_sizes', '1,2', '--repeats', '1', '--max_new_tokens', '2', '--text_style', 'fewshot', '--decode', 'eager,static,static-fixed', '--out', str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    b = json.loads(out.read_text())
    assert (b['text_style'], b['wire_style']) == ('fewshot', 'chat') and set(b['latency']) == {'1', '2'}
    lat = b['latency']['2']
    assert lat['prompt_positions_text'] > lat['prompt_positions_wire']  # four worked examples against none
    assert lat['speedup_end_to_end'] == lat['text_end_to_end'] / lat['wire_end_to_end'] > 0
    assert all(0 <= lat[f'decode_steps_{p}'] <= 1 for p in ('text', 'wire'))
    for mode in ('static', 'static-fixed'):  # the static-cache paths are timed only where they answer exactly as the eager one
        static = b[f'latency_{mode}']['2']  # --max_new_tokens 2: the first token comes from the prompt pass
        assert static['static_answers_match_text'] == static['static_answers_match_wire'] == 1.0 and static['text_end_to_end'] > 0


def test_bench_refuses_an_unknown_decoding():
    r = subprocess.run([sys.executable, str(BENCH), 'no-run', '--decode', 'eager,turbo'], capture_output=True, text=True)
    assert r.returncode == 2 and 'static-fixed' in r.stderr
