"""Question-to-answer latency and throughput of a receiver reading the text vs reading a trained wire, and the memory of one
training step with and without gradient checkpointing. Prints tables (ratios from the same run, card named) and writes JSON.

    python bench/bench.py RUN [--batch_sizes 1,64] [--decode eager,static,static-fixed] [--heads zero,fewshot]
        [--out OUT.json]

RUN is a stage-1 or stage-3 run folder (its receiver, prompt format and best checkpoint are used). `--decode static`
also times both paths decoding through `generate` with a static KV cache (compiled into CUDA graphs on a GPU), after
checking that it gives the same answers as the library's eager greedy decoding; `static-fixed` also pads every prompt of
a path to one length, so that batches of varying prompt lengths do not meet the compiled decoding with new shapes.
The prefill columns time the receiver's forward pass over the prompts as assembled (unpadded) in every mode.

Equal heads (`--heads zero,fewshot`, the default; eager decoding only): the text path and the wire path read the same
prompt head, so that the ratio measures the wire rather than the demonstrations. 'zero': both zero-shot (the zero-shot
variant of the run's style: chat for chat/fewshot, plain for plain/plain_fewshot), nothing cached. 'fewshot': both
4-shot (fewshot or plain_fewshot), the head (instructions + demonstrations, the same for every question) run through the
receiver once and its KV cache reused, so each batch prefills only its `[content or wire, anchor]` positions; the
answers so decoded are checked against the uncached ones. The wire was trained under one of the two heads (JSON
`wire_trained_head`); under the other the timing is still a valid latency, its F1 likely lower (F1 is given for both).
`--decode none` skips the older tables (text in `--text_style`, wire in its own format).

    python bench/bench.py RUN --batch_sizes 1,64 --heads zero,fewshot --decode none --out results/bench/NAME.json
"""
import argparse, copy, inspect, json, math, statistics, time
from datetime import date
from pathlib import Path
import torch
from latentwire import diagnostics as dg
from latentwire.data import load_qa
from latentwire.baselines import style_format
from latentwire.metrics import best_scores, extract_answer, normalize_answer
from latentwire.receivers import FrozenLM, content_text, _stop_tables, _cache_kw, _cache_of, _last_logits_kw
from latentwire.results import device_name
from latentwire.cli import allow_tf32
from latentwire.training import TrainConfig, wire_losses, wire_segments


def sync():
    if torch.cuda.is_available(): torch.cuda.synchronize()


def seconds(fn, repeats:int) -> list[float]:
    "Wall-clock seconds of each of `repeats` calls of `fn(i)`, after one warm-up call."
    fn(0); sync(); out = []
    for i in range(repeats):
        t = time.perf_counter(); fn(i); sync(); out.append(time.perf_counter() - t)
    return out


def forward_calls(lm, fn) -> int:
    "How many forward passes of the receiver `fn()` makes: the prompt pass, then one per decoded token."
    n = [0]
    hook = lm.model.register_forward_hook(lambda *_: n.__setitem__(0, n[0] + 1))
    try: fn()
    finally: hook.remove()
    return n[0]


class LineStop:
    "The stop rule of `FrozenLM.greedy` as a `generate` stopping criterion: a stop token, or two lines after visible text."
    def __init__(self, lm, prompt_len:int): self.tables, self.prompt_len = _stop_tables(lm), prompt_len
    def __call__(self, input_ids, scores, **kwargs) -> torch.Tensor:
        eos, newline, visible = self.tables
        new = input_ids[:, self.prompt_len:]
        seen_before = (visible[new].long().cumsum(1) - visible[new].long()) > 0  # visible text before this token
        return eos[new].any(1) | ((newline[new] & seen_before).sum(1) >= 2)


def static_cache(lm, batch_size:int, length:int):
    "A `StaticCache` of `length` positions, built with whichever arguments this transformers version takes."
    from transformers import StaticCache
    params = inspect.signature(StaticCache.__init__).parameters
    extra = dict(max_batch_size=batch_size, batch_size=batch_size, device=lm.device, dtype=lm.model.dtype)
    return StaticCache(config=lm.model.config, max_cache_len=length, **{k: v for k, v in extra.items() if k in params})


