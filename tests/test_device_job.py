"""`bench/device_job.sh`, the GPU session's job runner, with a `python3` that only echoes: which commands it runs."""
import json, os, subprocess, sys
from pathlib import Path

REPO = Path(__file__).parent.parent


def run_step(tmp_path, *args, python3:str|None=None) -> str:
    ("stdout of `device_job.sh ARGS` working in tmp_path/work, `python3 -m latentwire …` echoed instead of run "
     "(or another fake `python3`, its script's text).")
    fake = tmp_path/'bin'; fake.mkdir(exist_ok=True)
    (fake/'python3').write_text(python3 or '#!/bin/sh\nif [ "$1" = -m ] && [ "$2" = latentwire ]; then echo "ran $*"; '
                                f'exit 0; fi\nexec {sys.executable} "$@"\n')  # the script's own helpers (recipe lookups) do run
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
    default = run_step(tmp_path, 'softprompt-matched', 'smollm2-135m', 'cut')  # none chosen: the default's, tagged
    assert '--steps 200 --batch_size 64' in default and '--skip_untrained --tag g64 --grad_checkpointing --resume' in default
    # one designated on that budget already (smollm2's before the full text, recipes.json) runs as it is: no g64-g64
    ran = lambda out: [l for l in out.splitlines() if l.startswith('ran ')]
    matched, designated = (ran(run_step(tmp_path, s, 'smollm2-135m', 'full')) for s in ('softprompt-matched', 'softprompt'))
    assert matched == designated and matched[0].count('g64') == 2  # its --tag and --out, once each


def test_a_new_receivers_dev_styles_run_once(tmp_path):
    "`new-dev` measures a receiver's text styles on dev unless the repo holds a dev record of every one already."
    kept = run_step(tmp_path, 'new-dev', 'gemma3-270m', 'plain,plain_fewshot')  # results/ has both (2026-11-30 g)
    assert 'measured before: skipped' in kept and 'ran -m latentwire' not in kept
    assert 'ran -m latentwire baseline --model gemma3-270m --styles plain,chat' in run_step(
        tmp_path, 'new-dev', 'gemma3-270m', 'plain,chat')  # one style never measured: all of them run


def test_background_conversion_converts_every_staged_receiver_after_the_call_and_packs_nothing(tmp_path):
    "`convert-bg`, for the staging calls: each staged receiver converts in its own process, which outlives the call."
    import time
    fake = ('#!/bin/sh\n[ "$1" = -m ] && { echo "ran $*"; exit 0; }\n'  # latentwire commands echoed; the staged receivers,
            'case "$2" in *REFERENCE_MODELS*) echo tiny-a tiny-b ;;\n'  # then each one's conversion, 3 seconds long
            '*resolve_model*) sleep 3; echo "converted $3" ;; esac\n')
    run_step(tmp_path, 'convert-bg', python3=fake)
    log = tmp_path/'work'/'convert-bg.log'
    assert 'converted' not in log.read_text() and list((tmp_path/'out').iterdir()) == []  # back before they end
    for _ in range(150):
        if {'converted tiny-a', 'converted tiny-b'} <= set(log.read_text().split('\n')): break
        time.sleep(0.1)
    assert {'converted tiny-a', 'converted tiny-b'} <= set(log.read_text().split('\n')), log.read_text()
    # in a chain it packs as any step does
    assert 'ran -m latentwire models list' in run_step(tmp_path, 'chain', 'convert-bg', '+', 'cmd', 'models', 'list',
                                                       python3=fake)
    assert (tmp_path/'out'/'work.tgz').exists()


def test_an_unfinished_runs_small_checkpoints_come_back_and_restore_where_resume_finds_them(tmp_path):
    "Every step packs the last and best checkpoints of unfinished runs (not of finished ones) into work.tgz; `restore`."
    import tarfile
    runs = tmp_path/'work'/'runs'
    for name in ('cut', 'done'):
        (runs/name/'tiny').mkdir(parents=True)
        for f in ('last.safetensors', 'best.safetensors', 'last.json'): (runs/name/'tiny'/f).write_text('x')
    (runs/'done'/'tiny'/'metrics.json').write_text(json.dumps(dict(command='latentwire softprompt', f1=1.0), indent=1))
    run_step(tmp_path, 'cmd', 'models', 'list')
    with tarfile.open(tmp_path/'out'/'work.tgz') as t: names = set(t.getnames())
    assert {'runs/cut/tiny/last.safetensors', 'runs/cut/tiny/best.safetensors', 'runs/done/tiny/last.json'} <= names
    assert not any(n.startswith('runs/done/') and n.endswith('.safetensors') for n in names)
    kept = tmp_path/'kept'/'cut'; (kept/'tiny').mkdir(parents=True); (kept/'tiny'/'last.json').write_text('kept')
    later = tmp_path/'later'; later.mkdir()
    run_step(later, 'restore', str(kept))  # a later session: the folder carried, copied where --resume looks
    assert (later/'work'/'runs'/'cut'/'tiny'/'last.json').read_text() == 'kept'


