"""What a receiver costs to train and to read, so that larger receivers can be planned (issue 22, item 5).

Per receiver, a fresh stage-3 wire (the designated recipe's shape: sender tokens, spans readout, M = 64) in front of the
float32 receiver under its prompt style: seconds and peak GPU memory of a training step (forward, backward, optimizer)
with and without gradient checkpointing through the receiver, and examples/s of greedy test decoding at the evaluation
batch. All receivers in one run, one after another on the same card, so the ratios between them are figures.

    python bench/receiver_cost.py --models smollm2-135m,qwen2.5-coder-0.5b,gemma3-270m,qwen2.5-coder-1.5b \
        --styles fewshot,fewshot,plain_fewshot,fewshot --out results/bench/receiver-cost_h200.json
"""
import argparse, json, time
from datetime import date
from pathlib import Path
import torch
from latentwire.adapters import content_stats
from latentwire.baselines import TokenIDF, style_format
from latentwire.cli import allow_tf32
from latentwire.config import stage_wire
from latentwire.data import load_qa
from latentwire.receivers import FrozenLM
from latentwire.results import device_name
from latentwire.stage3 import stage3_wire
from latentwire.training import TrainConfig, evaluate_wire, wire_losses


def sync():
    if torch.cuda.is_available(): torch.cuda.synchronize()


def train_steps(wire, lm, fmt, examples, cfg, steps:int, checkpointing:bool) -> dict:
    "Mean seconds of `steps` optimizer steps after one warm-up, and the peak GPU memory above the weights (GiB)."
    lm.checkpointing = checkpointing
    opt = torch.optim.AdamW([p for p in wire.parameters() if p.requires_grad], lr=1e-5)
    wire.train()
    if torch.cuda.is_available(): torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated() if torch.cuda.is_available() else 0
    times = []
    for i in range(steps + 1):
        batch = examples[i * cfg.batch_size % len(examples):][:cfg.batch_size]
        sync(); t0 = time.perf_counter()
        loss, _ = wire_losses(wire, lm, fmt, batch, cfg, step=i)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True); sync()
        if i: times.append(time.perf_counter() - t0)  # the first step warms kernels and the allocator up
    wire.eval(); lm.checkpointing = False
    s = sum(times) / len(times)
    peak = (torch.cuda.max_memory_allocated() - base) / 2**30 if torch.cuda.is_available() else None
    return dict(step_s=s, train_examples_per_s=cfg.batch_size / s, peak_gib=peak)


def receiver_cost(name:str, style:str, pool:list, examples:list, a) -> dict:
    lm = FrozenLM.load(name, a.models_dir, dtype=torch.float32)
    lm.enable_checkpointing()
    fmt = style_format(lm, style, pool)
    torch.manual_seed(0)
    shape = stage_wire(3, encoder='tokens', readout='spans', latent_len=64, d_z=256, layers=2)  # the stage-3 recipe's
    wire = stage3_wire(lm, shape, TokenIDF.of_contexts(lm.tokenizer, pool), content_stats(lm, pool)).to(lm.device)
    cfg = TrainConfig(batch_size=a.batch_size)
    out = dict(receiver=name, style=style, d_model=lm.d_model, layers=lm.model.config.num_hidden_layers,
               parameters=sum(p.numel() for p in lm.model.parameters()),
               weights_gib=sum(p.numel() * p.element_size() for p in lm.model.parameters()) / 2**30)
    for ck in (False, True): out['checkpointing' if ck else 'plain'] = train_steps(wire, lm, fmt, examples, cfg, a.steps, ck)
    t0 = time.perf_counter()
    m, _ = evaluate_wire(wire, lm, fmt, examples[:a.eval_n], a.eval_batch_size, a.max_new_tokens)
    out['eval_examples_per_s'] = a.eval_n / (time.perf_counter() - t0)
    out['untrained_f1'] = m['f1']  # a sanity check that the receiver answered, not a result
    del wire, lm
    if torch.cuda.is_available(): torch.cuda.empty_cache()
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--models', default='smollm2-135m,qwen2.5-coder-0.5b')
    p.add_argument('--styles', default='fewshot', help="one for all, or one per --models (gemma3-270m: a plain one)")
    p.add_argument('--batch_size', type=int, default=16); p.add_argument('--steps', type=int, default=10)
    p.add_argument('--eval_batch_size', type=int, default=64); p.add_argument('--eval_n', type=int, default=128)
    p.add_argument('--max_new_tokens', type=int, default=24)
    p.add_argument('--data', default='squad'); p.add_argument('--data_dir', default=None)
    p.add_argument('--models_dir', default=None); p.add_argument('--out', default=None)
    a = p.parse_args()
    models, styles = a.models.split(','), a.styles.split(',')
    if len(styles) not in (1, len(models)): p.error(f"--styles: one, or one per --models ({len(models)})")
    allow_tf32()
    pool = load_qa(a.data, 'train', 2000, None, a.data_dir)
    examples = load_qa(a.data, 'dev', max(a.eval_n, a.batch_size * (a.steps + 1)), None, a.data_dir)
    res = dict(device=device_name(), torch=torch.__version__, batch_size=a.batch_size, steps=a.steps,
               eval_batch_size=a.eval_batch_size, date=str(date.today()), command='python ' + ' '.join(__import__('sys').argv),
               receivers=[])
    print(f"{'receiver':>20} {'params':>8} {'step s':>7} {'ex/s':>6} {'peak GiB':>9} {'ckpt step s':>11} {'ckpt peak':>9} {'eval ex/s':>9}")
    for name, style in zip(models, styles * len(models) if len(styles) == 1 else styles):
        r = receiver_cost(name, style, pool, examples, a); res['receivers'].append(r)
        gib = lambda x: '–' if x is None else f"{x:.2f}"
        print(f"{name:>20} {r['parameters'] / 1e6:>7.0f}M {r['plain']['step_s']:>7.3f} {r['plain']['train_examples_per_s']:>6.1f} "
              f"{gib(r['plain']['peak_gib']):>9} {r['checkpointing']['step_s']:>11.3f} {gib(r['checkpointing']['peak_gib']):>9} "
              f"{r['eval_examples_per_s']:>9.1f}")
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1) + '\n')
        print(f"saved {a.out}")


if __name__ == '__main__': main()
