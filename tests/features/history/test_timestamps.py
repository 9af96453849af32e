"""Timestamps: ISO 8601 with any offset spelling; naive ones only with a time zone."""

from __future__ import annotations

import pandas as pd
import pytest

from features.history.timestamps import BAD, NAIVE, parse_timestamps


def _parse(text: str, timezone: str | None = None) -> tuple[pd.Timestamp, list[str]]:
    raw = pd.Series([text], dtype="str")
    values, issues = parse_timestamps(raw, raw.str.strip().eq(""), timezone=timezone)
    return values.iloc[0], [message for mask, message in issues if mask.iloc[0]]


@pytest.mark.parametrize("text", [
    "2024-03-04T08:15:00+01:00", "2024-03-04T07:15:00Z", "2024-03-04 07:15:00+0000", "2024-03-04T07:15:00+00",
    "2024-03-04T02:15:00-05:00", "2024-03-04T07:15:00.000z",
])
def test_offsets_in_every_spelling(text: str) -> None:
    assert _parse(text) == (pd.Timestamp("2024-03-04T07:15:00Z"), [])


@pytest.mark.parametrize(("text", "message"), [
    ("2024-03-04T07:15:00", NAIVE), ("2024-03-04", NAIVE), ("04/03/2024 07:15", BAD),
    ("2024-13-01T00:00Z", BAD), ("soon", BAD),
])
def test_naive_and_bad_values_are_told_apart(text: str, message: str) -> None:
    value, messages = _parse(text)
    assert pd.isna(value) and messages == [message]


def test_a_time_zone_makes_naive_times_local() -> None:
    assert _parse("2024-07-01 09:00", "Europe/Oslo") == (pd.Timestamp("2024-07-01T07:00:00Z"), [])
    value, [message] = _parse("2024-10-27 02:30", "Europe/Oslo")  # happens twice: clocks go back
    assert pd.isna(value) and message.startswith("ambiguous or nonexistent local time in Europe/Oslo")
