"""Wall time of the README's install on this machine: a fresh virtual environment, `pip install torch==2.13.0`, then
`pip install -e ".[dev]"` of this checkout (what pip has cached or finds locally is used, as a user's second install would).

    python bench/install_time.py [--out results/bench/install-time.json]
"""
import argparse, datetime, json, os, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).parent.parent


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default='results/bench/install-time.json')
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        py = Path(d)/'venv'/'bin'/'python'
        steps = [('venv', [sys.executable, '-m', 'venv', str(Path(d)/'venv')]),
                 ('torch', [str(py), '-m', 'pip', 'install', '-q', 'torch==2.13.0']),
                 ('latentwire', [str(py), '-m', 'pip', 'install', '-q', '-e', f'{ROOT}[dev]'])]
        seconds = {}
        for name, cmd in steps:
            t0 = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode: sys.exit(f"{name} failed: {(r.stderr.strip().splitlines() or ['?'])[-1]}")
            seconds[name] = round(time.perf_counter() - t0, 1)
    total = round(sum(seconds.values()), 1)
    print(f"install on {os.cpu_count()} CPU cores: {total:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in seconds.items())})")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(dict(seconds=total, steps=seconds, cpu_cores=os.cpu_count(), command='python ' + ' '.join(sys.argv),
                                           date=datetime.date.today().isoformat()), indent=1) + '\n')


if __name__ == '__main__': main()
