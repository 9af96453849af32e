"""Fit the sentiment head on one encoder's embeddings and measure it on held-out rows, on that backend and on
any other backend of the same encoder (e.g. a head fitted on torch fp32 embeddings, checked on ONNX int8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from features.sentiment import SentimentHead, embed
from features.sentiment.encoder import Encoder
from features.sentiment.model import Progress
from training.sentiment.metrics import sentiment_metrics


def fit_head(
    train: pd.DataFrame, encoder: Encoder, *, C: float, seed: int, batch_size: int,
    progress: Progress | None = None,
) -> SentimentHead:
    X = embed(encoder, train.text.tolist(), batch_size, progress)
    head = SentimentHead(encoder.name, encoder.version, C=C, random_state=seed)
    return head.fit(X, train.sentiment.to_numpy())


def evaluate_head(
    head: SentimentHead, test: pd.DataFrame, encoders: Mapping[str, Encoder], *, batch_size: int,
    progress: Progress | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """{backend: {"all"|lang: metrics}} for each backend in `encoders` (all must run the head's encoder)."""
    out = {}
    for backend, encoder in encoders.items():
        if encoder.name != head.encoder_name:
            raise ValueError(f"backend {backend} runs {encoder.name!r}, not the head's {head.encoder_name!r}")
        probabilities = head.predict_proba(embed(encoder, test.text.tolist(), batch_size, progress))
        out[backend] = sentiment_metrics(test.sentiment, probabilities, head.classes_, test.lang)
    return out


def split_counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Rows per language and label (counts only: the card never holds a text)."""
    counts = frame.groupby(["lang", "sentiment"]).size()
    return {str(lang): {str(label): int(n) for label, n in counts[lang].items()}
            for lang in counts.index.get_level_values(0).unique()}
