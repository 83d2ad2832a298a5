"""The local data copies load completely and as documented; the protocol splits are what the README says."""
import pytest
from latentwire.data import load_qa, find_local, article, SPLIT_FILES


@pytest.mark.parametrize('split,rows', [('validation', 5676), ('test', 5676)])
def test_squad_splits_load_whole(split, rows):
    if not find_local('squad', SPLIT_FILES.get(split, split)): pytest.skip('no local SQuAD copy')
    exs = load_qa('squad', split)
    assert len(exs) == rows
    assert all(ex.answers and ex.question.strip() and ex.context.strip() for ex in exs)
    assert sum(any(a in ex.context for a in ex.answers) for ex in exs) == rows  # extractive: every answer is a span


def test_hotpotqa_supporting_context_is_shorter():
    if not find_local('hotpotqa', 'validation'): pytest.skip('no local HotpotQA copy')
    sup, full = load_qa('hotpotqa', n=20), load_qa('hotpotqa', n=20, hotpot_context='all')
    assert all(len(s.context) < len(f.context) for s, f in zip(sup, full))
    assert [s.answers for s in sup] == [f.answers for f in full]


def test_squad_dev_is_train_articles_no_training_example_uses():
    if not find_local('squad', 'train'): pytest.skip('no local SQuAD copy')
    train, dev, test = (load_qa('squad', s) for s in ('train', 'dev', 'test'))
    assert len(dev) == 1000 and len({article(ex) for ex in dev}) == 20
    assert len(train) + sum(1 for _ in dev) < 87599 and len({article(ex) for ex in train}) == 442 - 20
    assert not {article(ex) for ex in train} & {article(ex) for ex in dev}
    assert not {article(ex) for ex in test} & {article(ex) for ex in dev}  # dev comes from the train split
    assert [ex.id for ex in load_qa('squad', 'dev')] == [ex.id for ex in dev]  # the same carve on every call
