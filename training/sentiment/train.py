"""Fit the sentiment head on one encoder's embeddings and measure it on held-out rows, on that backend and on
any other backend of the same encoder (e.g. a head fitted on torch fp32 embeddings, checked on ONNX int8)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from features.sentiment import SentimentHead
from features.sentiment.encoder import Encoder
from features.sentiment.model import Progress, encoder_text
from features.text.analysis import message_language
from features.text.ngrams import ngram_buckets
from training.sentiment.cache import cached_embed
from training.sentiment.data import UNKNOWN_LANG
from training.sentiment.metrics import sentiment_metrics


def analysed_languages(frame: pd.DataFrame) -> list[str]:
    """Each row's language as the analyser sets it: the given one, else detected (offsets are per
    language)."""
    return [message_language(text, None if lang == UNKNOWN_LANG else lang)
            for text, lang in zip(frame.text, frame.lang, strict=True)]


def fit_head(
    train: pd.DataFrame, encoder: Encoder, backend: str, *, C: float, seed: int, batch_size: int,
    cache_dir: Path | None = None, progress: Progress | None = None, ngrams: bool = True, hidden: int = 0,
) -> SentimentHead:
    texts = [encoder_text(t) for t in train.text]
    X = cached_embed(encoder, backend, texts, batch_size=batch_size, cache_dir=cache_dir, progress=progress)
    head = SentimentHead(encoder.name, encoder.version, C=C, random_state=seed, ngrams=ngrams,
                         folds=3 if ngrams else 0, hidden=hidden)
    buckets = [ngram_buckets(t, head.ngram_spelling) for t in texts] if ngrams else None
    return head.fit(X, train.sentiment.to_numpy(), buckets, analysed_languages(train) if ngrams else None)


def evaluate_head(
    head: SentimentHead, test: pd.DataFrame, encoders: Mapping[str, Encoder], *, batch_size: int,
    cache_dir: Path | None = None, progress: Progress | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """{backend: {"all"|lang: metrics}} for each backend in `encoders` (all must run the head's encoder)."""
    out = {}
    texts = [encoder_text(t) for t in test.text]
    for backend, encoder in encoders.items():
        if encoder.name != head.encoder_name:
            raise ValueError(f"backend {backend} runs {encoder.name!r}, not the head's {head.encoder_name!r}")
        X = cached_embed(encoder, backend, texts, batch_size=batch_size, cache_dir=cache_dir,
                         progress=progress)
        buckets = [ngram_buckets(t, head.ngram_spelling) for t in texts] if head.uses_ngrams else None
        probabilities = head.predict_proba(X, buckets, analysed_languages(test))
        out[backend] = sentiment_metrics(test.sentiment, probabilities, head.classes_, test.lang)
    return out


def split_counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Rows per language and label (counts only: the card never holds a text)."""
    counts = frame.groupby(["lang", "sentiment"]).size()
    return {str(lang): {str(label): int(n) for label, n in counts[lang].items()}
            for lang in counts.index.get_level_values(0).unique()}
