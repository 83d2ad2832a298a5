#!/bin/bash
# One step of a GPU session on the lent H200, run from the repo root there: `bash bench/device_job.sh STEP [ARGS]`.
# Before it: models staged with ../shared/tools/split-for-transfer (one `run` per chunk, back to back) under
# /tmp/latentwire-models, the data under /tmp/lw-data, the gguf wheel under /tmp/site (see results/runs/gpu-2026-11-29/NOTES.md;
# since 2026-11-30 d, `.xfer` holds 45 chunks of 14 MiB, c44 also the data and wheels: tree + chunk stay under 64 MiB).
# Fewer calls with a slim tree (4 MiB; 2026-11-30 e: staging in 82 s): untrack the two big folders for the session,
#   git rm -r -q --cached results/runs latentwire/wires; printf '/results/runs/\n/latentwire/wires/\n' >> .git/info/exclude
# and after the last call `git reset -q HEAD -- results/runs latentwire/wires` and drop the two lines (the files stay on
# disk; the device tool sends tracked and untracked-not-ignored files). Then `.xfer56` (11 chunks, c10 with the data,
# wheels and gemma3-270m.tokenizer.tgz, unpacked beside the GGUFs: this machine's transformers 5.17 rebuilds gemma3's
# GGUF tokenizer wrongly, and the receiver then reads characters; that folder is 5.24's rebuild, see `check_tokenizer`)
# and `.xfer22` (issue 22's two receivers, 25 chunks; c24 also carries the kept stage-4 base,
# `results/runs/gpu-2026-11-30i/keep/s4-tokens-dev-long` (in git: ignored under the slim tree, so it can be carried),
# copied to bases/ here), 55 MiB each (2026-12-01 e: the calls, `results/runs/gpu-2026-12-01e/NOTES.md`). A session for the
# 1.5B alone stages `.xfer15` (`split-for-transfer .xfer15 56` of its GGUF: 20 chunks, the last 21 MiB, which carries the
# base instead of c24; 31 calls with `.xfer56` in 250 s, `results/runs/gpu-2026-12-02b/NOTES.md`). Steps read no
# file of the two folders but test-baselines' (carry `results/runs/<session>/test-R` on the first work call:
# reuse_kept). The calls that assemble a GGUF (.xfer56/c10, .xfer22/c19 and c24) end with `&& bash bench/device_job.sh
# convert-bg`: the conversions run while the staging goes on (on 2026-12-01 b the first work call spent its first ~200 s
# converting).
# Work happens in /tmp/lw-work, or $LW_WORK (kept while the machine stays warm); every step ends by packing records, run
# metrics and gzipped predictions into $OUT/work.tgz. The commands of designated recipes come from results/recipes.json, so what runs
# on test is what is designated; stage steps pass --resume, so a step cut by the 10-minute limit continues when re-run.
set -u
REPO=$PWD; W=${LW_WORK:-/tmp/lw-work}; mkdir -p $W/results $W/runs; cp -n $REPO/results/recipes.json $W/results/ 2>/dev/null
export LATENTWIRE_MODELS=/tmp/latentwire-models LATENTWIRE_DATA=/tmp/lw-data PYTHONPATH=$REPO:/tmp/site PYTHONUNBUFFERED=1
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True  # several jobs share a GPU
cd $W
# LW_TIMEOUT=S: Ctrl-C whatever still runs S seconds after this step began (a command keeps its checkpoint; --resume goes
# on), leaving time to pack: one deadline for the step, however many commands run in turn or at once
DEADLINE=$(( $(date +%s) + ${LW_TIMEOUT:-86400} ))
within() { local left=$(( DEADLINE - $(date +%s) )); [ $left -gt 5 ] || { echo "no time left"; return 124; }
           timeout -s INT $left "$@"; }  # a command, Ctrl-C'd at the step's deadline
lw() { echo "+ latentwire $*"; finished "$@" && { echo "finished before: skipped"; return; }
       within python3 -m latentwire "$@"; echo "exit $? at $(date +%T)"; }
