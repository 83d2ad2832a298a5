"""Does stage 3's receiver-free alignment give a pooled reader what the receiver's loss alone did not? At k = 1 (one
latent per token, nothing compressed), smollm2-135m at both ends: align each latent's reader output with the receiver's
embedding of its token (`pooled.align_readers`, no receiver forward), then ask the receiver to write the segment back.

    python bench/pooled_align_probe.py [--steps 300] [--n 16] [--out results/bench/pooled-align-probe.json]

The ceiling: the receiver reading the segment's own embeddings in the same prompt. The control it must beat: the same wire trained on reconstruction through the receiver (k = 1, 100 steps): token F1
5.3 (`results/runs/cpu-2026-11-30-recon`). CPU is enough: alignment steps need no receiver forward pass.
"""
import argparse, datetime, json, sys, time
from pathlib import Path
import torch
from latentwire.adapters import content_stats
from latentwire.config import PooledConfig
from latentwire.data import load_qa
from latentwire.pooled import align_readers, build_pooled_wire, pretraining_segments, reconstruction_check
from latentwire.pretraining import AlignConfig, nearest_token_hits
from latentwire.receivers import FrozenLM, pad_ids

NAME = 'smollm2-135m'


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--steps', type=int, default=300); p.add_argument('--n', type=int, default=16)
    p.add_argument('--drop_layers', type=int, default=29); p.add_argument('--out', default=None)
    a = p.parse_args()
    torch.manual_seed(0)
    lm = FrozenLM.load(NAME, device='cpu', dtype=torch.float32)
    train = load_qa('squad', 'train', n=2000, seed=0)
    shape = PooledConfig(encoder_model=NAME, k=1, causal=True, drop_layers=a.drop_layers)
    wire = build_pooled_wire(shape, lm, {NAME: (lm, content_stats(lm, train, 0))}, contents=train[:256])
    view, reader = wire.view(NAME), wire.readers[NAME]
    segments = pretraining_segments(train, 32, 16)
    unseen = pretraining_segments(load_qa('squad', 'dev', n=200, seed=0), 32, 16)[:a.n]

    @torch.no_grad()
    def hits(batch):  # the same tokenizer at both ends: latent i stands for token i
        ids = wire.token_ids(batch)
        z, mask = wire.encoder(ids)
        pred, ids = reader.adapter(z, mask), pad_ids(ids, 0)[0]
        table = torch.nn.functional.normalize(lm.embed.weight.float(), dim=-1)
        return 100 * nearest_token_hits(table, pred[mask.bool()], ids[mask.bool()]) / mask.sum().item()

    def as_text(batch):  # the ceiling: the receiver's own embeddings of the segment, as the prefix
        ids, mask = pad_ids(wire.token_ids(batch), 0)
        return lm.embed(ids).float() * mask[..., None], mask
    rows = [dict(step=None, reading='text', **reconstruction_check(as_text, lm, unseen)[0])]
    print(rows[-1], flush=True)
    rows.append(dict(step=0, nearest_token_acc=hits(unseen), **reconstruction_check(view, lm, unseen)[0]))
    print(rows[-1], flush=True)
    t0 = time.perf_counter()
    # the reader alone: the encoder stays as pretrained
    losses = align_readers(wire, segments, AlignConfig(a.steps, 16, lr=1e-3), progress=False)
    m, written = reconstruction_check(view, lm, unseen)
    rows.append(dict(step=a.steps, decode_loss=sum(losses[-20:]) / 20, nearest_token_acc=hits(unseen), **m,
                     seconds=time.perf_counter() - t0))
    print(rows[-1], flush=True)
    for r in written[:2]: print(' text:', r['text'][:120], '\n wrote:', r['written'][:120])
    out = dict(receiver=NAME, encoder=NAME, k=1, drop_layers=a.drop_layers, rows=rows, samples=written[:3],
               device='cpu', date=datetime.date.today().isoformat(), command='python ' + ' '.join(sys.argv))
    if a.out: Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