def test_two_aligned_runs_share_one_pre_training(tmp_path):
    "`aligned` at k = 4 and k = 8 started at once from one pre-training: it runs once, the other waits, both fine-tune."
    fake = ('#!/bin/sh\nif [ "$1" = -m ] && [ "$2" = latentwire ]; then echo "ran $*"\n'
            '  [ "$3" = pretrain ] || exit 0; prev=; for x in "$@"; do [ "$prev" = --out ] && out=$x; prev=$x; done\n'
            '  if [ -e $out/metrics.json ]; then echo "nothing to do"; exit 0; fi\n'  # as `latentwire pretrain --resume`
            '  [ -e $out.running ] && echo OVERLAP; touch $out.running; sleep 2; mkdir -p $out; echo \'{"k": 2}\' > $out/last.json\n'
            '  echo "{}" > $out/metrics.json; rm $out.running; echo pre-trained; exit 0; fi\n'
            f'exec {sys.executable} "$@"\n')
    run_step(tmp_path, 'parallel', '@aligned a2to4 2 4 test a2', '@aligned a2to8 2 8 test a2', python3=fake)
    logs = ''.join((tmp_path/'work'/'runs'/f'parallel-{i}.log').read_text() for i in (1, 2))
    assert 'OVERLAP' not in logs and logs.count('pre-trained') == 1 and logs.count('nothing to do') == 1, logs
    pooled = [l for l in logs.splitlines() if l.startswith('ran -m latentwire pooled')]
    assert len(pooled) == 2 and all('--init runs/a2-pre ' in l for l in pooled), pooled
    assert {l.split('--k ')[1].split()[0] for l in pooled} == {'4', '8'}
    # a run that names a pre-training made at another k does not take it
    out = run_step(tmp_path, 'aligned', 'b', '4', '4', 'test', 'a2', python3=fake)
    assert 'pre-trained at k = 2, not 4' in out and 'ran -m latentwire' not in out


def test_every_baseline_step_asks_for_a_plan_the_library_accepts(tmp_path):
    "The baseline commands of `controls` and `new-baselines` name methods `BaselinePlan` takes (it needs 'text')."
    from latentwire.baselines import BaselinePlan
    out = run_step(tmp_path, 'chain', 'controls', 'gemma3-270m', '+', 'new-baselines', 'gemma3-270m', 'plain,plain_fewshot')
    plans = [l.split('--methods ')[1].split()[0] for l in out.splitlines() if l.startswith('ran -m latentwire baseline')]
    assert len(plans) == 3, out  # controls; new-baselines' test methods, then its controls
    for methods in plans: BaselinePlan(methods=tuple(methods.split(',')))
    # the controls' questions are the stages' (`control_questions`: a seeded subset), so their text is comparable
    from latentwire.training import TrainConfig
    assert f'--n {TrainConfig().control_n} --seed 0' in out.split('--out runs/test-controls-gemma3-270m')[0].splitlines()[-1]


def test_a_cut_run_comes_back_in_pieces_and_goes_on_from_them(tmp_path, monkeypatch):
    "`ckpt-out RUN` packs a run folder (no predictions) in pieces, `ckpt-out RUN NN` puts one in $OUT, `restore` unpacks."
    run = tmp_path/'work'/'runs'/'join-x'/'a+b'; run.mkdir(parents=True)
    (run/'last.json').write_text('{"step": 5}'); (run/'predictions.jsonl').write_text('{}\n')
    weights = os.urandom(2_500_000); (run/'last.safetensors').write_bytes(weights)
    monkeypatch.setenv('LW_PIECE_MIB', '1')  # 1 MiB pieces here (55 on the GPU machine)
    assert '3 pieces of runs/join-x' in run_step(tmp_path, 'ckpt-out', 'join-x')
    pieces = []
    for n in ('00', '01', '02'):
        run_step(tmp_path, 'ckpt-out', 'runs/join-x/', n)  # one call each: only that piece comes back
        got = sorted(p.name for p in (tmp_path/'out').glob('join-x.tar.*'))
        assert got == [f'join-x.tar.{n}']
        pieces.append((tmp_path/'out'/got[0]).read_bytes()); (tmp_path/'out'/got[0]).unlink()
    assert 'no piece 03 of join-x' in run_step(tmp_path, 'ckpt-out', 'join-x', '03')
    assert 'no checkpoint in runs/elsewhere' in run_step(tmp_path, 'ckpt-out', 'elsewhere')
    (tmp_path/'join-x.tar').write_bytes(b''.join(pieces))  # as staged on a fresh machine
    fresh = tmp_path/'fresh'; fresh.mkdir()
    run_step(fresh, 'restore', str(tmp_path/'join-x.tar'))
    back = fresh/'work'/'runs'/'join-x'/'a+b'
    assert (back/'last.safetensors').read_bytes() == weights and not (back/'predictions.jsonl').exists()
    assert 'is there already: kept' in run_step(fresh, 'restore', str(tmp_path/'join-x.tar'))
