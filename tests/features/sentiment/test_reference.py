"""The start-up check that this processor computes the embeddings the packaged heads were trained on."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from features.sentiment import SentimentModel
from features.sentiment.encoder import Embeddings, Encoder, normalise
from features.sentiment.reference import REFERENCE, check_encoder, reference_texts, warn_unless_reference


class ComputesOtherwise:
    """The real encoder with its output moved a little, as another processor's int8 products would move it
    (export r2's embeddings of the reference messages were 0.986 away at worst)."""

    def __init__(self, inner: Encoder, shift: float) -> None:
        self.inner, self.shift = inner, shift
        self.name, self.version, self.dim = inner.name, inner.version, inner.dim

    def encode(self, texts: Sequence[str]) -> Embeddings:
        rows = self.inner.encode(texts)
        return normalise(rows + np.float32(self.shift) * np.roll(rows, 1, axis=1))


@pytest.mark.slow
def test_this_processor_computes_the_embeddings_the_heads_were_trained_on(
    e5onnx_tuned_model: SentimentModel,
) -> None:
    check = check_encoder(e5onnx_tuned_model.encoder)
    assert check.agrees and check.worst_cosine > 0.9998, check


@pytest.mark.slow
def test_an_encoder_that_computes_otherwise_is_reported_without_a_text(
    e5onnx_tuned_model: SentimentModel, caplog: pytest.LogCaptureFixture
) -> None:
    other = ComputesOtherwise(e5onnx_tuned_model.encoder, shift=0.1)
    with caplog.at_level(logging.WARNING, logger="features.sentiment.reference"):
        check = warn_unless_reference(other)
    assert not check.agrees and check.worst_cosine < 0.999
    (record,) = caplog.records
    assert f"worst cosine {check.worst_cosine:.4f} over 12 reference messages" in record.getMessage()
    assert not any(text[:20] in record.getMessage() for text in reference_texts())
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="features.sentiment.reference"):
        assert warn_unless_reference(e5onnx_tuned_model.encoder).agrees
    assert not caplog.records


def test_the_reference_holds_texts_in_three_languages_and_their_embeddings() -> None:
    texts = reference_texts()
    with np.load(REFERENCE) as stored:
        embeddings = stored["embeddings"]
    assert len(texts) == 12 and embeddings.shape == (12, 384) and embeddings.dtype == np.float16
    assert np.allclose(np.linalg.norm(embeddings.astype(np.float32), axis=1), 1, atol=1e-3)
    assert Path(REFERENCE).stat().st_size < 20_000
