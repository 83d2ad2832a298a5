"""The installed `latentwire` command."""
import json, os, subprocess, sys


def run(*args):
    return subprocess.run([sys.executable, '-m', 'latentwire', *args], capture_output=True, text=True)


def tiny_qa(tmp_path):
    "Twelve one-sentence questions over three articles, as a JSONL file."
    data = tmp_path / 'qa.jsonl'
    data.write_text(''.join(json.dumps(dict(id=str(i), title=f'a{i % 3}', question=f'Who has item {i}?', context=f'{n} has item {i}.',
                                            answers=[n])) + '\n' for i, n in enumerate(['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo'] * 2)))
    return data


def test_help_lists_commands():
    r = run('--help')
    assert r.returncode == 0 and all(c in r.stdout for c in ('baseline', 'models', 'results'))


def test_models_list_names_both_reference_receivers():
    r = run('models', 'list')
    assert r.returncode == 0 and 'smollm2-135m' in r.stdout and 'qwen2.5-coder-0.5b' in r.stdout


def test_unknown_model_offline_says_how_to_fix(tmp_path):
    data = tmp_path / 'qa.jsonl'
    data.write_text(json.dumps(dict(id='1', question='Who?', context='Ann.', answers=['Ann'])) + '\n')
    r = subprocess.run([sys.executable, '-m', 'latentwire', 'baseline', '--model', 'no-such-org/no-such-model', '--data', str(data),
                        '--n', '1', '--styles', 'chat', '--out', str(tmp_path / 'run')],
                       capture_output=True, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'})
    assert r.returncode == 2
    assert 'local transformers folder' in r.stderr and 'Traceback' not in r.stderr


def test_bad_data_line_is_named(tmp_path):
    data = tmp_path / 'qa.jsonl'
    data.write_text('{"question": "Q", "context": "C", "answers": ["a"]}\n{"question": "Q", "context": "", "answers": ["a"]}\n')
    r = run('baseline', '--model', 'tiny-llama', '--data', str(data), '--out', str(tmp_path / 'run'))
    assert r.returncode == 2 and f'{data}:2' in r.stderr and "'context'" in r.stderr


def test_ship_then_demo_prints_every_receivers_answers(tmp_path):
    "A stage-4 run shipped as a wire; `latentwire demo --wire` has both receivers answer from it and from the text."
    data = tiny_qa(tmp_path)
    tiny = ['--device', 'cpu', '--data', str(data), '--max_new_tokens', '2', '--quiet']
    r = run('stage4', '--model', 'tiny-llama,tiny-qwen2', '--n', '2', '--samples', '4', '--eval_n', '2', '--steps', '2', '--batch_size', '2',
            '--latent_len', '8', '--d_z', '16', '--adapter_hidden', '32', '--pretrain_steps', '0', '--style', 'plain,chat', '--out', str(tmp_path / 'run'), *tiny)
    assert r.returncode == 0, r.stderr[-2000:]
    # one style per receiver (a base model without a chat template reads a plain one)
    meta = json.loads((tmp_path / 'run' / 'tiny-llama+tiny-qwen2' / 'best.json').read_text())
    assert meta['styles'] == {'tiny-llama': 'plain', 'tiny-qwen2': 'chat'}
    r = run('ship', str(tmp_path / 'run' / 'tiny-llama+tiny-qwen2'), '--dest', str(tmp_path / 'wire'), '--note', 'test')
    assert r.returncode == 0 and 'float16' in r.stdout, r.stderr[-2000:]
    r = run('demo', '--wire', str(tmp_path / 'wire'), '--n', '3', '--data', str(data), '--device', 'cpu', '--max_new_tokens', '2',
            '--out', str(tmp_path / 'demo'))
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.count('wire:') == 6 and 'positions read' in r.stdout and 'demo.json' in r.stdout
    assert json.loads((tmp_path / 'demo' / 'demo.json').read_text())['summary'].keys() == {'tiny-llama', 'tiny-qwen2'}


def test_a_receiver_joins_a_pooled_wire_by_its_reader_alone_then_the_tools_read_it(tmp_path):
    "`latentwire pooled --base`: the new receiver trains its reader, the rest stays bit-identical; `quantize`, `diagnose` and the explorer read the run."
    data = tiny_qa(tmp_path)
    tiny = ['--encoder_model', 'tiny-qwen2', '--device', 'cpu', '--data', str(data), '--n', '3', '--eval_n', '2', '--steps', '2',
            '--batch_size', '2', '--eval_every', '2', '--max_new_tokens', '2', '--style', 'plain', '--adapter_hidden', '32', '--control_n', '2', '--quiet']
    assert run('pooled', '--model', 'tiny-llama', *tiny, '--out', str(tmp_path / 'base')).returncode == 0
    r = run('pooled', '--model', 'tiny-llama,tiny-qwen2', *tiny, '--base', str(tmp_path / 'base'), '--out', str(tmp_path / 'joined'),
            '--record', str(tmp_path / 'joined-rec'), '--tag', 'long')
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'tiny-qwen2 joined' in r.stdout and 'bit-identical' in r.stdout
    # named as a stage-4 join is: the base's method, the tag, then the join's suffix
    methods = [json.loads(p.read_text())['method'] for p in (tmp_path / 'joined-rec').glob('s4_tiny-qwen2_*.json')]
    assert methods and all('-long-joined' in m for m in methods), methods
    assert json.loads((tmp_path / 'joined' / 'tiny-qwen2' / 'metrics.json').read_text())['content_positions'] > 0  # what text is set beside
    # its latents sent as int8 packets: one record per receiver, named by the run (a pooled run holds its own checkpoint)
    r = run('quantize', str(tmp_path / 'joined'), '--bits', '8', '--data', str(data), '--n', '3', '--device', 'cpu',
            '--max_new_tokens', '2', '--record', str(tmp_path / 'rec'))
    assert r.returncode == 0, r.stderr[-2000:]
    assert sorted(p.name for p in (tmp_path / 'rec').glob('s*.json')) == [
        f's4_{n}_joined-int8-g64_validation_3.json' for n in ('tiny-llama', 'tiny-qwen2')]
    # and diagnosed as one of its receivers reads it
    diag = ['diagnose', 'ablate', str(tmp_path / 'joined'), '--data', str(data), '--n', '3', '--device', 'cpu', '--max_new_tokens', '2',
            '--out', str(tmp_path / 'diag')]
    r = run(*diag, '--model', 'tiny-qwen2')
    assert r.returncode == 0 and 'every other latent dropped' in r.stdout, r.stderr[-2000:]
    r = run(*diag, '--model', 'smollm2-135m')
    assert r.returncode == 2 and 'is read by tiny-llama, tiny-qwen2' in r.stderr
    # and explored: one reader per receiver, named by the run
    from latentwire.data import load_qa
    from latentwire.explorer import readers_from_runs
    assert list(readers_from_runs([tmp_path / 'joined'], load_qa(str(data)), device='cpu')) == ['joined/tiny-llama', 'joined/tiny-qwen2']
    r = run('pooled', '--model', 'tiny-qwen2', *tiny, '--base', str(tmp_path / 'base'), '--out', str(tmp_path / 'bad'))
    assert r.returncode == 2 and 'must name them all' in r.stderr


def test_pooled_readers_align_first_once(tmp_path):
    "`--align_steps`: the readers are aligned before the first QA step; a resumed run does not align again."
    data = tiny_qa(tmp_path)
    tiny = ['--model', 'tiny-llama,tiny-qwen2', '--encoder_model', 'tiny-qwen2', '--device', 'cpu', '--data', str(data), '--n', '3',
            '--eval_n', '2', '--batch_size', '2', '--eval_every', '2', '--max_new_tokens', '2', '--style', 'plain', '--adapter_hidden', '32',
            '--control_n', '2', '--quiet', '--align_steps', '3', '--out', str(tmp_path / 'run')]
    r = run('pooled', *tiny, '--steps', '4', '--stop_after', '2')
    assert r.returncode == 0 and 'readers aligned in 3 steps' in r.stdout, r.stderr[-2000:]
    log = (tmp_path / 'run' / 'align.jsonl').read_text().splitlines()
    assert len(log) == 3 and {'align_tiny-llama', 'align_tiny-qwen2'} <= set(json.loads(log[0]))
    r = run('pooled', *tiny, '--steps', '4', '--resume')
    assert r.returncode == 0 and 'readers aligned' not in r.stdout, r.stderr[-2000:]
    assert (tmp_path / 'run' / 'align.jsonl').read_text().splitlines() == log
    r = run('pooled', *tiny, '--steps', '4', '--init', str(tmp_path / 'run'))
    assert r.returncode == 2 and 'fresh readers' in r.stderr


def test_pretrain_aligns_then_a_finished_run_is_left_as_it_is(tmp_path):
    "`latentwire pretrain --align_steps`: aligned, pre-trained, checked on unseen segments; run again with --resume, it does nothing."
    data = tmp_path / 'qa.jsonl'
    words = ' '.join(f'w{i}' for i in range(40))
    data.write_text(''.join(json.dumps(dict(id=str(i), title=f'a{i % 3}', question=f'Who has item {i}?', context=f'{n} has item {i}. {words}',
                                            answers=[n])) + '\n' for i, n in enumerate(['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo'] * 2)))
    args = ['pretrain', '--model', 'tiny-llama', '--encoder_model', 'tiny-qwen2', '--device', 'cpu', '--data', str(data), '--n', '2',
            '--eval_n', '2', '--batch_size', '2', '--steps', '2', '--eval_every', '2', '--max_new_tokens', '2', '--style', 'plain',
            '--adapter_hidden', '32', '--words', '8', '--rest_words', '4', '--align_steps', '2', '--quiet', '--out', str(tmp_path / 'pre')]
    r = run(*args)
    assert r.returncode == 0 and 'readers aligned in 2 steps' in r.stdout and 'reconstruction of' in r.stdout, r.stderr[-2000:]
    r = run(*args, '--resume')
    assert r.returncode == 0 and 'nothing to do' in r.stdout, r.stderr[-2000:]


def test_a_receiver_joins_a_stage4_wire_by_its_adapter_alone(tmp_path):
    "`latentwire stage4 --base`: the receiver that joined (trained its adapter alone) is tested and recorded as joined."
    data = tiny_qa(tmp_path)
    tiny = ['--device', 'cpu', '--data', str(data), '--max_new_tokens', '2', '--quiet', '--n', '2', '--samples', '4', '--eval_n', '2',
            '--steps', '2', '--batch_size', '2', '--latent_len', '8', '--d_z', '16', '--adapter_hidden', '32', '--pretrain_steps', '0',
            '--style', 'plain', '--control_n', '2']
    assert run('stage4', '--model', 'tiny-llama', *tiny, '--out', str(tmp_path / 'base')).returncode == 0
    r = run('stage4', '--model', 'tiny-llama,tiny-qwen2', *tiny, '--base', str(tmp_path / 'base' / 'tiny-llama'),
            '--out', str(tmp_path / 'joined'), '--record', str(tmp_path / 'rec'), '--tag', 'long')
    assert r.returncode == 0 and 'tiny-qwen2 joined' in r.stdout and 'bit-identical' in r.stdout, r.stderr[-2000:]
    # the base recipe's method (its tag included), then '-extended'
    recs = [json.loads(p.read_text()) for p in (tmp_path / 'rec').glob('s4_*_shared-bytes-M8-long-extended_*.json')]
    assert {r['receiver']: r['joined'] for r in recs} == {'tiny-qwen2': True}  # the base's receiver keeps the base's test


def test_stage2_keeps_the_selection_in_its_own_record(tmp_path):
    "`latentwire stage2 --record`: the same selected tokens as text ride in the stage-2 record; the baselines' stage-0 record of the selection is left alone."
    rec = tmp_path / 'rec'; rec.mkdir()
    baseline = rec / 's0_tiny-llama_context_select-plain-8_test_2_float32.json'
    baseline.write_text(json.dumps(dict(stage=0, receiver='tiny-llama', method='context_select/plain@8', split='test', n=2, em=12.5,
                                        f1=12.5, dtype='float32', command='latentwire baseline …')))
    before = baseline.read_text()
    r = run('stage2', '--model', 'tiny-llama', '--device', 'cpu', '--data', str(tiny_qa(tmp_path)), '--split', 'test', '--n', '2',
            '--samples', '4', '--eval_n', '2', '--steps', '2', '--batch_size', '2', '--latent_len', '8', '--d_z', '16', '--width', '32',
            '--layers', '1', '--align_pretrain_steps', '2', '--max_new_tokens', '2', '--style', 'plain', '--quiet', '--control_n', '2',
            '--out', str(tmp_path / 'run'), '--record', str(rec))
    assert r.returncode == 0, r.stderr[-2000:]
    assert baseline.read_text() == before and not [p for p in rec.glob('s0_*.json') if p != baseline]
    recs = [json.loads(p.read_text()) for p in rec.glob('s2_*.json')]
    assert recs and 0 <= next(r for r in recs if r['method'] == 'bytes-spans-M8')['selection_f1'] <= 100
