"""A tiny deterministic encoder for unit tests of batching and the head: no model, no download."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from features.sentiment.encoder import Embeddings, normalise


class HashEncoder:
    """Embeds a text as a pseudo-random unit vector seeded by its hash; records each batch it was given."""

    name = "hash-encoder"
    version = "0"
    dim = 8

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> Embeddings:
        self.batches.append(list(texts))
        seeds = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) for t in texts]
        rows = [np.random.default_rng(seed).normal(size=self.dim) for seed in seeds]
        return normalise(np.asarray(rows, dtype=np.float32))
