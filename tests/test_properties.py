"""Property tests: the metrics, the byte encoder on any Unicode text, the wire format on any latents."""
import torch
from hypothesis import given, settings, strategies as st
from latentwire.metrics import normalize_answer, f1, exact_match, extract_answer
from latentwire.encoders import ByteEncoder
from latentwire.wire_format import BITS, from_bytes, to_bytes, quantize, dequantize

any_text = st.text(st.characters(blacklist_categories=()), max_size=80)  # every category, lone surrogates included


@given(any_text, any_text)
def test_answer_metrics(a, b):
    assert normalize_answer(normalize_answer(a)) == normalize_answer(a)
    assert 0. <= f1(a, b) <= 1. and f1(a, b) == f1(b, a)
    assert f1(a, a) == 1. and exact_match(a, a) == 1.
    assert '\n' not in extract_answer(a + '\n' + b)


encoder = ByteEncoder(d_z=16, layers=1, heads=2, dropout=0., max_bytes=64).eval()


@settings(max_examples=60, deadline=None)
@given(st.lists(any_text, min_size=1, max_size=3))
def test_byte_encoder_reads_any_text(texts):
    with torch.no_grad(): h, mask = encoder(texts)
    lengths = [min(len(t.encode('utf-8', errors='replace')), 64) for t in texts]
    assert h.shape == (len(texts), max(1, max(lengths)), 16)
    assert mask.sum(1).tolist() == lengths
    assert torch.isfinite(h).all() and (h[~mask.bool()] == 0).all()  # padding, and an empty text, are zeros


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.sampled_from([8, 16, 32]), st.sampled_from(BITS), st.floats(1e-3, 1e3))
def test_wire_packets_round_trip(n, d, bits, scale):
    z = torch.randn(n, d) * scale
    back, header = from_bytes(to_bytes(z, bits, 8, encoder='e'), expect={'d_z': d, 'n': n, 'bits': bits})
    assert torch.allclose(back, dequantize(*quantize(z, bits, 8), 8))
