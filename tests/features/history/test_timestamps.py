"""Timestamps: ISO 8601 with any offset spelling; naive ones only with a time zone."""

from __future__ import annotations

import pandas as pd
import pytest

from features.history.timestamps import BAD, NAIVE, OUT_OF_RANGE, parse_timestamps


def _parse(text: str, timezone: str | None = None) -> tuple[pd.Timestamp, list[str]]:
    raw = pd.Series([text], dtype="str")
    values, issues = parse_timestamps(raw, raw.str.strip().eq(""), timezone=timezone)
    return values.iloc[0], [message for mask, message in issues if mask.iloc[0]]


@pytest.mark.parametrize("text", [
    "2024-03-04T08:15:00+01:00", "2024-03-04T07:15:00Z", "2024-03-04 07:15:00+0000", "2024-03-04T07:15:00+00",
    "2024-03-04T02:15:00-05:00", "2024-03-04T07:15:00.000z",
    "20240304T071500Z", "20240304T0815+0100", "2024-03-04T0715Z",  # ISO 8601's basic (compact) format
])
def test_offsets_in_every_spelling(text: str) -> None:
    assert _parse(text) == (pd.Timestamp("2024-03-04T07:15:00Z"), [])
    assert _parse(text, "Europe/Oslo") == (pd.Timestamp("2024-03-04T07:15:00Z"), [])  # the offset wins


def test_a_compact_instant_among_naive_times() -> None:
    raw = pd.Series(["20240304T071500Z", "2024-03-04 08:15"], dtype="str")
    values, issues = parse_timestamps(raw, raw.eq(""))
    assert values.iloc[0] == pd.Timestamp("2024-03-04T07:15:00Z") and pd.isna(values.iloc[1])
    assert [(message, mask.tolist()) for mask, message in issues if mask.any()] == [(NAIVE, [False, True])]


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


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00Z", "0413-06-01T12:00:00+01:00", "9999-12-31T23:59:59Z",
                                  "1969-12-31T23:59:59Z", "2100-01-01T00:00:00Z"])
def test_instants_outside_1970_to_2099_are_refused(text: str) -> None:
    value, messages = _parse(text)
    assert pd.isna(value) and messages == [OUT_OF_RANGE]
    assert _parse("1970-01-01T00:00:00Z") == (pd.Timestamp("1970-01-01T00:00:00Z"), [])


def test_a_ticket_out_of_range_is_named_by_file_line_and_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from core.errors import DataValidationError
    from features.history import load_history

    (tmp_path / "tickets.csv").write_text(
        "ticket_id,created_at,channel,priority,customer_id,customer_tier,product,category,team,language\n"
        "T-1,0001-01-01T00:00:00Z,email,normal,C,t,p,c,t,en\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text(
        "event_id,ticket_id,at,type,author_role,body\nE-1,T-1,2026-01-01T00:00:00Z,customer_message,customer,hi\n",
        encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        load_history(tmp_path, on_invalid="fail")
    assert "tickets.csv:2 [created_at]: timestamp out of range" in str(caught.value)
