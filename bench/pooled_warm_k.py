"""What the readers' warm start alone gives on QA: a pooled wire whose readers were aligned at k = 1 (`latentwire pooled
--align_steps`, its `pretrained` checkpoint), read at k = 1, 2, 4 with no QA training, beside the zero-prefix control.

    python bench/pooled_warm_k.py RUN [--ks 1,2,4] [--n 60] [--out results/bench/pooled-warm-k.json]

RUN is the folder of a `latentwire pooled --align_steps N` run (its `pretrained.json`); the receivers, the style and
the encoder are read from it. Dev questions only: a choice is made on them.
"""
import argparse, datetime, json, sys
from pathlib import Path
import torch
from latentwire.baselines import style_format
from latentwire.data import load_qa, subset
from latentwire.pooled import PooledReader, load_pooled_wire
from latentwire.receivers import FrozenLM
from latentwire.training import evaluate_wire


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('run'); p.add_argument('--ks', default='1,2,4'); p.add_argument('--n', type=int, default=60)
    p.add_argument('--device', default='cpu'); p.add_argument('--out', default=None)
    a = p.parse_args()
    meta = json.loads((Path(a.run)/'pretrained.json').read_text())
    receivers = {n: FrozenLM.load(n, device=a.device, dtype=torch.float32) for n in meta['receivers']}
    enc = receivers.get(meta['encoder_model']) or FrozenLM.load(meta['encoder_model'], device=a.device)
    pool = load_qa('squad', 'train')
    dev = subset(load_qa('squad', 'dev'), a.n, seed=1)
    rows = []
    for k in map(int, a.ks.split(',')):
        wire = load_pooled_wire(Path(a.run)/'pretrained', enc, receivers, dict(k=k))
        for name, lm in receivers.items():
            fmt = style_format(lm, meta['styles'][name], pool)
            for control in (None, 'zero') if k == 1 else (None,):
                m, _ = evaluate_wire(wire.view(name), lm, fmt, dev, batch_size=8, max_new_tokens=24, control=control)
                rows.append(dict(receiver=name, k=k, control=control, f1=m['f1'], em=m['em'],
                                 latents=m['prefix_len'] - PooledReader.n_markers, text_len=m['text_len']))
                print(rows[-1], flush=True)
    out = dict(run=a.run, align_steps=meta.get('align_steps'), encoder=meta['encoder_model'],
               drop_layers=meta['drop_layers'], n=a.n, split='dev', rows=rows, device=a.device,
               date=datetime.date.today().isoformat(), command='python ' + ' '.join(sys.argv))
    if a.out: Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
