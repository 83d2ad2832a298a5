"""Whether `--init` at another k hands the readers mis-scaled latents: the encoder's per-dimension standardization is
set at the pre-training's k and kept when `latentwire pooled --init … --k K` pools otherwise. This measures the latents'
statistics at each k with the standardization set at the first, on held-out training contents (the encoder untrained:
a trained one's weights never leave the GPU machine).

    python bench/pooled_k_shift.py --model qwen2.5-coder-0.5b --ks 2,4,8 [--n 48]
"""
import argparse, torch
from latentwire.config import PooledConfig
from latentwire.data import load_qa
from latentwire.pooled import build_pooled_wire
from latentwire.receivers import FrozenLM

p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
p.add_argument('--model', default='qwen2.5-coder-0.5b'); p.add_argument('--ks', default='2,4,8')
p.add_argument('--n', type=int, default=48, help='training contents: two thirds set the statistics, the rest measure')
p.add_argument('--drop_layers', type=int, default=12)
a = p.parse_args()
torch.set_num_threads(2); torch.manual_seed(0)
lm, exs = FrozenLM.load(a.model, device='cpu', dtype=torch.float32), load_qa('squad', 'train', n=a.n, seed=0)
ks, cut = [int(k) for k in a.ks.split(',')], 2 * a.n // 3
# the wire `latentwire pooled` builds (the aligned recipe's shape), standardized as it is, on its own tokens
wire = build_pooled_wire(PooledConfig(a.model, k=ks[0], causal=True, drop_layers=a.drop_layers), lm, {}, exs[:cut])
held = wire.token_ids(exs[cut:])
with torch.no_grad():
    for k in ks:
        z, m = wire.encoder.eval()(held, k=k); v = z[m.bool()]
        print(f"k = {k}: per-dimension std {v.std(0).mean():.3f}, |mean| {v.mean(0).abs().mean():.3f}, rms {v.pow(2).mean().sqrt():.3f} "
              f"(standardized at k = {ks[0]}: 1, 0, 1)")
