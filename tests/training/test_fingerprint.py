"""Content hashes: the text analyses' hash keys the feature-frame cache, so it must name exact values."""

from __future__ import annotations

from core.text import MessageAnalysis, Sentiment, SentimentLabel
from training.fingerprint import analyses_hash


def _analysis(negative: float) -> MessageAnalysis:
    scores = {SentimentLabel.NEGATIVE: negative, SentimentLabel.NEUTRAL: 0.5 - negative / 2,
              SentimentLabel.POSITIVE: 0.5 - negative / 2}
    return MessageAnalysis("en", Sentiment(SentimentLabel.NEUTRAL, scores))


def test_analyses_hash_tells_rounded_from_exact_scores() -> None:
    """A frame built from full-precision scores must not be read back for their rounded twins (what the
    analysis cache returns): the hash sees every digit."""
    exact, rounded = {"e1": _analysis(0.123456789)}, {"e1": _analysis(0.1235)}
    assert analyses_hash(exact) != analyses_hash(rounded)
    assert analyses_hash(exact) == analyses_hash({"e1": _analysis(0.123456789)})
    assert analyses_hash({}) == "none"
