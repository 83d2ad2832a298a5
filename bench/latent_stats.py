"""How far from centred a pretrained LM's pooled latents are, before and after `standardize_latents`: the share of
their RMS in the common mean vector, the largest mean dimensions, and the cosine between two questions' latents.

    python bench/latent_stats.py [--encoder qwen2.5-coder-0.5b] [--n 32] [--k 4] [--out results/bench/latent-stats.json]

CPU is enough (a few forward passes). The questions come from the train split; the centre and scale are measured on
other train questions than the ones the figures are taken on.
"""
import argparse, datetime, json, sys
from pathlib import Path
import torch
from latentwire.data import load_qa
from latentwire.pooled import PooledLMEncoder, standardize_latents
from latentwire.receivers import FrozenLM, content_text
from latentwire.training import mean_pairwise_cosine


def figures(enc: PooledLMEncoder, ids: list) -> dict:
    with torch.no_grad(): z, m = enc(ids)
    v = z[m.bool()]
    middle = torch.stack([z[i, int(m[i].sum()) // 2] for i in range(len(ids))])  # one latent per question, mid-content
    rms = v.pow(2).mean(0).sum().sqrt().item()
    return dict(mean_share_of_rms=v.mean(0).norm().item() / rms, rms=v.pow(2).mean().sqrt().item(),
                largest_mean_dims=v.mean(0).abs().topk(5).values.tolist(),
                cosine_between_questions=mean_pairwise_cosine(middle[:, None], torch.ones(len(middle), 1)).item())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--encoder', default='qwen2.5-coder-0.5b'); p.add_argument('--n', type=int, default=32)
    p.add_argument('--k', type=int, default=4); p.add_argument('--data_dir', default=None)
    p.add_argument('--out', default='results/bench/latent-stats.json')
    a = p.parse_args()
    torch.manual_seed(0)
    lm = FrozenLM.load(a.encoder)
    train = load_qa('squad', 'train', data_dir=a.data_dir)
    tokens = lambda exs: [lm.tokenizer(content_text(e.context, e.question), add_special_tokens=False).input_ids[:400] for e in exs]
    shown, calib = tokens(train[:4000:4000 // a.n]), tokens(train[1:4000:4000 // a.n])  # different questions
    rows = []
    for drop, causal in ((0, False), (0, True), (12, True)):
        enc = PooledLMEncoder(lm.model, k=a.k, causal=causal, drop_layers=drop).eval()
        raw = figures(enc, shown)
        standardize_latents(enc, calib)
        rows.append(dict(drop_layers=drop, causal=causal, raw=raw, standardized=figures(enc, shown)))
        print(f"drop {drop:>2} causal {causal!s:>5}: mean vector {100 * raw['mean_share_of_rms']:.0f} % of the RMS "
              f"({raw['rms']:.1f}), largest mean dims {[round(x) for x in raw['largest_mean_dims']]}, cosine between "
              f"questions {raw['cosine_between_questions']:.2f} -> standardized {rows[-1]['standardized']['cosine_between_questions']:.2f}")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(dict(encoder=a.encoder, k=a.k, n=len(shown), rows=rows, command='python ' + ' '.join(sys.argv),
                                           date=datetime.date.today().isoformat()), indent=1) + '\n')


if __name__ == '__main__': main()