@torch.no_grad()
def static_generate(lm, seqs:list, max_new_tokens:int, cache_len:int, pad_to:int=0) -> list[str]:
    "Greedy answers through `generate` with a static KV cache of `cache_len` positions, prompts left-padded to at least `pad_to`."
    from transformers import StoppingCriteriaList
    inputs = {k: v for k, v in lm.assemble(seqs, pad_to).items() if k != 'position_ids'}  # generate derives them from the mask, as `assemble` does
    prompt_len = inputs['input_ids'].shape[1] if 'input_ids' in inputs else 0  # from embeddings, generate returns the new tokens only
    out = lm.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=lm.pad_id,
                            stopping_criteria=StoppingCriteriaList([LineStop(lm, prompt_len)]),
                            **{_cache_kw(lm.model): static_cache(lm, len(seqs), cache_len)})
    return [lm.tokenizer.decode(row, skip_special_tokens=True) for row in out[:, prompt_len:].tolist()]


def text_seqs(lm, fmt, examples): return [[torch.tensor(p) for p in lm.prompt_ids(fmt, content_text(ex.context, ex.question))] for ex in examples]


def timed_batches(examples, batch_size:int, repeats:int) -> list:
    "The warm-up batch and the `repeats` timed ones, cycling through `examples`."
    return [examples[(i * batch_size) % len(examples):][:batch_size] for i in range(repeats + 1)]


@torch.no_grad()
def latency(lm, fmt, wire, examples, batch_size:int, repeats:int, max_new_tokens:int, text_fmt=None, decode:str='eager') -> dict:
    "Mean seconds per batch of each path: end to end (question → answer), prefill alone, encoder + adapter alone; the text path in `text_fmt` (default: the wire's)."
    text_fmt = text_fmt or fmt
    batches = timed_batches(examples, batch_size, repeats)
    wire_seqs = lambda exs: wire_segments(lm, fmt, *wire(exs))
    prefill = lambda seqs: lm.model(**lm.assemble(seqs))
    if decode.startswith('static'):  # one cache length per path (its longest prompt in these batches plus the answer): compiled once
        longest = {path: max(sum(len(p) for p in s) for b in batches for s in make(b)) for path, make in
                   (('text', lambda b: text_seqs(lm, text_fmt, b)), ('wire', wire_seqs))}
        fixed = decode == 'static-fixed'  # and every prompt padded to that longest one: the prompt pass has one shape too
        answer = {path: (lambda seqs, n=n: static_generate(lm, seqs, max_new_tokens, 64 * math.ceil((n + max_new_tokens) / 64), n if fixed else 0))
                  for path, n in longest.items()}
    else: answer = dict.fromkeys(('text', 'wire'), lambda seqs: lm.generate(seqs, batch_size, max_new_tokens))
    paths = dict(
        text_end_to_end=lambda i: answer['text'](text_seqs(lm, text_fmt, batches[i])),
        wire_end_to_end=lambda i: answer['wire'](wire_seqs(batches[i])),
        text_prefill=lambda i: prefill(text_seqs(lm, text_fmt, batches[i])),
        wire_prefill=lambda i: prefill(wire_seqs(batches[i])),
        wire_encoder=lambda i: wire(batches[i]))
    out = {k: statistics.mean(seconds(fn, repeats)) for k, fn in paths.items()}
    if decode.startswith('static'):  # the same answers as the eager greedy decoding, or the timing compares different work
        for path, seqs in (('text', text_seqs(lm, text_fmt, batches[0])), ('wire', wire_seqs(batches[0]))):
            eager = [extract_answer(o['text']) for o in lm.generate(seqs, batch_size, max_new_tokens)]
            out[f'static_answers_match_{path}'] = sum(a == extract_answer(t) for a, t in zip(eager, answer[path](seqs))) / len(seqs)
        return out
    for path in ('text', 'wire'):  # a batch decodes until its longest answer ends: the steps explain most of end-to-end time
        out[f'decode_steps_{path}'] = statistics.mean(forward_calls(lm, lambda: paths[f'{path}_end_to_end'](i)) - 1 for i in range(repeats))
        out[f'decode_step_s_{path}'] = (out[f'{path}_end_to_end'] - out[f'{path}_prefill'] - (out['wire_encoder'] if path == 'wire' else 0)) / max(1, out[f'decode_steps_{path}'])
    out['prompt_positions_text'] = statistics.mean(sum(len(p) for p in s) for s in text_seqs(lm, text_fmt, examples[:64]))
    out['prompt_positions_wire'] = statistics.mean(sum(len(p) for p in s) for s in wire_seqs(examples[:64]))
    return out


HEADS = {'zero': 'zero-shot both', 'fewshot': '4-shot both, head cached'}  # --heads: each one's label


def head_style(style:str, head:str) -> str:
    "The run's prompt style with a zero-shot or a few-shot head: chat <-> fewshot, plain <-> plain_fewshot."
    plain = style.startswith('plain')
    return {'zero': 'plain' if plain else 'chat', 'fewshot': 'plain_fewshot' if plain else 'fewshot'}[head]


