"""`bench/pooled_oracle.py`'s reading: the receiver's own context embeddings averaged k at a time, none for closed book."""
import importlib.util
from pathlib import Path
import torch
from latentwire.data import QAExample
from latentwire.receivers import FrozenLM

spec = importlib.util.spec_from_file_location('pooled_oracle', Path(__file__).parent.parent / 'bench' / 'pooled_oracle.py')
oracle = importlib.util.module_from_spec(spec); spec.loader.exec_module(oracle)
EXS = [QAExample('1', 'Who has it?', 'Ann has the red box now.', ['Ann']), QAExample('2', 'What is it?', 'A cat.', ['cat'])]


def test_means_of_k_embeddings():
    lm = FrozenLM.load('tiny-llama', device='cpu')
    ids = lm.encode('Context: ' + EXS[0].context)
    z, mask = oracle.MeanedContext(lm, 2)(EXS)
    assert mask[0].sum() == -(-len(ids) // 2) and mask[1].sum() == -(-len(lm.encode('Context: A cat.')) // 2)
    with torch.no_grad(): e = lm.embed(torch.tensor(ids))
    torch.testing.assert_close(z[0, 0], e[:2].mean(0))
    torch.testing.assert_close(oracle.MeanedContext(lm, 1)(EXS)[0][0, :len(ids)], e)  # k = 1: the text's own embeddings


def test_rescaled_means_keep_the_rms_and_closed_book_reads_nothing():
    lm = FrozenLM.load('tiny-llama', device='cpu')
    z, mask = oracle.MeanedContext(lm, 4, rescale=True)(EXS)
    with torch.no_grad(): e = lm.embed(torch.tensor(lm.encode('Context: ' + EXS[0].context)[:4]))
    torch.testing.assert_close(z[0, 0].pow(2).mean().sqrt(), e.pow(2).mean(-1).mean().sqrt())
    assert oracle.MeanedContext(lm, 0)(EXS)[1].sum() == 0
    assert oracle.MeanedContext(lm, 1).text_after(EXS[:1]) == ['\nQuestion: Who has it?']
