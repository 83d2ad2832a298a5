"""Did round 1's choices fit its test questions? Paired wire-minus-text F1 on validation[:1000] vs the rest of test.

The stage 1-4 recipes were chosen in round 1 on the first 1 000 validation questions (4 articles), which are now part
of the 5 676-question test split. If the choices fit those questions, a wire's margin over text is larger there than
on the other 4 676 (20 articles). Reads the test runs' predictions; writes one JSON and prints a table.

    python bench/round1_articles.py --out results/bench/round1-articles.json
"""
import argparse, json, sys
from datetime import date
from pathlib import Path
from latentwire.data import load_qa
from latentwire.metrics import paired_difference
from latentwire.results import question_scores

RUNS = Path('results/runs')
TEXT = {'qwen2.5-coder-0.5b': RUNS/'gpu-2026-11-30b/test-qwen2.5-coder-0.5b', 'smollm2-135m': RUNS/'gpu-2026-11-30d/test-smollm2-135m'}
SELECTION = 'context_select@64'  # the same 64 tokens as text, for the token wires; stage 1 reads the full text
WIRES = [('stage 1', RUNS/f'gpu-2026-11-30e/stage1-seed0/{r}', r, None, 'text') for r in TEXT] + \
        [('stage 3', p/r, r, None, SELECTION) for r in TEXT for p in sorted(RUNS.glob('gpu-2026-11-30*/stage3-tokens-seed*'))
         if (p/r/'predictions.jsonl.gz').exists()] + \
        [('stage 4', p/'smollm2-135m+qwen2.5-coder-0.5b', r, r, SELECTION) for r in TEXT
         for p in sorted(RUNS.glob('gpu-2026-11-30*/s4-tokens-seed*')) if (p/'smollm2-135m+qwen2.5-coder-0.5b/predictions.jsonl.gz').exists()]


def split_difference(run, base, base_method, receiver, round1:set) -> dict:
    "Paired F1 difference of `run` over `base` on round 1's questions and on the others, articles resampled."
    a, b = question_scores(run, None, receiver), question_scores(base, base_method, receiver)
    articles = {i: a[i][1] or b[i][1] or i for i in a}
    out = {}
    for part, keep in (('round1', lambda i: i in round1), ('rest', lambda i: i not in round1)):
        ids = [i for i in a if keep(i)]
        d = paired_difference({i: a[i][0] for i in ids}, {i: b[i][0] for i in ids}, {i: articles[i] for i in ids})
        out[part] = dict(mean=d['mean'], ci95=d['ci95'], n=d['n'], articles=len({articles[i] for i in ids}))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--out', default=None)
    a = p.parse_args()
    round1 = {ex.id for ex in load_qa('squad', 'validation', 1000)}
    rows = []
    print(f"{'wire':<8} {'receiver':>20} {'run':<22} {'minus':<18} {'validation[:1000]':>26} {'the other 4 676':>26}")
    for stage, run, receiver, which, base in WIRES:
        d = split_difference(run, TEXT[receiver], base, which, round1)
        rows.append(dict(stage=stage, receiver=receiver, run=str(run), base_method=base, **d))
        cell = lambda x: f"{x['mean']:+6.2f} [{x['ci95'][0]:+6.2f}, {x['ci95'][1]:+6.2f}]"
        print(f"{stage:<8} {receiver:>20} {run.parent.name:<22} {base:<18} {cell(d['round1']):>26} {cell(d['rest']):>26}")
    if a.out:
        res = dict(date=str(date.today()), command='python ' + ' '.join(sys.argv), rows=rows)
        Path(a.out).write_text(json.dumps(res, indent=1) + '\n'); print(f"saved {a.out}")


if __name__ == '__main__': main()