class CachedHead:
    "A prompt head run through the receiver once (batch 1); its KV cache serves every `[head, content, anchor]` batch."
    def __init__(self, lm, head:torch.Tensor):
        self.lm, self.head = lm, head
        t = time.perf_counter()
        out = lm.model(input_ids=head[None].to(lm.device), use_cache=True, **_last_logits_kw(lm.model))
        self.cache = _cache_of(out)
        sync(); self.seconds = time.perf_counter() - t  # paid once per process, not per question

    def inputs(self, seqs:list) -> dict:
        "Inputs for `FrozenLM.greedy` that prefill only `[content, anchor]`, at the positions that follow the head."
        if any(not torch.equal(seq[0].cpu(), self.head) for seq in seqs): raise ValueError("a prompt with another head")
        rest = self.lm.assemble([seq[1:] for seq in seqs])  # left-padded: padding between head and content, masked
        past = copy.deepcopy(self.cache)  # a forward pass appends to its cache in place: the head's own stays batch 1
        past.batch_repeat_interleave(len(seqs))
        mask = torch.cat([rest['attention_mask'].new_ones(len(seqs), len(self.head)), rest['attention_mask']], 1)
        pos = rest['position_ids'] + len(self.head)
        return {**rest, 'attention_mask': mask, 'position_ids': pos, _cache_kw(self.lm.model): past}

    def greedy(self, seqs:list, max_new_tokens:int): return self.lm.greedy(self.inputs(seqs), max_new_tokens)


def texts(lm, toks:list) -> list[str]: return [lm.tokenizer.decode(t, skip_special_tokens=True) for t in toks]


def mean_f1(answers:list[str], examples) -> float:
    return statistics.mean(best_scores(extract_answer(a), ex.answers)[1] for a, ex in zip(answers, examples))


def same_answer(a:str, b:str) -> float:
    return float(normalize_answer(extract_answer(a)) == normalize_answer(extract_answer(b)))


def head_paths(lm, fmt, wire) -> dict:
    "Examples -> segment lists of each path under prompt format `fmt`: `[head, content tokens or wire, anchor]`."
    return dict(text=lambda exs: text_seqs(lm, fmt, exs), wire=lambda exs: wire_segments(lm, fmt, *wire(exs)))


@torch.no_grad()
def head_latency(lm, fmt, wire, examples, batch_size:int, repeats:int, max_new_tokens:int, cached:bool) -> dict:
    "Seconds per batch, question -> answer (eager greedy decoding), of text and wire read under the same head `fmt`."
    batches, make = timed_batches(examples, batch_size, repeats), head_paths(lm, fmt, wire)
    plain = lambda seqs: lm.greedy(lm.assemble(seqs), max_new_tokens)[0]  # the library's: head prefilled each time
    head = CachedHead(lm, torch.tensor(lm.prompt_ids(fmt, '')[0])) if cached else None
    answer = (lambda seqs: head.greedy(seqs, max_new_tokens)[0]) if cached else plain
    out = {f'{p}_s_per_batch': statistics.mean(seconds(lambda i, f=f: texts(lm, answer(f(batches[i]))), repeats))
           for p, f in make.items()}
    out['ratio_text_over_wire'] = out['text_s_per_batch'] / out['wire_s_per_batch']
    for p, f in make.items():
        out[f'prompt_positions_{p}'] = statistics.mean(sum(len(x) for x in s) for s in f(examples[:64]))
        out[f'prefilled_positions_{p}'] = out[f'prompt_positions_{p}'] - (len(head.head) if cached else 0)
        if cached:  # the cached head must answer as the whole prompt does, or the timing compares different work
            seqs = f(batches[0])
            out[f'cached_answers_match_{p}'] = statistics.mean(float(a == b) for a, b in zip(answer(seqs), plain(seqs)))
    if cached: out['head_prefill_once_s'] = head.seconds
    return out


@torch.no_grad()
def head_quality(lm, fmt, wire, examples, batch_size:int, max_new_tokens:int) -> dict:
    "F1 of text and wire under one head over `examples`, and how often their extracted answers agree."
    ans = {p: [] for p in ('text', 'wire')}
    for i in range(0, len(examples), batch_size):
        for p, f in head_paths(lm, fmt, wire).items():
            ans[p] += texts(lm, lm.greedy(lm.assemble(f(examples[i:i + batch_size])), max_new_tokens)[0])
    return dict(n=len(examples), text_f1=mean_f1(ans['text'], examples), wire_f1=mean_f1(ans['wire'], examples),
                answer_agreement=statistics.mean(map(same_answer, ans['text'], ans['wire'])))


