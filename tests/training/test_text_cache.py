import hashlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from core.text import MessageAnalysis, Sentiment, SentimentLabel, Signal, SignalName
from features.history import TicketHistory
from rules import PolicySet
from training.fit import BoostParams
from training.targets import parse_target
from training.text_cache import AnalysisCache, analyse_messages
from training.train import TrainConfig, train_model


def test_second_run_encodes_nothing(tmp_path: Path) -> None:
    calls: list[int] = []

    def analyser(texts: Sequence[str], langs: Sequence[str]) -> list[MessageAnalysis]:
        calls.append(len(texts))
        scores = {SentimentLabel.NEGATIVE: 0.7, SentimentLabel.NEUTRAL: 0.2, SentimentLabel.POSITIVE: 0.1}
        return [MessageAnalysis(lang, Sentiment(SentimentLabel.NEGATIVE, scores),
                                (Signal(SignalName.URGENCY, "down", 0, 4),)) for lang in langs]

    events = pd.DataFrame({"event_id": ["e1", "e2", "e3", "e4"], "ticket_id": ["t1", "t1", "t2", "t2"],
                           "type": ["customer_message", "agent_reply", "customer_message",
                                    "customer_message"],
                           "body": ["down!", "ok", "down!", "still down"]})
    languages = pd.Series({"t1": "en", "t2": "en"})
    cache = AnalysisCache(tmp_path / "cache.db", version="v1")
    first, misses = analyse_messages(events, languages, analyser, cache, batch_size=1)
    assert misses == 2 and calls == [1, 1]  # "down!" twice is encoded once
    assert set(first) == {"e1", "e3", "e4"}
    again, misses = analyse_messages(events, languages, analyser, cache)
    assert misses == 0 and again == first
    _, misses = analyse_messages(events, languages, analyser, AnalysisCache(tmp_path / "cache.db", "v2"))
    assert misses == 2  # a new analyser version does not reuse old analyses


def test_cold_run_uses_what_the_cache_returns(tmp_path: Path) -> None:
    """The codec rounds sentiment scores: a cold run must use the rounded values too, or a cached rerun
    with the same seed trains a different model."""

    def analyser(texts: Sequence[str], langs: Sequence[str]) -> list[MessageAnalysis]:
        scores = {SentimentLabel.NEGATIVE: 0.123456789, SentimentLabel.NEUTRAL: 0.2,
                  SentimentLabel.POSITIVE: 0.676543211}
        return [MessageAnalysis(lang, Sentiment(SentimentLabel.POSITIVE, scores)) for lang in langs]

    events = pd.DataFrame({"event_id": ["e1"], "ticket_id": ["t1"], "type": ["customer_message"],
                           "body": ["fine"]})
    cache = AnalysisCache(tmp_path / "cache.db", version="v1")
    cold, misses = analyse_messages(events, pd.Series({"t1": "en"}), analyser, cache)
    cached, again = analyse_messages(events, pd.Series({"t1": "en"}), analyser, cache)
    assert (misses, again) == (1, 0)
    assert cold == cached
    sentiment = cold["e1"].sentiment
    assert sentiment is not None and sentiment.scores[SentimentLabel.NEGATIVE] == 0.1235


@pytest.mark.slow
def test_cold_and_cached_training_runs_are_the_same(
    sample_history: TicketHistory, policies: PolicySet, tmp_path: Path
) -> None:
    """The same seed, once with every analysis computed (cold) and once read from the cache: the same
    model file and metrics. A small part of the sample keeps it quick."""
    keep = sample_history.tickets.index[:700]
    events = sample_history.events
    history = TicketHistory(sample_history.tickets.loc[keep],
                            events[events["ticket_id"].isin(keep)].reset_index(drop=True))

    def analyser(texts: Sequence[str], langs: Sequence[str]) -> list[MessageAnalysis]:
        out = []
        for text, lang in zip(texts, langs, strict=True):  # full-precision scores, as a real encoder gives
            spread = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 16**8
            negative = 0.2 + 0.6 * spread * ("!" in text or "still" in text)
            scores = {SentimentLabel.NEGATIVE: negative, SentimentLabel.NEUTRAL: (1 - negative) / 3,
                      SentimentLabel.POSITIVE: 2 * (1 - negative) / 3}
            out.append(MessageAnalysis(lang, Sentiment(max(scores, key=scores.__getitem__), scores)))
        return out

    cache = AnalysisCache(tmp_path / "cache.db", version="fake")
    languages = history.tickets["language"].astype(str)
    config = TrainConfig(parse_target(), params=BoostParams(num_boost_round=300, num_threads=2), workers=2)
    runs = []
    for name in ("cold", "cached"):
        analyses, computed = analyse_messages(history.events, languages, analyser, cache, batch_size=512)
        assert (computed > 0) == (name == "cold")
        result = train_model(history, config, policies, analyses)
        runs.append((result, result.model.save(tmp_path / f"{name}.json").read_bytes()))
    (cold, cold_file), (cached, cached_file) = runs
    assert cold.report.test == cached.report.test
    assert cold_file == cached_file
