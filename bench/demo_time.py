"""Wall time of the main job on this machine: `latentwire demo --n N` as a user runs it (model loading included; a
first use's downloads and conversion are reported apart, by running it twice when they happen).

    python bench/demo_time.py [--n 20] [--wire NAME_OR_RUN] [--device cpu] [--out results/bench/demo-time.json]
"""
import argparse, datetime, json, os, subprocess, sys, time
from pathlib import Path
from latentwire.receivers import REFERENCE_MODELS, converted_folder, models_dir


def timed(args):
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, '-m', 'latentwire', 'demo', *args], capture_output=True, text=True)
    return time.perf_counter() - t0, r


def converted() -> bool:
    "Whether both reference receivers of the demo wire are already converted from GGUF in the models folder."
    ggufs = [models_dir()/REFERENCE_MODELS[n]['file'] for n in ('smollm2-135m', 'qwen2.5-coder-0.5b')]
    return all(g.exists() and (converted_folder(g)/'config.json').exists() for g in ggufs)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', default='20'); p.add_argument('--wire', default=None); p.add_argument('--device', default='cpu')
    p.add_argument('--out', default='results/bench/demo-time.json')
    a = p.parse_args()
    args = ['--n', a.n, '--device', a.device] + (['--wire', a.wire] if a.wire else [])
    first, first_secs = not converted(), None
    secs, r = timed(args)
    if r.returncode: sys.exit(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f'demo failed ({r.returncode})')
    if first or 'first use' in r.stdout:  # downloads or the one-time conversion: time the run a user sees from then on too
        print(f"first run (downloads and the receivers' one-time conversion included): {secs:.0f} s"); first_secs = secs
        secs, r = timed(args)
    print(r.stdout.strip().splitlines()[-1])
    print(f"latentwire demo --n {a.n} on {os.cpu_count()} CPU cores ({a.device}): {secs:.0f} s wall, model loading included")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(dict(n=int(a.n), device=a.device, cpu_cores=os.cpu_count(), seconds=round(secs, 1),
                                           first_run_seconds=first_secs and round(first_secs, 1), summary=r.stdout.strip().splitlines()[-1],
                                           receivers=json.loads(Path('runs/demo/demo.json').read_text())['summary'],
                                           command='python ' + ' '.join(sys.argv), models_dir=str(models_dir()), date=datetime.date.today().isoformat()), indent=1) + '\n')


if __name__ == '__main__': main()