def equal_heads(lm, run_fmt, wire, pool, examples, heads:list, batch_sizes:list, repeats, max_new_tokens:int) -> dict:
    "For each head: text and wire timed under it at each batch size, and their F1 (the wire trained under `run_fmt`)."
    res = {}
    for head in heads:
        style = head_style(run_fmt.style, head)
        fmt = run_fmt if style == run_fmt.style else style_format(lm, style, pool)
        r = res[head] = dict(label=HEADS[head], style=style, head_cached=head == 'fewshot', by_batch={},
                             wire_trained_head=style == run_fmt.style, head_positions=len(lm.prompt_ids(fmt, '')[0]))
        for b in batch_sizes:
            n = repeats or (20 if b == 1 else 5)
            r['by_batch'][b] = head_latency(lm, fmt, wire, examples, b, n, max_new_tokens, r['head_cached'])
        r['quality'] = head_quality(lm, fmt, wire, examples, max(*batch_sizes, 16), max_new_tokens)
    return res


def print_heads(res:dict):
    print(f"\nequal heads, eager decoding{'':<22}{'batch':>5} {'text s/batch':>13} {'wire s/batch':>13} "
          f"{'text/wire':>10} {'text F1':>8} {'wire F1':>8}")
    for r in res.values():
        own = ", the wire's own" if r['wire_trained_head'] else ''  # the head the wire was trained with
        name, q = f"{r['label']} ({r['style']}{own})", r['quality']
        for b, t in r['by_batch'].items():
            print(f"{name:<49}{b:>5} {t['text_s_per_batch']:>13.4f} {t['wire_s_per_batch']:>13.4f} "
                  f"{t['ratio_text_over_wire']:>9.2f}x {q['text_f1']:>8.3f} {q['wire_f1']:>8.3f}")
            if r['head_cached']:
                match = {p: f"{100 * t[f'cached_answers_match_{p}']:.0f} %" for p in ('text', 'wire')}
                print(f"{'':<8}head of {r['head_positions']} positions cached once; answers as uncached on the first "
                      f"batch: text {match['text']}, wire {match['wire']}")


