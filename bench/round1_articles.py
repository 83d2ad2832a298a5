"""Did round 1's choices fit its test questions? Paired wire-minus-text F1 on validation[:1000] vs the rest of test.

The stage 1-4 recipes were chosen in round 1 on the first 1 000 validation questions (4 articles), which are now part
of the 5 676-question test split; so were the variants that won again on dev and are designated now (both are read).
If the choices fit those questions, a wire's margin over text is larger there than on the other 4 676 (20 articles).
Reads the test runs' predictions; writes one JSON and prints a table.

    python bench/round1_articles.py --out results/bench/round1-articles.json
"""
import argparse, json, sys
from datetime import date
from pathlib import Path
from latentwire.data import load_qa
from latentwire.results import paired_f1_difference

RUNS = Path('results/runs')
TEXT = {'qwen2.5-coder-0.5b': RUNS/'gpu-2026-11-30b/test-qwen2.5-coder-0.5b', 'smollm2-135m': RUNS/'gpu-2026-11-30d/test-smollm2-135m'}
SELECTION = 'context_select@64'  # the same 64 tokens as text, for the token wires; stage 1 reads the full text
PAIR = 'smollm2-135m+qwen2.5-coder-0.5b'  # the stage-4 wire's folder: both receivers' rows
SESSIONS = ('gpu-2026-11-30*', 'gpu-2026-12-*')  # test runs on all 5 676 questions
# round 1's recipes, then the ones chosen again on dev (designated): (stage, run folder, what it is set against, shared)
KINDS = [('stage 1', 'stage1-seed0', 'text', False), ('stage 1', 'stage1-ft10-1300-seed0', 'text', False),
         ('stage 3', 'stage3-tokens-seed*', SELECTION, False), ('stage 3', 'stage3-tokens-g64-seed*', SELECTION, False),
         ('stage 4', 's4-tokens-seed*', SELECTION, True), ('stage 4', 's4-tokens-long-seed*', SELECTION, True)]
WIRES = [(stage, p/(PAIR if shared else r), r, r if shared else None, base) for stage, folder, base, shared in KINDS
         for r in TEXT for s in SESSIONS for p in sorted(RUNS.glob(f'{s}/{folder}'))
         if (p/(PAIR if shared else r)/'predictions.jsonl.gz').exists()]


def split_difference(run, base, base_method, receiver, round1:set, rest:set) -> dict:
    "Paired F1 difference of `run` over `base` on round 1's questions and on the others, articles resampled."
    out = {}
    for part, ids in (('round1', round1), ('rest', rest)):
        d = paired_f1_difference(run, base, base_method=base_method, receiver=receiver, questions=ids)
        out[part] = {k: d[k] for k in ('mean', 'ci95', 'n', 'articles')}
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default=None)
    a = p.parse_args()
    round1 = {ex.id for ex in load_qa('squad', 'validation', 1000)}
    rest = {ex.id for ex in load_qa('squad', 'test')} - round1
    rows = []
    print(f"{'wire':<8} {'receiver':>20} {'run':<22} {'minus':<18} {'validation[:1000]':>26} {'the other 4 676':>26}")
    for stage, run, receiver, which, base in WIRES:
        d = split_difference(run, TEXT[receiver], base, which, round1, rest)
        rows.append(dict(stage=stage, receiver=receiver, run=str(run), base_method=base, **d))
        cell = lambda x: f"{x['mean']:+6.2f} [{x['ci95'][0]:+6.2f}, {x['ci95'][1]:+6.2f}]"
        print(f"{stage:<8} {receiver:>20} {run.parent.name:<22} {base:<18} {cell(d['round1']):>26} {cell(d['rest']):>26}")
    if a.out:
        res = dict(date=str(date.today()), command='python ' + ' '.join(sys.argv), rows=rows)
        Path(a.out).write_text(json.dumps(res, indent=1) + '\n'); print(f"saved {a.out}")


if __name__ == '__main__': main()
