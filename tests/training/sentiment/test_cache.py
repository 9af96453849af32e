from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from features.sentiment.encoder import Embeddings, normalise
from tests.features.sentiment.sentiment_fakes import HashEncoder
from training.sentiment.cache import PROBE, cache_path, cached_embed


def texts_embedded(encoder: HashEncoder) -> list[list[str]]:
    """The batches the encoder was given, less the probe that names the cache file."""
    return [batch for batch in encoder.batches if batch != [PROBE]]


def test_cached_texts_are_not_embedded_again(tmp_path: Path) -> None:
    encoder = HashEncoder()
    first = cached_embed(encoder, "fake", ["a", "bb", "a"], batch_size=8, cache_dir=tmp_path)
    assert texts_embedded(encoder) == [["a", "bb"]]  # a repeated text is embedded once
    seen: list[int] = []
    second = cached_embed(encoder, "fake", ["bb", "ccc", "a"], batch_size=8, cache_dir=tmp_path,
                          progress=seen.append)
    assert texts_embedded(encoder)[1:] == [["ccc"]] and sum(seen) == 3
    np.testing.assert_array_equal(second[[0, 2]], first[[1, 0]])
    np.testing.assert_array_equal(second, HashEncoder().encode(["bb", "ccc", "a"]))
    assert cache_path(tmp_path, "fake", encoder).is_file()


class RoundedElsewhere(HashEncoder):
    """The same encoder by name and version, computing a little differently: quantised another way, or
    rounding otherwise on another processor."""

    def encode(self, texts: Sequence[str]) -> Embeddings:
        return normalise(super().encode(texts) + np.float32(1e-3))


def test_an_encoder_that_computes_otherwise_does_not_read_anothers_cache(tmp_path: Path) -> None:
    cached_embed(HashEncoder(), "fake", ["a", "bb"], batch_size=8, cache_dir=tmp_path)
    other = RoundedElsewhere()
    rows = cached_embed(other, "fake", ["a", "bb"], batch_size=8, cache_dir=tmp_path)
    assert texts_embedded(other) == [["a", "bb"]]
    np.testing.assert_array_equal(rows, RoundedElsewhere().encode(["a", "bb"]))
    assert len(list(tmp_path.iterdir())) == 2


def test_without_a_cache_dir_it_is_plain_embed(tmp_path: Path) -> None:
    encoder = HashEncoder()
    out = cached_embed(encoder, "fake", ["x", "y"], batch_size=1, cache_dir=None)
    assert out.shape == (2, 8) and encoder.batches == [["x"], ["y"]] and not list(tmp_path.iterdir())
