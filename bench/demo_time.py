"""Wall time of the main job on this machine: `latentwire demo --n N` as a user runs it (model loading included; a
first use's downloads and conversion are reported apart, by running it twice when they happen).

    python bench/demo_time.py [--n 20] [--wire NAME_OR_RUN] [--device cpu]
"""
import argparse, os, subprocess, sys, time


def timed(args):
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, '-m', 'latentwire', 'demo', *args], capture_output=True, text=True)
    return time.perf_counter() - t0, r


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', default='20'); p.add_argument('--wire', default=None); p.add_argument('--device', default='cpu')
    a = p.parse_args()
    args = ['--n', a.n, '--device', a.device] + (['--wire', a.wire] if a.wire else [])
    secs, r = timed(args)
    if r.returncode: sys.exit(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f'demo failed ({r.returncode})')
    if 'first use' in r.stdout:  # downloads and the one-time conversion: time the run a user sees from then on
        print(f"first run (downloads and conversion included): {secs:.0f} s"); secs, r = timed(args)
    print(r.stdout.strip().splitlines()[-1])
    print(f"latentwire demo --n {a.n} on {os.cpu_count()} CPU cores ({a.device}): {secs:.0f} s wall, model loading included")


if __name__ == '__main__': main()
