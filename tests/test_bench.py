"""`bench/bench.py` on a tiny stage-3 run: the script runs on CPU, writes its JSON, and times the text path in the
prompt asked for; with equal heads, a cached few-shot head answers exactly as the uncached prompt does."""
import importlib.util, json, subprocess, sys
from pathlib import Path
import pytest, torch
from latentwire.data import QAExample
from latentwire.receivers import FrozenLM, make_format

BENCH = Path(__file__).parent.parent / 'bench' / 'bench.py'


def load_bench():
    spec = importlib.util.spec_from_file_location('bench', BENCH)
    module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def tiny_run(tmp_path_factory):
    "A one-step stage-3 run of tiny-llama (chat style) and its data file: `(run folder, data file)`."
    tmp = tmp_path_factory.mktemp('bench')
    data = tmp / 'qa.jsonl'
    data.write_text('\n'.join(json.dumps(dict(id=str(i), question=f'Who is {w}?', context=f'{w} is a cat. ' * (6 + 2 * i), answers=[w]))  # prompts of several lengths
                              for i, w in enumerate(['Tom', 'Kit', 'Max', 'Ivy'])))
    train = [sys.executable, '-m', 'latentwire', 'stage3', '--model', 'tiny-llama', '--device', 'cpu', '--data', str(data), '--n', '2',
             '--samples', '2', '--eval_n', '1', '--steps', '1', '--batch_size', '2', '--eval_every', '1', '--latent_len', '8', '--d_z', '16',
             '--layers', '1', '--adapter_hidden', '32', '--pretrain_steps', '1', '--max_new_tokens', '2', '--style', 'chat',
             '--controls', 'false', '--out', str(tmp / 'runs'), '--quiet']
    assert subprocess.run(train, capture_output=True, text=True).returncode == 0
    return tmp / 'runs' / 'tiny-llama', data


def bench(run, data, out, *args):
    cmd = [sys.executable, str(BENCH), str(run), '--data', str(data), '--n', '4', '--batch_sizes', '1,2',
           '--repeats', '1']
    return subprocess.run([*cmd, '--out', str(out), *args], capture_output=True, text=True)


def test_bench_times_both_paths_with_another_text_prompt(tiny_run, tmp_path):
    out = tmp_path / 'bench.json'
    r = bench(*tiny_run, out, '--max_new_tokens', '2', '--text_style', 'fewshot',
              '--decode', 'eager,static,static-fixed', '--heads', 'none')
    assert r.returncode == 0, r.stderr[-2000:]
    b = json.loads(out.read_text())
    assert (b['text_style'], b['wire_style']) == ('fewshot', 'chat') and set(b['latency']) == {'1', '2'}
    assert 'equal_heads' not in b
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
    r = subprocess.run([sys.executable, str(BENCH), 'no-run', '--heads', 'zero,twoshot'], capture_output=True,
                       text=True)
    assert r.returncode == 2 and '--heads' in r.stderr


@pytest.mark.parametrize('arch', ['llama', 'qwen2'])
def test_cached_head_answers_as_the_uncached_prompt(arch):
    "Text and float (wire) suffixes of several lengths in one batch: the same first logits and tokens, head cached."
    bench_ = load_bench()
    lm = FrozenLM.load(f'tiny-{arch}', device='cpu')
    shots = [QAExample(str(i), f'Who is {w}?', f'{w} is a cat.', [w]) for i, w in enumerate(['Tom', 'Kit'])]
    fmt = make_format(lm.tokenizer, 'fewshot', shots=shots)
    text = bench_.text_seqs(lm, fmt, [QAExample(str(i), 'Who?', 'A cat. ' * (1 + 3 * i), ['x']) for i in range(4)])
    torch.manual_seed(0)
    wire = [[head, torch.randn(n, lm.d_model) * 0.1, anchor] for (head, _, anchor), n in zip(text, (3, 11, 1, 6))]
    cached = bench_.CachedHead(lm, torch.tensor(lm.prompt_ids(fmt, '')[0]))
    for seqs in (text, wire, text[:1]):
        (toks, first), (toks0, first0) = cached.greedy(seqs, 8), lm.greedy(lm.assemble(seqs), 8)
        assert toks == toks0 and torch.allclose(first, first0, atol=1e-4)
    assert cached.cache.get_seq_length() == len(cached.head)  # decoding left the head's own cache as it was
    with pytest.raises(ValueError): cached.greedy([[torch.tensor([1, 2])] + text[0][1:]], 2)


def test_bench_equal_heads(tiny_run, tmp_path):
    out = tmp_path / 'heads.json'
    r = bench(*tiny_run, out, '--max_new_tokens', '4', '--heads', 'zero,fewshot', '--decode', 'none')
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'zero-shot both' in r.stdout and '4-shot both, head cached' in r.stdout
    b = json.loads(out.read_text())
    assert 'latency' not in b and {'device', 'torch', 'transformers', 'equal_heads_note'} <= set(b)
    zero, few = b['equal_heads']['zero'], b['equal_heads']['fewshot']
    assert (zero['style'], few['style']) == ('chat', 'fewshot')  # the run is chat: trained under the zero-shot head
    assert (zero['wire_trained_head'], few['wire_trained_head']) == (True, False)
    assert (zero['head_cached'], few['head_cached']) == (False, True) and few['head_positions'] > zero['head_positions']
    for r in (zero, few):
        assert set(r['by_batch']) == {'1', '2'} and {'text_f1', 'wire_f1', 'answer_agreement'} <= set(r['quality'])
        for t in r['by_batch'].values():
            assert t['ratio_text_over_wire'] == t['text_s_per_batch'] / t['wire_s_per_batch'] > 0
    for t in few['by_batch'].values():  # the head is prefilled once, not per question, and answers as uncached
        assert t['cached_answers_match_text'] == t['cached_answers_match_wire'] == 1.0
        assert t['prefilled_positions_wire'] == t['prompt_positions_wire'] - few['head_positions']
