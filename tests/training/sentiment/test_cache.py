from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from features.sentiment.encoder import Embeddings
from training.sentiment.cache import cache_path, cached_embed


class HashEncoder:
    """One fixed vector per text (from its length and first letter); records each batch."""

    name = "hash-encoder"
    version = "0"
    dim = 8

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> Embeddings:
        self.batches.append(list(texts))
        return np.array([[len(t), ord(t[0])] + [0.0] * 6 for t in texts], dtype=np.float32)


def test_cached_texts_are_not_embedded_again(tmp_path: Path) -> None:
    encoder = HashEncoder()
    first = cached_embed(encoder, "fake", ["a", "bb", "a"], batch_size=8, cache_dir=tmp_path)
    assert encoder.batches == [["a", "bb"]]  # a repeated text is embedded once
    seen: list[int] = []
    second = cached_embed(encoder, "fake", ["bb", "ccc", "a"], batch_size=8, cache_dir=tmp_path,
                          progress=seen.append)
    assert encoder.batches[1:] == [["ccc"]] and sum(seen) == 3
    np.testing.assert_array_equal(second[[0, 2]], first[[1, 0]])
    np.testing.assert_array_equal(second, HashEncoder().encode(["bb", "ccc", "a"]))
    assert cache_path(tmp_path, "fake", encoder).is_file()


def test_without_a_cache_dir_it_is_plain_embed(tmp_path: Path) -> None:
    encoder = HashEncoder()
    out = cached_embed(encoder, "fake", ["x", "y"], batch_size=1, cache_dir=None)
    assert out.shape == (2, 8) and encoder.batches == [["x"], ["y"]] and not list(tmp_path.iterdir())
