"""Sentiment-sequence and signal features from message analyses."""

from __future__ import annotations

import math

import pytest
from ticket_history import analysis

from core.text import SignalName
from features.ticket.catalogue import SENTIMENT_WINDOW
from features.ticket.messages import message_features, slope


@pytest.mark.parametrize(
    ("values", "expected"),
    [([0.5, 0.0, -0.5], -0.5), ([1.0, 1.0], 0.0), ([0.0, 0.2, 0.1, 0.5], 0.14)],
)
def test_slope(values: list[float], expected: float) -> None:
    assert slope(values) == pytest.approx(expected)


def test_slope_needs_two_values() -> None:
    assert math.isnan(slope([0.3])) and math.isnan(slope([]))


def test_trend_uses_only_the_last_messages() -> None:
    early = [analysis(0.9, 0.0)] * 10  # a long, happy start must not flatten a recent fall
    late = [analysis(pos, neg) for pos, neg in [(0.5, 0.0), (0.2, 0.1), (0.0, 0.5), (0.0, 0.8), (0.0, 0.9)]]
    assert len(late) == SENTIMENT_WINDOW
    found = {f"m{i}": a for i, a in enumerate(early + late)}
    f = message_features(list(found), found)
    assert f["sentiment_trend"] == pytest.approx(slope([0.5, 0.1, -0.5, -0.8, -0.9]))
    assert f["sentiment_drop"] == pytest.approx(0.9 - -0.9)


def test_signals_count_messages_not_matches() -> None:
    loud = analysis(0.0, 0.9, SignalName.SHOUTING, SignalName.SHOUTING, SignalName.URGENCY)
    f = message_features(["m1", "m2"], {"m1": loud, "m2": analysis(0.5, 0.1)})
    assert f["signal_shouting"] == 1 and f["signal_urgency"] == 1
    assert f["signal_shouting_last"] == 0 and f["signals_last_message"] == 0


def test_no_customer_messages_means_zero_signals_and_unknown_sentiment() -> None:
    f = message_features([], {})
    assert f["signal_churn_threat"] == 0 and f["analysed_messages"] == 0
    assert math.isnan(f["sentiment_mean"]) and math.isnan(f["signals_last_message"])
