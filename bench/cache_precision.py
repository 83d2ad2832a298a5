"""Is a float16 cache of the converted receivers lossless enough? The GGUF weights dequantised to float32 (today's cache)
against the same weights rounded to float16 and read back as float32: largest weight change, and on N test questions the
share of identical greedy answers and the F1 of both (the receiver's own text style). Prints one line per receiver.

    python bench/cache_precision.py [--models smollm2-135m,qwen2.5-coder-0.5b] [--n 50] [--dtype float16]
"""
import argparse, copy, time
import torch
from latentwire.baselines import evaluate, style_format
from latentwire.data import load_qa
from latentwire.receivers import FrozenLM, best_style


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--models', default='smollm2-135m,qwen2.5-coder-0.5b')
    p.add_argument('--n', type=int, default=50)
    p.add_argument('--dtype', default='float16', choices=['float16', 'bfloat16'])
    a = p.parse_args()
    examples, pool = load_qa('squad', 'test', a.n), load_qa('squad', 'train')
    for name in a.models.split(','):
        lm = FrozenLM.load(name, device='cpu', dtype=torch.float32)
        rounded = copy.deepcopy(lm.model).to(getattr(torch, a.dtype)).float()
        worst = max((w.float() - r).abs().max().item() / max(w.abs().max().item(), 1e-12)
                    for w, r in zip(lm.model.state_dict().values(), rounded.state_dict().values()) if w.is_floating_point())
        fmt = style_format(lm, best_style(lm), pool)
        t0 = time.perf_counter()
        m32, r32 = evaluate(lm, examples, 'text', fmt, batch_size=8, max_new_tokens=16, nll=False)
        m16, r16 = evaluate(FrozenLM(rounded, lm.tokenizer, name), examples, 'text', fmt, batch_size=8, max_new_tokens=16, nll=False)
        same = sum(x['generation'] == y['generation'] for x, y in zip(r32, r16)) / len(r32)
        size = sum(v.numel() for v in lm.model.state_dict().values()) * 2 / 2**30
        print(f"{name:>20}  {a.dtype} cache: {size:.2f} GiB instead of {2 * size:.2f}; largest weight change {worst:.1e} of the tensor's max; "
              f"identical answers {100 * same:.0f} % of {len(r32)}; F1 {m32['f1']:.1f} (float32) vs {m16['f1']:.1f}  ({time.perf_counter() - t0:.0f} s)", flush=True)


if __name__ == '__main__': main()
