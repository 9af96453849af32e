from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from core.text import MessageAnalysis, Sentiment, SentimentLabel, Signal, SignalName
from training.text_cache import AnalysisCache, analyse_messages


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
