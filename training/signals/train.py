"""Fit the signal head on labelled messages: the encoder's embeddings (cached like the sentiment head's),
the hashed n-grams and the phrase files' hits, all computed as the analyser computes them at serving."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from features.sentiment.encoder import Encoder
from features.sentiment.model import Progress, encoder_text
from features.text.analysis import message_language
from features.text.lexicon import Lexicon
from features.text.ngrams import ngram_buckets
from features.text.signal_head import LEARNED, PHRASES, SignalHead
from features.text.signals import detect_signals
from training.sentiment.cache import cached_embed


def phrase_hits(frame: pd.DataFrame, lexicon: Lexicon) -> np.ndarray:
    """0/1 per PHRASES column: what the phrase files find in each message (language as the analyser
    sets it)."""
    out = np.zeros((len(frame), len(PHRASES)))
    for i, (text, lang) in enumerate(zip(frame.text, frame.lang, strict=True)):
        names = {s.name for s in detect_signals(text, message_language(text, lang), lexicon=lexicon)}
        out[i] = [name in names for name in PHRASES]
    return out


def fit_signal_head(
    train: pd.DataFrame,
    encoder: Encoder,
    backend: str,
    lexicon: Lexicon,
    *,
    C: float,
    seed: int,
    batch_size: int,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> SignalHead:
    """Rows must carry every learned signal's column (0/1)."""
    missing = [s.value for s in LEARNED if train[s.value].isna().any()]
    if missing:
        raise ValueError(
            f"training rows without labels for {', '.join(missing)}: every training file needs "
            "all nine signal columns"
        )
    texts = [encoder_text(t) for t in train.text]
    E = cached_embed(encoder, backend, texts, batch_size=batch_size, cache_dir=cache_dir, progress=progress)
    Y = train[[s.value for s in LEARNED]].to_numpy()
    head = SignalHead(encoder.name, encoder.version, C=C, random_state=seed)
    buckets = [ngram_buckets(t, head.ngram_spelling) for t in texts]
    return head.fit(E, buckets, phrase_hits(train, lexicon), Y)
