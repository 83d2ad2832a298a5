"""Training throughput and peak memory of the pooled LM encoder with its receivers, to plan pre-training in 10-minute GPU jobs.

    python bench/pooled_speed.py [--encoder qwen2.5-coder-0.5b] [--receivers smollm2-135m,qwen2.5-coder-0.5b]
        [--shapes k8,k4,k4-lora16,k4-states] [--batch_size 16] [--steps 8] [--out OUT.json]

Per shape: a pre-training step (continue / repeat a 64-word segment, `segment_losses`) and a QA step (answer loss under the
4-shot head, `wire_losses`), each receiver in turn as `latentwire pretrain` / `pooled` alternate them; the mean seconds
per step after two warm-up steps, examples/s, the mean latents per example, and the peak GPU memory. Prints one table
(figures from one run, the card named) and writes JSON.
"""
import argparse, json, time
from datetime import date
import torch
from latentwire.config import PooledConfig
from latentwire.data import load_qa, subset
from latentwire.receivers import FrozenLM, make_format
from latentwire.baselines import style_shots
from latentwire.adapters import content_stats
from latentwire.pooled import build_pooled_wire, pretraining_segments, segment_losses
from latentwire.training import TrainConfig, wire_losses
from latentwire.results import device_name


def shape_of(spec:str, encoder:str) -> PooledConfig:
    "'k4', 'k8-lora16', 'k4-states', 'k4-causal' → a `PooledConfig`."
    kw = dict(encoder_model=encoder)
    for part in spec.split('-'):
        if part.startswith('k'): kw['k'] = int(part[1:])
        elif part.startswith('lora'): kw['lora_r'] = int(part[4:])
        elif part in ('states', 'queries'): kw['pool'] = part
        elif part == 'causal': kw['causal'] = True
        else: raise SystemExit(f"pooled_speed: error: unknown shape part {part!r} in {spec!r}")
    return PooledConfig(**kw)


def time_steps(wire, receivers, batches, objective, steps, cfg):
    "Mean seconds per optimizer step (after 2 warm-up steps), one receiver per step in turn."
    opt = torch.optim.AdamW([p for p in wire.parameters() if p.requires_grad], lr=1e-5)
    names, times = list(receivers), []
    for step in range(steps + 2):
        name = names[step % len(names)]
        lm, fmt = receivers[name]
        if torch.cuda.is_available(): torch.cuda.synchronize()
        t0 = time.perf_counter()
        loss, _ = objective(wire.view(name), lm, fmt, batches[step % len(batches)], cfg, step)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        if torch.cuda.is_available(): torch.cuda.synchronize()
        if step >= 2: times.append(time.perf_counter() - t0)
    return sum(times) / len(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--encoder', default='qwen2.5-coder-0.5b')
    p.add_argument('--receivers', default='smollm2-135m,qwen2.5-coder-0.5b')
    p.add_argument('--shapes', default='k8,k4,k4-lora16,k4-states')
    p.add_argument('--batch_size', type=int, default=16)
    p.add_argument('--steps', type=int, default=8)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--out', default=None)
    a = p.parse_args()
    if torch.cuda.is_available(): torch.backends.cuda.matmul.allow_tf32 = True
    train = load_qa('squad', 'train')
    receivers = {}
    for n in a.receivers.split(','):
        lm = FrozenLM.load(n, device=a.device, dtype=torch.float32)
        receivers[n] = (lm, make_format(lm.tokenizer, 'fewshot', shots=style_shots('fewshot', train, 4)))
    enc_lm = receivers[a.encoder][0] if a.encoder in receivers else FrozenLM.load(a.encoder, device=a.device, dtype=torch.float32)
    qa = subset(train, a.batch_size * 4, seed=0)
    segs = subset(pretraining_segments(train[:2000]), a.batch_size * 4, seed=0)
    stats = {n: (lm, content_stats(lm, qa)) for n, (lm, _) in receivers.items()}
    cfg, rows = TrainConfig(batch_size=a.batch_size), []
    for spec in a.shapes.split(','):
        shape = shape_of(spec, a.encoder)
        wire = build_pooled_wire(shape, enc_lm, stats).to(a.device)
        trainable = sum(p.numel() for p in wire.parameters() if p.requires_grad)
        with torch.no_grad(): latents = wire.latents(qa[:a.batch_size])[1].sum(1).float().mean().item()
        for task, objective, data in (('pretrain', segment_losses, segs), ('qa', wire_losses, qa)):
            if torch.cuda.is_available(): torch.cuda.reset_peak_memory_stats()
            batches = [data[i:i + a.batch_size] for i in range(0, len(data), a.batch_size)]
            secs = time_steps(wire, receivers, batches, objective, a.steps, cfg)
            peak = torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else float('nan')
            rows.append(dict(shape=spec, task=task, sec_per_step=secs, examples_per_s=a.batch_size / secs, qa_latents=latents,
                             trainable_params=trainable, peak_gib=peak, steps_per_10min=int(540 / secs)))
            print(f"{spec:>12} {task:>8}  {secs:6.3f} s/step  {a.batch_size / secs:7.1f} ex/s  {int(540 / secs):6d} steps per 9 min  "
                  f"QA latents {latents:5.1f}  trainable {trainable / 1e6:7.1f} M  peak {peak:5.1f} GiB", flush=True)
        del wire
        if torch.cuda.is_available(): torch.cuda.empty_cache()
    res = dict(device=device_name(), date=date.today().isoformat(), batch_size=a.batch_size, encoder=a.encoder, receivers=a.receivers, rows=rows)
    if a.out:
        from pathlib import Path
        Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1) + '\n')


if __name__ == '__main__': main()