def step_memory(lm, fmt, wire, examples, batch_size:int) -> dict:
    "Peak GPU memory (GiB) of one training forward + backward, with and without gradient checkpointing through the receiver."
    if not torch.cuda.is_available(): return {}
    out, cfg = {}, TrainConfig(batch_size=batch_size)
    lm.enable_checkpointing()
    wire.train()
    for ck in (False, True):
        lm.checkpointing = ck
        torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats(); base = torch.cuda.memory_allocated()
        loss, _ = wire_losses(wire, lm, fmt, examples[:batch_size], cfg, step=0)
        loss.backward(); sync()
        out['checkpointing' if ck else 'plain'] = (torch.cuda.max_memory_allocated() - base) / 2**30
        wire.zero_grad(set_to_none=True)
    lm.checkpointing = False; wire.eval()
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('run'); p.add_argument('--data', default='squad'); p.add_argument('--data_dir', default=None)
    p.add_argument('--n', type=int, default=256, help='validation questions the batches are drawn from')
    p.add_argument('--batch_sizes', default='1,64'); p.add_argument('--repeats', type=int, default=None, help='batches timed per size (default 20 at batch 1, 5 otherwise)')
    p.add_argument('--max_new_tokens', type=int, default=24); p.add_argument('--memory_batch', type=int, default=16)
    p.add_argument('--dtype', default='float32', help='receiver weights (the wire was trained against float32)')
    p.add_argument('--text_style', default=None, help="the text path's prompt style (default: the wire's own format), e.g. fewshot: the best text prompt against a wire trained zero-shot")
    p.add_argument('--decode', default='eager', help="comma-separated: eager (the library's greedy decoding), static (generate with a static KV cache, compiled on GPU), "
                   "static-fixed (the same with every prompt of a path left-padded to one length); none: skip them")
    p.add_argument('--heads', default='zero,fewshot',
                   help="comma-separated, text and wire under the same head (eager decoding): zero (both zero-shot), "
                   "fewshot (both 4-shot, the head's KV cache computed once and reused); none: skip")
    p.add_argument('--models_dir', default=None); p.add_argument('--out', default=None)
    a = p.parse_args()
    decodes, heads = ([] if v == 'none' else v.split(',') for v in (a.decode, a.heads))
    if set(decodes) - {'eager', 'static', 'static-fixed'}:
        p.error(f"--decode: eager, static, static-fixed or none, got {a.decode!r}")
    if set(heads) - set(HEADS): p.error(f"--heads: zero, fewshot or none, got {a.heads!r}")
    allow_tf32()  # float32 receivers with TF32 products, as the library's commands run them
    meta = dg.run_meta(a.run)
    lm = FrozenLM.load(meta['receiver'], a.models_dir, dtype=getattr(torch, a.dtype))
    wire = dg.load_run(a.run, lm)
    pool = load_qa(a.data, 'train', data_dir=a.data_dir)
    fmt = dg.run_format(a.run, lm, pool)
    text_fmt = style_format(lm, a.text_style, pool) if a.text_style else fmt
    examples = load_qa(a.data, 'validation', a.n, None, a.data_dir)
    res = dict(run=a.run, receiver=lm.name, stage=meta['stage'], device=device_name(), torch=torch.__version__, transformers=__import__('transformers').__version__, dtype=a.dtype, text_style=text_fmt.style, wire_style=fmt.style, max_new_tokens=a.max_new_tokens,
               date=str(date.today()), command='python ' + ' '.join(__import__('sys').argv))
    print(f"{lm.name} on {res['device']} ({a.dtype}), run {a.run}")
    for decode in decodes:
        key = 'latency' if decode == 'eager' else f'latency_{decode}'
        res[key] = {}
        print(f"\n{decode} decoding\n{'batch':>5} {'text e2e s':>11} {'wire e2e s':>11} {'speed-up':>9} {'text prefill':>13} {'wire prefill':>13} {'prefill ×':>9} {'encoder s':>10} {'text ex/s':>10} {'wire ex/s':>10}")
        for b in map(int, a.batch_sizes.split(',')):
            r = latency(lm, fmt, wire, examples, b, a.repeats or (20 if b == 1 else 5), a.max_new_tokens, text_fmt, decode)
            r.update(speedup_end_to_end=r['text_end_to_end'] / r['wire_end_to_end'], speedup_prefill=r['text_prefill'] / r['wire_prefill'],
                     text_examples_per_s=b / r['text_end_to_end'], wire_examples_per_s=b / r['wire_end_to_end'])
            res[key][b] = r
            print(f"{b:>5} {r['text_end_to_end']:>11.4f} {r['wire_end_to_end']:>11.4f} {r['speedup_end_to_end']:>8.2f}× {r['text_prefill']:>13.4f} {r['wire_prefill']:>13.4f} "
                  f"{r['speedup_prefill']:>8.2f}× {r['wire_encoder']:>10.4f} {r['text_examples_per_s']:>10.1f} {r['wire_examples_per_s']:>10.1f}")
        for b, r in res[key].items():
            if decode == 'eager':
                print(f"batch {b}: prompt positions text {r['prompt_positions_text']:.0f}, wire {r['prompt_positions_wire']:.0f} (head + latents + anchor); "
                      f"decoding passes per batch text {r['decode_steps_text']:.1f}, wire {r['decode_steps_wire']:.1f} (at most {a.max_new_tokens - 1}); "
                      f"seconds per pass text {r['decode_step_s_text']:.4f}, wire {r['decode_step_s_wire']:.4f}")
            else: print(f"batch {b}: answers equal to eager decoding on the first batch: text {100 * r['static_answers_match_text']:.0f} %, wire {100 * r['static_answers_match_wire']:.0f} %")
    if heads:
        sizes = list(map(int, a.batch_sizes.split(',')))
        res['equal_heads'] = equal_heads(lm, fmt, wire, pool, examples, heads, sizes, a.repeats, a.max_new_tokens)
        res['equal_heads_note'] = (
            "eager greedy decoding, text and wire under the same head; seconds per batch, question to answer; "
            "'fewshot': the head's KV cache computed once (head_prefill_once_s) and reused, answers checked against "
            "the uncached prompt (cached_answers_match_*); F1 over the --n questions under both heads, the wire "
            "trained under the one with wire_trained_head true")
        print_heads(res['equal_heads'])
    res['train_step_memory_gib'] = mem = step_memory(lm, fmt, wire, examples, a.memory_batch)
    if mem: print(f"one training step at batch {a.memory_batch}: peak {mem['plain']:.2f} GiB, with gradient checkpointing {mem['checkpointing']:.2f} GiB ({mem['plain'] / mem['checkpointing']:.1f}× less)")
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1) + '\n'); print(f"saved {a.out}")


if __name__ == '__main__': main()
