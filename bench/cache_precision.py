"""Is the float16 cache of the converted receivers lossless enough? The GGUF weights dequantised straight to float32 (no
cache) against the receiver as the library loads it (the float16 cache, read back as float32): largest weight change, and
on N test questions the share of identical greedy answers and the F1 of both (the receiver's own text style).

    python bench/cache_precision.py [--models smollm2-135m,qwen2.5-coder-0.5b] [--n 50] [--out OUT.json]
"""
import argparse, json, time
from datetime import date
from pathlib import Path
import torch
from latentwire.baselines import Decoding, evaluate, style_format
from latentwire.data import load_qa
from transformers import AutoModelForCausalLM
from latentwire.receivers import FrozenLM, REFERENCE_MODELS, best_style, models_dir, _dtype_kw


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--models', default='smollm2-135m,qwen2.5-coder-0.5b')
    p.add_argument('--n', type=int, default=50)
    p.add_argument('--out', default=None, help='also write the figures as JSON (e.g. results/bench/cache-precision.json)')
    a = p.parse_args()
    rows = []
    examples, pool = load_qa('squad', 'test', a.n), load_qa('squad', 'train')
    for name in a.models.split(','):
        gguf = models_dir()/REFERENCE_MODELS[name]['file']
        exact = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, **_dtype_kw(torch.float32)).eval()
        lm = FrozenLM.load(name, device='cpu', dtype=torch.float32)  # through the cache
        cached, truth = lm.model.state_dict(), exact.state_dict()
        worst = max((truth[k].float() - v).abs().max().item() / max(truth[k].abs().max().item(), 1e-12) for k, v in cached.items() if v.is_floating_point())
        fmt, ref = style_format(lm, best_style(lm), pool), FrozenLM(exact, lm.tokenizer, name)
        t0 = time.perf_counter()
        m32, r32 = evaluate(ref, examples, 'text', fmt, decoding=Decoding(8, 16), nll=False)
        m16, r16 = evaluate(lm, examples, 'text', fmt, decoding=Decoding(8, 16), nll=False)
        same = sum(x['generation'] == y['generation'] for x, y in zip(r32, r16)) / len(r32)
        size = sum(v.numel() for v in cached.values()) * 2 / 2**30
        print(f"{name:>20}  float16 cache: {size:.2f} GiB instead of {2 * size:.2f}; largest weight change {worst:.1e} of the tensor's max; "
              f"identical answers {100 * same:.0f} % of {len(r32)}; F1 {m32['f1']:.1f} (float32) vs {m16['f1']:.1f}  ({time.perf_counter() - t0:.0f} s)", flush=True)
        rows.append(dict(receiver=name, dtype='float16', cache_gib=size, float32_gib=2 * size, worst_relative_change=worst, n=len(r32),
                         identical_answers=same, f1_float32=m32['f1'], f1_cached=m16['f1']))
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out).write_text(json.dumps(dict(date=date.today().isoformat(), split='test', command='python bench/cache_precision.py '
                                               f'--models {a.models} --n {a.n} --out {a.out}', rows=rows), indent=1) + '\n')


if __name__ == '__main__': main()
