from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.features.sentiment.sentiment_fakes import HashEncoder
from training.sentiment.cache import cache_path, cached_embed


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
