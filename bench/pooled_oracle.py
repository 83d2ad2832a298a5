"""What a frozen receiver reads from the means of k consecutive embeddings of its own context tokens, the question as
text after them: the ceiling of a pooled wire whose readers learn to write exactly those means (no training here).

    python bench/pooled_oracle.py --model smollm2-135m --n 100 --ks 1,2,4 [--out results/bench/pooled-oracle-smollm2-135m.json]

k = 1 is the text itself in the wire's layout; "closed book" reads the question alone. Each k > 1 runs twice: the plain
means, and the means rescaled to the RMS of the embeddings they average (a mean of unrelated vectors is shorter than
they are). Dev questions (from train-split articles), the receiver's dev-chosen text style, float32, CPU is enough.
"""
import argparse, datetime, json, sys
from pathlib import Path
import torch
from torch import nn
from latentwire.baselines import style_format
from latentwire.data import load_qa
from latentwire.pooled import group_means, questions_after
from latentwire.receivers import FrozenLM, pad_ids
from latentwire.training import evaluate_wire

STYLE = {'smollm2-135m': 'plain_fewshot', 'qwen2.5-coder-0.5b': 'fewshot'}  # each receiver's text style chosen on dev


class MeanedContext(nn.Module):
    "The receiver's own embeddings of 'Context: …', averaged k tokens at a time (k = 0: no context at all)."
    def __init__(self, lm:FrozenLM, k:int, rescale:bool=False):
        super().__init__()
        self.lm, self.k, self.rescale = lm, k, rescale

    def forward(self, examples:list) -> tuple[torch.Tensor, torch.Tensor]:
        ids, mask = pad_ids([self.lm.encode(f"Context: {ex.context}") for ex in examples], 0, self.lm.device)
        if self.k == 0: mask = torch.zeros_like(mask)
        with torch.no_grad():
            e = self.lm.embed(ids) * mask[..., None]
            z, zmask, _ = group_means(e, mask, max(self.k, 1))
            if self.rescale:  # each mean at the RMS of the embeddings it averages
                rms, _, _ = group_means(e.pow(2).mean(-1, keepdim=True), mask, max(self.k, 1))
                z = z * (rms.sqrt() / z.pow(2).mean(-1, keepdim=True).sqrt().clamp_min(1e-8))
        return z, zmask

    def text_after(self, examples:list) -> list[str]:
        return questions_after(examples)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', default='smollm2-135m'); p.add_argument('--n', type=int, default=100)
    p.add_argument('--ks', default='1,2,4'); p.add_argument('--batch_size', type=int, default=8)
    p.add_argument('--out', default=None)
    a = p.parse_args()
    torch.manual_seed(0)
    lm = FrozenLM.load(a.model, device='cpu', dtype=torch.float32)
    fmt = style_format(lm, STYLE.get(a.model, 'plain'), load_qa('squad', 'train', n=2000, seed=0))
    dev = load_qa('squad', 'dev', n=a.n, seed=0)
    variants = [(0, False)] + [(k, r) for k in map(int, a.ks.split(',')) for r in ((False,) if k == 1 else (False, True))]
    rows = []
    for k, rescale in variants:
        m, _ = evaluate_wire(MeanedContext(lm, k, rescale), lm, fmt, dev, a.batch_size, 24)
        lo, hi = m['ci95']
        rows.append(dict(k=k, rescale=rescale, reading='closed book' if k == 0 else 'text' if k == 1 else 'k-means',
                         f1=m['f1'], ci95=[lo, hi], em=m['em'], first_token_acc=m['first_token_acc'],
                         positions=m['prefix_len']))
        print(f"{rows[-1]['reading']:>12} k={k} rescale={rescale!s:<5} F1 {m['f1']:5.1f} [{lo:.1f}, {hi:.1f}]  "
              f"positions {m['prefix_len']:6.1f}", flush=True)
    out = dict(receiver=a.model, style=fmt.style, split='dev', n=len(dev), rows=rows, device='cpu',
               date=datetime.date.today().isoformat(), command='python ' + ' '.join(sys.argv))
    if a.out: Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