finished() {  # a training command with --resume whose run folder (OUT/receivers joined by +) holds a stamped metrics.json: the
  # same job list can go to every call of a session, and what finished is not tested twice (its evaluations are dropped at
  # the end). The stamp (`stamp_run`: the command) comes after the records: a job cut between metrics and records runs again
  case " $* " in *" --resume "*) ;; *) return 1 ;; esac; [ "$1" = baseline ] && return 1  # baseline resumes by method
  local out= model= prev=; for x in "$@"; do case $prev in --out) out=$x ;; --model) model=$x ;; esac; prev=$x; done
  # (a pooled run writes one folder per receiver, the last receiver's last)
  [ -n "$out" ] && { stamped "$out/${model//,/+}/metrics.json" || { [ "$1" = pooled ] && stamped "$out/${model##*,}/metrics.json"; }; }; }
stamped() { grep -qs '^ "command"' "$1"; }  # a metrics.json with `stamp_run`'s key, first in the file
# the staged reference receivers converted once, before commands that may run at once want them: each in its own process
# (the 1.5B alone took ~110 s, all four in turn ~200 s on 2026-12-01 b), under a lock that `convert-bg`, started by the
# staging calls, holds too: a conversion under way is waited for, not repeated
command -v flock > /dev/null || flock() { "${@:2}"; }  # no util-linux: convert_gguf's own temporary folders keep it safe
convert() { local n; mkdir -p $LATENTWIRE_MODELS; for n in $(python3 -c "import os; from latentwire.receivers import REFERENCE_MODELS as M
print(*[n for n, m in M.items() if os.path.exists(os.path.join(os.environ['LATENTWIRE_MODELS'], m['file']))])"); do
    (flock $LATENTWIRE_MODELS/.convert-$n.lock python3 -c "import sys; from latentwire.receivers import resolve_model as r
r(sys.argv[1], fetch=False)" $n 2>&1 | tail -1) & done; wait; }
locked() { local lock=$W/locks/$1.lock; shift; mkdir -p $W/locks  # ARGS: a lock's name, a command (a shell function too)
  # run while holding it: jobs of one call that write the same folder take turns (outside runs/: nothing to pack)
  if type -P flock > /dev/null; then ( flock 9; "$@" ) 9> $lock
  else until mkdir $lock.d 2> /dev/null; do sleep 5; done; "$@"; rmdir $lock.d; fi; }
with_third() {  # the stage-4 recipe's command with a third receiver ($1), into runs/$2
  recipe qwen2.5-coder-0.5b 4 | sed "s/^latentwire/lw/; s/--model [^ ]*/--model smollm2-135m,qwen2.5-coder-0.5b,$1/; s#--out [^ ]*#--out runs/$2#"; }
recipe() {  # ARGS: receiver stage [content]: a designated recipe's command; with a content, the soft prompt chosen on dev
  # before it (stage 0's soft_prompts; nothing when none was chosen)
  python3 -c "import json, sys; r = json.load(open('results/recipes.json'))[sys.argv[1]][sys.argv[2]]
print(r['command'] if len(sys.argv) < 4 else r.get('soft_prompts', {}).get(sys.argv[3], {}).get('command', ''))" "$@"; }
soft_prompt() {  # ARGS: receiver full|select|cut: the soft prompt chosen on dev (`recipe R 0 CONTENT`), else the default
  # (seed 0, on test; untrained text has baseline records)
  local chosen=$(recipe $1 0 $2)
  echo "${chosen:-latentwire softprompt --model $1 --content $2 --latent_len 64 --n_soft 16 $S3 --split test --n all --seed 0 --record results --quiet --out runs/softprompt-$2-seed0 --skip_untrained}"; }
tag_of() { grep -o -- '--tag [^ ]*' | tail -1 | cut -c7-; }  # a command's (stdin) last --tag, the one argparse keeps
json_key() {  # ARGS: a JSON file, a key: its value (a float rounded), or fail (no file, no key)
  python3 -c "import json, sys; v = json.load(open(sys.argv[1]))[sys.argv[2]]; print(round(v) if isinstance(v, float) else v)" "$@" 2>/dev/null; }
receivers_of() { python3 -c "import sys; from latentwire.diagnostics import run_receivers; print(*run_receivers(sys.argv[1]))" "$1"; }
refs_at() { reuse_kept $1; lw baseline --model $1 --methods text,context_select,context_cut --cut_lens $2 --n all $3 --out runs/test-$1; }
reuse_kept() {  # a fresh machine goes on from the test methods brought back before (results/runs/*/test-$1, carried)
  local kept=$(ls -d $REPO/results/runs/*/test-$1 2>/dev/null | tail -1)
  if [ -n "$kept" ] && [ ! -e runs/test-$1/methods.jsonl ]; then
    mkdir -p runs/test-$1 && cp $kept/methods.jsonl runs/test-$1/ && gunzip -c $kept/predictions.jsonl.gz > runs/test-$1/predictions.jsonl
    [ ! -f $kept/partial.jsonl ] || cp $kept/partial.jsonl runs/test-$1/; fi; }  # (the answers of a method a deadline cut)
test_args() { local style; style=$(best_style $1) || return  # ARGS: receiver [split: test]
  echo "--styles $style --dtype float32 --batch_size 64 --split ${2:-test} --record results --quiet --resume"; }
best_style() {  # the receiver's best text style on dev (float32): the style choice is made on dev, never on test
  python3 - "$1" "$REPO" <<'PY'
import json, glob, sys  # measured here, else brought back before (the repo's results)
recs = [json.load(open(p)) for d in ('results', f'{sys.argv[2]}/results')
        for p in glob.glob(f'{d}/s0_{sys.argv[1]}_text-*_dev_*_float32.json')]
if not recs: sys.exit(f"no dev record of {sys.argv[1]}'s text styles: run `new-dev` first")
print(max(recs, key=lambda r: r['f1'])['method'].split('/')[1])
PY
}
DEV="--split dev --n all --dtype float32 --batch_size 64 --record results --quiet"
S3="--steps 300 --batch_size 16 --eval_every 150 --eval_n 200"  # round 1's stage-3 budget (4 800 answers), the references' first
step() { case $1 in
  dev-styles) lw baseline --model smollm2-135m,qwen2.5-coder-0.5b --methods text $DEV --out runs/dev-styles ;;
  dev-budget) r=$2; lw baseline --model $r --styles $(best_style $r) --methods text,context_select,context_cut,no_context \
                --cut_lens 16,32,64,128 $DEV --out runs/dev-budget-$r ;;
  test-baselines) r=$2; reuse_kept $r; eval "$(recipe $r 0 | sed 's/^latentwire/lw/') --resume" ;;      # ARGS: receiver
  stage) r=$2; s=$3; seed=${4:-0}; from=${5:-$r}; style=${6:+--style $6}  # ARGS: receiver stage [seed] [another receiver
      # whose designated recipe this one runs, e.g. qwen2.5-coder-0.5b's for qwen2.5-coder-1.5b] [its style]
      swap=; [ "$from" = "$r" ] || swap="s/--model [^ ]*/--model $r/;"  # a stage-4 recipe names both its receivers
      eval "$(recipe $from $s | sed "s/^latentwire/lw/; $swap s/--seed 0/--seed $seed/; s#--out \([^ ]*\)#--out \1-seed$seed#") $style --resume" ;;
  stage-dev) r=$2; s=$3; tag=$4; flags="${*:5}"  # ARGS: receiver stage tag [flags…]: the designated recipe on dev, flags
      # changed (the default against round 1's best variant there: the stage 1-4 recipes chosen again on dev, issue 19)
      eval "$(recipe $r $s | sed "s/^latentwire/lw/; s/--split test --n all/--split dev --n all/; s#--out \([^ ]*\)#--out \1-dev-$tag#") --tag $tag $flags --resume" ;;
  softprompt) r=$2; content=$3; seed=${4:-0}                                                    # ARGS: receiver full|select|cut [seed]
      eval "$(soft_prompt $r $content | sed "s/^latentwire/lw/; s/--seed 0/--seed $seed/; s#-seed0 #-seed$seed #") --resume" ;;
  softprompt-matched) r=$2; content=$3; seed=${4:-0}  # ARGS: receiver full|select|cut [seed]: the designated soft prompt
      # (or the default) with the wires' answer budget: 200 steps of 64, 12 800 answers, as the stage-3 `g64` recipe and
      # each receiver of stage 4's 1 600 alternating steps of 16 (issue 19, item 5: the same training as the wire)
      chosen=$(soft_prompt $r $content); tag=$(echo "$chosen" | tag_of)
      case $tag in *g64) step softprompt $r $content $seed; return ;; esac  # designated already on that budget: as it is
      eval "$(echo "$chosen" | sed "s/^latentwire/lw/; s/--steps [0-9]*/--steps 200/; s/--batch_size [0-9]*/--batch_size 64/;
        s/--eval_every [0-9]*/--eval_every 100/; s/--seed 0/--seed $seed/; s#--out \([^ ]*\)-seed0#--out \1-g64-seed$seed#") \
        --tag ${tag:+$tag-}g64 --grad_checkpointing --resume" ;;
  softprompt-dev) r=$2; content=$3; lr=$4; n=${5:-16}  # ARGS: receiver full|select|cut lr [n_soft]: a soft-prompt recipe,
      # chosen on dev like every choice (qwen's before the selection did not train at 1e-3: dev 40.1 → 39.3)
      lw softprompt --model $r --content $content --latent_len 64 --n_soft $n $S3 --adapter_lr $lr --skip_untrained \
         --tag lr$lr-n$n --split dev --n all --record results --quiet --out runs/softprompt-dev-$content-lr$lr-n$n --resume ;;
  aligned) name=$2; kp=$3; kq=$4; split=${5:-dev}; pre=runs/${6:-$name}-pre  # ARGS: name k_pretrain k_qa [dev|test]
      # [the name of the pre-training, another aligned run's, to share]: the readers aligned, pre-trained, then QA; its
      # number on 300 dev questions, or (test) on all test questions, the checkpoint still chosen on dev. Runs sharing one
      # pre-training can start at once (`"@aligned al2to4 2 4 test al2" "@aligned al2to8 2 8 test al2"`): one pre-trains,
      # the others wait for it under a lock, then find it finished (--grad_checkpointing: the same computation in less
      # memory; at k = 4 the QA step died of memory on a shared GPU)
      P="--model smollm2-135m,qwen2.5-coder-0.5b --causal --drop_layers 12 --question_text --batch_size 16 --eval_n 100 --grad_checkpointing"
      D="--split dev --n 300"; T="$D --control_n 100"; [ "$split" = test ] && T="--split test --n all --control_n 1000"
      pretrain_at() {  # under the lock: a shared pre-training at another k is not this run's
        local k=$(json_key $pre/last.json k)
        [ -z "$k" ] || [ "$k" = $kp ] || { echo "$pre was pre-trained at k = $k, not $kp: not shared"; return 1; }
        lw pretrain $P $D --k $kp --align_steps 1000 --steps 600 --words 64 --rest_words 32 --repeat_fraction 0.2 \
          --encoder_lr 5e-5 --adapter_lr 1e-3 --encoder_delay 0 --eval_every 300 --quiet --resume --out $pre; }
      locked ${pre#runs/} pretrain_at || return
      [ -e $pre/metrics.json ] || return      # pre-training not finished: the next call goes on with it
      lw pooled $P $T --init $pre --k $kq --steps 600 --eval_every 200 --record results --quiet --resume \
        --out runs/$name-qa-$split --tag $name
      [ "$split" = test ] && [ -e runs/$name-qa-$split/qwen2.5-coder-0.5b/metrics.json ] || return  # tested: then HotpotQA,
      # which needs the weights (they never leave this machine), before the text references, which `refs-at` can give in
      # any later session (on 12-01 c and d the references came first and the deadline cut HotpotQA both times)
      step ood runs/$name-qa-$split $name; step pooled-refs runs/$name-qa-$split ;;
  pooled-refs) run=$2  # ARGS: a pooled run on test: text selection and cut at its mean content positions (latents and the
      # question's tokens), per receiver in its designated style, into the receiver's kept test folder (carry it: its text
      # is reused), so that `latentwire compare RUN/R runs/test-R --base_method context_select@M` pairs them
      for r in $(receivers_of $run); do
        m=$(json_key $run/$r/metrics.json content_positions) || continue  # not tested yet
        step refs-at $r $m; done ;;
  refs-at) r=$2; m=$3  # ARGS: receiver, positions: its text, and text selection and cut at M positions, in its designated
      # style, into its kept test folder (carry it; `pooled-refs` for a run whose weights are gone: qwen's at 107, 12-01 c)
      # (two pooled runs' references at once take turns: one folder, one writer)
      args=$(test_args $r) || return; locked test-$r refs_at $r $m "$args" ;;
  ood) run=$2; name=$3  # ARGS: a trained run folder (pooled, or a stage-4 run's receivers folder), a name: the 103 HotpotQA
      # questions (supporting paragraphs, longer contexts) as an out-of-domain check, SQuAD's demonstrations in the head: the
      # wire at 16 bits, and each receiver's text and closed book in its designated style
      lw quantize $run --data hotpotqa --split validation --n all --bits 16 --dtype float32 --batch_size 64 --record results \
        --method $name-hotpotqa
      for r in $(receivers_of $run)
      do args=$(test_args $r validation) || continue  # (the receivers' own readings: one writer at a time, done once)
        locked hotpotqa-$r lw baseline --model $r --methods text,no_context --data hotpotqa --n all $args --out runs/hotpotqa-$r; done ;;
  latency) run=runs/stage3-tokens-g64-seed0/qwen2.5-coder-0.5b              # after `@stage qwen2.5-coder-0.5b 3 0` trained here
      [ -e $run/best.json ] || { echo "no trained stage-3 run at $run"; return; }  # (the designated recipe's folder)
      within python3 $REPO/bench/bench.py $run --batch_sizes 1,64 --heads zero,fewshot --decode none \
        --out results/bench/qwen2.5-coder-0.5b_stage3-g64-equal-heads_h200.json ;;
  new-baselines) r=$2; styles=$3                 # ARGS: a new receiver, the styles it chooses from on dev (gemma3-270m: plain ones)
      step new-dev $r $styles; reuse_kept $r; args=$(test_args $r) || return  # no style chosen on dev: nothing on test
      lw baseline --model $r --methods text,context_select,context_cut,no_context --cut_lens 32,64 --n all $args --out runs/test-$r
      step controls $r ;;
  new-dev) missing=; for style in ${3//,/ }; do  # every style measured on dev before (the repo's records): not again
        ls $REPO/results/s0_$2_text-${style}_dev_*_float32.json > /dev/null 2>&1 || missing=1; done
      [ -z "$missing" ] && { echo "dev styles of $2 measured before: skipped"; return; }
      lw baseline --model $2 --styles $3 --methods text $DEV --out runs/dev-styles-$2 --resume ;;  # ARGS: as new-baselines
      # (`chain new-dev R STYLES + join R`: a join that waits for dev's style only, not for the test baselines)
  controls) r=$2  # ARGS: receiver: zero / shuffled prefixes on the stages' 1 000 control questions (--control_n 1000: a
      # subset drawn with seed 0, not the first 1 000), beside the text on them (a baseline plan needs it)
      args=$(test_args $r) || return
      lw baseline --model $r --methods text,zero_prefix,shuffled_prefix --n 1000 --seed 0 $args --out runs/test-controls-$r ;;
  join) r=$2; style=${3:-$(best_style $r)} || return; base=${4:-bases/s4-tokens-dev-long}  # ARGS: new receiver [style: dev's best] [base]
      # the stage-4 recipe with a third receiver that trains its adapter alone; the base's encoder and adapters checked unchanged
      # (its folder names the base: a warm machine's --resume never goes on from a join of another base)
      eval "$(with_third $r join-$r-$(basename $base)) --base $base --style fewshot,fewshot,$style --resume" ;;  # records: the method with -extended
  joint) r=$2; style=${3:-$(best_style $r)} || return  # ARGS: a new receiver [style: dev's best]: the stage-4 recipe on all three
      tag=$(recipe qwen2.5-coder-0.5b 4 | tag_of)  # its records: the designated method, then -joint3
      eval "$(with_third $r joint-$r) --style fewshot,fewshot,$style --tag ${tag:+$tag-}joint3 --resume" ;;
  receiver-cost) within python3 $REPO/bench/receiver_cost.py --models ${2:-smollm2-135m,qwen2.5-coder-0.5b,gemma3-270m,qwen2.5-coder-1.5b} \
      --styles ${3:-fewshot,fewshot,plain_fewshot,fewshot} --out results/bench/receiver-cost_h200.json ;;  # ARGS: [models] [styles]
  pooled-speed) python3 $REPO/bench/pooled_speed.py --out results/bench/pooled-speed.json ${@:2} ;;  # ARGS: its flags
  keep) run=$2; name=$3  # ARGS: a trained run folder, a name: shipped (float16) into $OUT as NAME.tgz.aa, .ab… (15 MiB pieces),
      [ -e $run/best.json ] || { echo "no trained run at $run"; return; }  # as weights never come back in work.tgz
      within python3 -m latentwire ship $run --dest keep/$name --note "kept from a GPU session: $run" && \
        tar czf - keep/$name | split -b 15m - $OUT/$name.tgz. ;;  # here: cat NAME.tgz.* | tar xzf -
  ckpt-out) run=runs/${2#runs/}; run=${run%/}; name=${run##*/}; piece=${3:-}  # ARGS: an unfinished run folder [a piece]:
      # a stage-sized run cut by the session's end goes on in the next one. Without a piece, its folder (checkpoints, logs;
      # no predictions) is packed in 55 MiB pieces under ckpt/ and their number said; with one (00, 01…), that piece goes
      # to $OUT, one call each, back to back (a call brings back 64 MiB). Here: `cat NAME.tar.* > NAME.tar`, then
      # `split-for-transfer DIR 56 NAME.tar`; a later session stages those chunks and runs `restore /tmp/latentwire-models/NAME.tar`
      if [ -z "$piece" ]; then find $run -name last.json 2>/dev/null | grep -q . || { echo "no checkpoint in $run"; return; }
        mkdir -p ckpt && rm -f ckpt/$name.tar.*
        tar cf - --exclude='predictions.jsonl*' --exclude='eval-*.json' $run | split -d -a 2 -b ${LW_PIECE_MIB:-55}m - ckpt/$name.tar.
        echo "$(ls ckpt/$name.tar.* | wc -l) pieces of $run: $(du -ch ckpt/$name.tar.* | tail -1 | cut -f1)"
      else [ -e ckpt/$name.tar.$piece ] && cp ckpt/$name.tar.$piece $OUT/ || echo "no piece $piece of $name"; fi ;;
  restore) for d in "${@:2}"; do  # ARGS: run folders brought back unfinished (their small checkpoints), kept in the repo
        # and carried, or a staged tar of one (`ckpt-out`): into runs/, where --resume goes on
        # (`@chain restore results/runs/S/unfinished/RUN + <its step>`)
        d=${d%/}; case $d in /*) ;; *) d=$REPO/$d ;; esac; name=${d##*/}; name=${name%.tar}
        if [ -e runs/$name ]; then echo "runs/$name is there already: kept"
        elif [ "${d%.tar}" != "$d" ]; then tar xf $d; else cp -r $d runs/; fi; done ;;
  cmd) lw "${@:2}" ;;                                                                              # ARGS: any latentwire command
  chain) shift; cur=(); for x in "$@" +; do   # ARGS: steps separated by `+`, run one after another (`chain stage R 3 0 + latency`)
        if [ "$x" = + ]; then step "${cur[@]}"; cur=(); else cur+=("$x"); fi; done ;;
  parallel) shift; i=0; pids=(); convert; rm -f runs/parallel-*.log  # ARGS: quoted latentwire commands (or "@STEP ARGS", a step of this
      ngpu=$(nvidia-smi -L 2>/dev/null | grep -c GPU); [ "$ngpu" -gt 0 ] || ngpu=1
      # how busy the GPUs are with this many jobs (every 20 s, one file per call): whether more jobs per GPU would pay
      nvidia-smi --query-gpu=timestamp,index,utilization.gpu,memory.used --format=csv,noheader -l 20 \
        > runs/gpu-use-$(date +%H%M%S).csv 2>/dev/null & mon=$!
      for c in "$@"; do i=$((i+1))  # file) run at once, dealt to the GPUs in turn: at most three or four per GPU (seven shared
        export CUDA_VISIBLE_DEVICES=$(( (i - 1) % ngpu )) OMP_NUM_THREADS=2  # one so thinly on 2026-11-30 that none finished)
        case $c in @*) (eval "step ${c#@}" > runs/parallel-$i.log 2>&1) & ;; *) (eval "lw $c" > runs/parallel-$i.log 2>&1) & ;; esac
        pids+=($!); done
      [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"; kill $mon 2>/dev/null; for f in runs/parallel-*.log; do echo "== $f"; grep -v -i "warn\|it/s\|Loading" $f | tail -8; done ;;
  demo-wire) [ -e runs/demo-wire/shipped ] && return   # shipped by an earlier call on this machine (its files came back then)
      lw stage4 --model smollm2-135m,qwen2.5-coder-0.5b --encoder tokens --style chat --adapter_hidden 1024 --steps 600 \
        --eval_every 200 --eval_n 200 --latent_len 64 --batch_size 16 --split dev --n 500 --out runs/demo-wire --record results --tag demo --quiet --resume
      lw ship runs/demo-wire/smollm2-135m+qwen2.5-coder-0.5b --dest $OUT/wires/shared \
        --note "the stage-4 shared wire (sender-token encoder, M=64) under the zero-shot chat head: the demo's wire, small adapters" && touch runs/demo-wire/shipped ;;
  convert-bg) setsid nohup bash -c "$(declare -f convert flock 2>/dev/null); convert" > $W/convert-bg.log 2>&1 < /dev/null &  # from a staging
      ;;  # call once a GGUF is assembled (`… stage.sh && bash bench/device_job.sh convert-bg`): it outlives the call
  smoke) nvidia-smi --query-gpu=name,memory.total --format=csv; python3 -c "import torch, transformers; print(torch.__version__, transformers.__version__)"
      python3 -m latentwire models list ;;
esac; }
step "$@"
[ "$1" = convert-bg ] && exit 0  # a staging call's `convert-bg` brings nothing back
for f in runs/*/predictions.jsonl runs/*/*/predictions.jsonl; do [ -f "$f" ] && gzip -kf "$f"; done
tar cf $W/work.tar --exclude='*.safetensors' --exclude='eval-*.json' --exclude='predictions.jsonl' results runs 2>/dev/null
# the checkpoints (last and best) of each unfinished run when they are small (a soft prompt's, not a stage's): a later
# session goes on from them (`restore`) instead of from step 0, as the GPU machine is gone by then
for f in $(find runs \( -name last.safetensors -o -name best.safetensors \) -size -8192k 2>/dev/null); do
  stamped ${f%/*}/metrics.json || tar rf $W/work.tar $f; done
gzip -c $W/work.tar > $OUT/work.tgz && rm $W/work.tar; ls -la $OUT
