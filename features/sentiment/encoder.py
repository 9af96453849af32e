"""What every sentence encoder offers the sentiment model: a name, a version and `encode`, which turns one
batch of texts into L2-normalised embeddings (rows of float32). Batching itself lives in `model.embed`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Embeddings = npt.NDArray[np.float32]

# Longer texts are cut: sentiment shows early, and attention cost grows with the square of the length.
MAX_TOKENS = 256

# all-MiniLM-L6-v2 runs on two backends (torch fp32, ONNX int8); a head trained on one works with both.
MINILM_NAME = "all-MiniLM-L6-v2"


class Encoder(Protocol):
    name: str  # e.g. "all-MiniLM-L6-v2"; a head records it and refuses any other encoder
    version: str  # the package version that ships the weights
    dim: int

    def encode(self, texts: Sequence[str]) -> Embeddings:
        """One batch in, one row per text out (L2-normalised)."""
        ...


def mean_pool(hidden: npt.NDArray[np.float32], mask: npt.NDArray[np.int64]) -> Embeddings:
    """Mean over the real tokens (padding masked out), then L2-normalised: sentence-transformers' recipe
    for all-MiniLM-L6-v2, so the embedding is the one the model was trained to produce."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    return normalise(summed / counts)


def normalise(rows: npt.NDArray[np.float32]) -> Embeddings:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.clip(norms, 1e-12, None)).astype(np.float32)
