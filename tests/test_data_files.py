"""The local data copies load completely and as documented."""
import pytest
from latentwire.data import load_qa, find_local


@pytest.mark.parametrize('split,rows', [('validation', 5676), ('train', 87599)])
def test_squad_splits_load_whole(split, rows):
    if not find_local('squad', split): pytest.skip('no local SQuAD copy')
    exs = load_qa('squad', split)
    assert len(exs) == rows
    assert all(ex.answers and ex.question.strip() and ex.context.strip() for ex in exs)
    assert sum(any(a in ex.context for a in ex.answers) for ex in exs) == rows  # extractive: every answer is a span


def test_hotpotqa_supporting_context_is_shorter():
    if not find_local('hotpotqa', 'validation'): pytest.skip('no local HotpotQA copy')
    sup, full = load_qa('hotpotqa', n=20), load_qa('hotpotqa', n=20, hotpot_context='all')
    assert all(len(s.context) < len(f.context) for s, f in zip(sup, full))
    assert [s.answers for s in sup] == [f.answers for f in full]
