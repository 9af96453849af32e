"""Features from the text analysis of the customer's messages up to t: the sentiment sequence and
the conflict signals. A message without an analysis is left out; with none analysed at all the
features are NaN (unknown), which the model treats as missing — never an exception."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from core.text import MessageAnalysis, SentimentLabel, SignalName
from features.ticket.catalogue import SENTIMENT_WINDOW

NAN = math.nan
Values = dict[str, float | str | None]


def message_features(message_ids: Sequence[str], analyses: Mapping[str, MessageAnalysis]) -> Values:
    """`message_ids`: the customer messages up to t, in order."""
    # A message without a sentiment (no sentiment model loaded) is not analysed for the model's purposes.
    found = [a for i in message_ids if (a := analyses.get(i)) is not None and a.sentiment is not None]
    out: Values = {"analysed_messages": float(len(found))}
    last = analyses.get(message_ids[-1]) if message_ids else None
    last = last if last is not None and last.sentiment is not None else None
    out.update(_sentiment(found, last))
    out.update(_signals(found, last, no_messages=not message_ids))
    return out


def _sentiment(found: list[MessageAnalysis], last: MessageAnalysis | None) -> Values:
    if not found:
        return dict.fromkeys(
            ("sentiment_last", "sentiment_min", "sentiment_mean", "sentiment_trend", "sentiment_drop",
             "negative_share"), NAN)
    sentiments = [a.sentiment for a in found if a.sentiment is not None]
    polarity = [s.polarity for s in sentiments]
    negative = sum(s.label is SentimentLabel.NEGATIVE for s in sentiments)
    return {
        "sentiment_last": last.sentiment.polarity if last is not None and last.sentiment is not None else NAN,
        "sentiment_min": min(polarity),
        "sentiment_mean": sum(polarity) / len(polarity),
        "sentiment_trend": slope(polarity[-SENTIMENT_WINDOW:]),
        "sentiment_drop": polarity[0] - polarity[-1],  # positive: the customer got unhappier
        "negative_share": negative / len(found),
    }


def _signals(found: list[MessageAnalysis], last: MessageAnalysis | None, *, no_messages: bool) -> Values:
    out: Values = {}
    known = bool(found) or no_messages  # no messages: zero signals is a fact, not a gap
    last_names = {s.name for s in last.signals} if last is not None else set()
    for name in SignalName:
        # messages with the signal, not matches: one shouted message with ten '!!!' counts once
        count = sum(any(s.name is name for s in a.signals) for a in found)
        out[f"signal_{name.value}"] = float(count) if known else NAN
        out[f"signal_{name.value}_last"] = float(name in last_names) if last is not None else NAN
    out["signals_last_message"] = float(len(last_names)) if last is not None else NAN
    return out


def slope(values: Sequence[float]) -> float:
    """Least-squares slope of `values` against their position (change a message); NaN under two."""
    n = len(values)
    if n < 2:
        return NAN
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den
