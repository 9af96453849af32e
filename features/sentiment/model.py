"""`SentimentModel`: an encoder and a trained head, used in three phases (preprocess → forward →
postprocess). `embed` is the one place that batches texts, for serving and training alike."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np

from core.errors import ConfigError
from core.fifo import FifoLock
from core.text import Sentiment, SentimentLabel
from features.sentiment.encoder import Embeddings, Encoder
from features.sentiment.head import SentimentHead
from features.sentiment.reference import EncoderCheck
from features.text.ngrams import BucketIds, ngram_buckets
from features.text.quotes import own_words

# Called with the number of texts embedded since the last call (a tqdm bar's `update` fits).
Progress = Callable[[int], object]
GAP = " … "  # where a clipped text's middle was


def clip(text: str, max_chars: int) -> str:
    """A text longer than `max_chars` as its head and tail, joined by `GAP` and cut at spaces: the opening
    states the problem, the close the demand or the threat. The encoder's cost grows with the text's
    tokens, and the heads never saw a longer text."""
    if len(text) <= max_chars:
        return text
    half = (max_chars - len(GAP)) // 2
    head, tail = text[:half], text[len(text) - half:]
    space = head.rfind(" ")
    if space >= half // 2:  # a word cut in two would be tokenised as other words
        head = head[:space]
    space = tail.find(" ")
    if 0 <= space < half // 2:
        tail = tail[space + 1:]
    return f"{head}{GAP}{tail}"


def encoder_text(text: str) -> str:
    """What the encoder and the n-grams read of a message, in training and serving alike: the customer's
    own words (quoted earlier mails left out, features/text/quotes.py), whitespace collapsed — whitespace
    carries no sentiment, and collapsing it keeps token counts (and batch padding) small."""
    return " ".join(own_words(text).split())


def embed(
    encoder: Encoder, texts: Sequence[str], batch_size: int = 32, progress: Progress | None = None
) -> Embeddings:
    """Embeddings for `texts`, in input order. Texts are batched by length so that a batch pads little;
    the order is restored at the end."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    out = np.empty((len(texts), encoder.dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        out[rows] = encoder.encode([texts[i] for i in rows])
        if progress is not None:
            progress(len(rows))
    return out


class SentimentModel:
    """Sentiment of customer messages: `predict(texts)` returns one `Sentiment` per text, in order."""

    def __init__(
        self, encoder: Encoder, head: SentimentHead, batch_size: int = 32, max_chars: int | None = None
    ) -> None:
        """`max_chars`: a longer message is read as its head and tail (`clip`); None reads it whole."""
        if head.encoder_name_ != encoder.name:
            raise ConfigError(
                f"the sentiment head {head.version_} was trained on encoder {head.encoder_name_!r}, but the "
                f"configured backend runs {encoder.name!r}; train a head for it with `escalation "
                "train-sentiment --backend ...` or pick the matching backend (ESCALATION_SENTIMENT__BACKEND)."
            )
        self.encoder = encoder
        self.head = head
        self.batch_size = batch_size
        self.max_chars = max_chars
        # Whether the encoder computes here what it computed where the packaged heads were trained (set by
        # `load_sentiment_model` for the default encoder and heads; None: not checked).
        self.reference: EncoderCheck | None = None
        # Requests encode one at a time, in arrival order. Run side by side (each in its thread, the runtime
        # releasing the GIL) they only shared the process's cores and all finished late together; in turn,
        # each waits for the ones ahead of it and then has the encoder's threads to itself.
        self._turns = FifoLock()

    @functools.cached_property
    def version(self) -> str:
        """Names the model in every assessment: encoder + backend and the head's content hash (hashed once:
        a format-2 head's n-gram table is ~1.5 MB, too much to hash on every request), what is read of a
        message (`own-words`: quoted earlier mails left out, since 2026-12-05) and the clip, which changes
        what a long text reads as."""
        clipped = f"/clip{self.max_chars}" if self.max_chars is not None else ""
        return f"{self.encoder.name}/{type(self.encoder).__name__}/{self.head.version_}/own-words{clipped}"

    def predict(
        self, texts: Sequence[str], progress: Progress | None = None, langs: Sequence[str] | None = None
    ) -> list[Sentiment]:
        """`langs`: each text's language, for the head's per-language offsets (none applied without)."""
        prepared = self.preprocess(texts)
        embeddings, buckets = self.forward(prepared, progress)
        return self.postprocess(self.probabilities(embeddings, buckets, langs))

    def preprocess(self, texts: Sequence[str]) -> list[str]:
        if isinstance(texts, str):
            raise TypeError("predict takes a sequence of texts; wrap a single message in a list: [text]")
        bad = [i for i, text in enumerate(texts) if not isinstance(text, str)]
        if bad:
            raise TypeError(
                f"every text must be a str; item {bad[0]} is {type(texts[bad[0]]).__name__} "
                "(read CSVs with keep_default_na=False so that empty cells stay strings)"
            )
        collapsed = [encoder_text(text) for text in texts]
        if self.max_chars is None:
            return collapsed
        return [clip(text, self.max_chars) for text in collapsed]

    def forward(
        self, texts: list[str], progress: Progress | None = None
    ) -> tuple[Embeddings, list[BucketIds]]:
        """What the heads read of each (preprocessed) text: its embedding (one encoder pass) and n-grams."""
        if not texts:
            return np.empty((0, self.encoder.dim), dtype=np.float32), []
        with self._turns:
            embeddings = embed(self.encoder, texts, self.batch_size, progress)
        return embeddings, [ngram_buckets(t, self.head.ngram_spelling) for t in texts]

    def probabilities(
        self, embeddings: Embeddings, buckets: list[BucketIds], langs: Sequence[str] | None = None
    ) -> np.ndarray:
        if not len(embeddings):
            return np.empty((0, len(self.head.classes_)), dtype=np.float64)
        return self.head.predict_proba(embeddings, buckets, list(langs) if langs is not None else None)

    def postprocess(self, probabilities: np.ndarray) -> list[Sentiment]:
        labels = [SentimentLabel(c) for c in self.head.classes_]
        results = []
        for row in probabilities:
            scores = {label: float(p) for label, p in zip(labels, row, strict=True)}
            results.append(Sentiment(label=labels[int(np.argmax(row))], scores=scores))
        return results
