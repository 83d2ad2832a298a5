"""`bench/device_job.sh`, the GPU session's job runner, with a `python3` that only echoes: which commands it runs."""
import json, os, subprocess, sys
from pathlib import Path

REPO = Path(__file__).parent.parent


def run_step(tmp_path, *args) -> str:
    "stdout of `device_job.sh ARGS` working in tmp_path/work, `python3 -m latentwire …` echoed instead of run."
    fake = tmp_path/'bin'; fake.mkdir(exist_ok=True)
    (fake/'python3').write_text('#!/bin/sh\nif [ "$1" = -m ] && [ "$2" = latentwire ]; then echo "ran $*"; exit 0; fi\n'
                                f'exec {sys.executable} "$@"\n')  # the script's own helpers (recipe lookups) do run
    (fake/'python3').chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}", LW_WORK=str(tmp_path/'work'), OUT=str(tmp_path/'out'))
    (tmp_path/'out').mkdir(exist_ok=True)
    return subprocess.run(['bash', 'bench/device_job.sh', *args], cwd=REPO, env=env, capture_output=True, text=True,
                          check=True).stdout


def test_a_run_cut_between_its_metrics_and_its_records_runs_again(tmp_path):
    "A resumed training command is skipped only when its run folder's metrics.json carries the stamp written last."
    step = ('cmd', 'stage3', '--model', 'tiny', '--out', 'runs/s3', '--resume')
    run = tmp_path/'work'/'runs'/'s3'/'tiny'; run.mkdir(parents=True)
    assert 'ran -m latentwire stage3' in run_step(tmp_path, *step)  # nothing there yet
    metrics = dict(trained=dict(f1=50.0), config=dict(command='kept in a nested field'))  # as `json.dumps(indent=1)`
    (run/'metrics.json').write_text(json.dumps(metrics, indent=1))  # cut after the metrics, before records and stamp
    assert 'ran -m latentwire stage3' in run_step(tmp_path, *step)
    stamped = dict(command='latentwire stage3 --model tiny', device='CPU', date='2026-11-30', f1=50.0) | metrics
    (run/'metrics.json').write_text(json.dumps(stamped, indent=1))  # as `stamp_run` writes it
    out = run_step(tmp_path, *step)
    assert 'finished before: skipped' in out and 'ran -m latentwire' not in out
    # without --resume a command always runs
    assert 'ran -m latentwire stage3' in run_step(tmp_path, *step[:-1])


def test_a_matched_soft_prompt_trains_on_the_wires_answer_budget_under_its_own_name(tmp_path):
    "`softprompt-matched`: the designated soft prompt's command (its learning rate, its tag) at 200 steps of 64, renamed."
    chosen = run_step(tmp_path, 'softprompt-matched', 'qwen2.5-coder-0.5b', 'select', '1')  # a soft prompt chosen on dev
    flags = chosen.split('ran -m latentwire softprompt ')[1].splitlines()[0].split()
    last = lambda f: flags[max(i for i, x in enumerate(flags) if x == f) + 1]  # argparse keeps a repeated flag's last
    assert (last('--steps'), last('--batch_size'), last('--adapter_lr'), last('--seed')) == ('200', '64', '3e-4', '1')
    assert (last('--tag'), last('--out')) == ('lr3e-4-n16-g64', 'runs/softprompt-select-lr3e-4-g64-seed1')
    default = run_step(tmp_path, 'softprompt-matched', 'smollm2-135m', 'full')  # none chosen: the default's, tagged
    assert '--steps 200 --batch_size 64' in default and '--skip_untrained --tag g64 --grad_checkpointing --resume' in default
