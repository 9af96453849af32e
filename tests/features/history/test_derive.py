"""Mapped columns that the export lacks: generated ids and instants, and per-event-type rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from core.errors import ConfigError, DataValidationError
from features.history import load_history, problem_kind

Records = list[dict[str, str]]
ROW_IDS = {"events": {"columns": {"event_id": {"generate": "row"}}}}
HASH_IDS = {"events": {"columns": {"event_id": {"generate": "hash"}}}}


def _without(records: Records, name: str) -> Records:
    return [{key: value for key, value in record.items() if key != name} for record in records]


def test_row_ids_are_the_ticket_and_the_line(write_history: Callable[..., Path], events: Records,
                                            event_line: Callable[[int], int]) -> None:
    folder = write_history("csv", events=_without(events, "event_id"))
    got = load_history(folder, ROW_IDS).events.set_index("event_id")
    expected = [f"{event['ticket_id']}-{event_line(index)}" for index, event in enumerate(events)]
    assert sorted(got.index) == sorted(expected)
    assert got.loc[f"T-1002-{event_line(9)}", "type"] == "escalation"  # after E-09's two-line body


def test_row_ids_name_the_file_when_several_are_read(tmp_path: Path, tickets: Records, events: Records,
                                                     write_file: Callable[[Path, Records], Path]) -> None:
    write_file(tmp_path / "tickets.csv", tickets)
    rows = _without(events, "event_id")
    write_file(tmp_path / "events-a.csv", rows[:5])
    write_file(tmp_path / "events-b.csv", rows[5:])
    mapping = {"events": {"file": "events-*.csv", "columns": {"event_id": {"generate": "row"}}}}
    ids = load_history(tmp_path, mapping).events["event_id"]
    assert {"T-1001-events-a-2", "T-1002-events-b-2"} <= set(ids) and ids.is_unique


def test_hash_ids_follow_the_row_not_its_place(write_history: Callable[..., Path], events: Records) -> None:
    rows = _without(events, "event_id")
    first = load_history(write_history("csv", events=rows), HASH_IDS).events
    again = load_history(write_history("jsonl", events=rows[::-1], folder="reversed"), HASH_IDS).events
    assert first["event_id"].str.fullmatch(r"[0-9a-f]{16}").all() and first["event_id"].is_unique
    pd.testing.assert_series_equal(first["event_id"], again["event_id"])


def test_identical_rows_get_the_same_hash_and_are_reported(write_history: Callable[..., Path],
                                                           events: Records) -> None:
    rows = _without(events, "event_id")
    rows.insert(2, dict(rows[1]))  # the bot's auto-reply logged twice
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", events=rows), HASH_IDS)
    [problem] = raised.value.problems
    assert (problem.row, problem.column, problem_kind(problem)) == (4, "event_id", "duplicate event_id")
    assert problem.message.endswith("events.csv:3")


def test_missing_ids_list_the_files_own_columns_and_how_to_generate(
    write_history: Callable[..., Path], events: Records,
) -> None:
    rows = [{("Ticket" if key == "ticket_id" else key): value for key, value in event.items()}
            for event in _without(events, "event_id")]
    mapping = {"events": {"columns": {"ticket_id": "Ticket"}}}
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", events=rows), mapping)
    [problem] = raised.value.problems
    assert problem.column == "event_id" and problem.row is None
    assert "(its columns: Ticket, at, type," in problem.message
    assert "`event_id: {generate: row}`" in problem.message


def test_created_at_in_file_order(write_history: Callable[..., Path], tickets: Records) -> None:
    mapping = {"tickets": {"columns": {
        "ticket_id": {"generate": "row"},
        "created_at": {"generate": "row", "start": "2013-01-07T00:00:00+01:00", "every": "864s"}}}}
    loaded = load_history(write_history("csv", tickets=_without(tickets, "created_at"), events=None),
                          mapping).tickets
    assert loaded.index.tolist() == ["tickets-2", "tickets-3", "tickets-4"]
    assert loaded["created_at"].tolist() == [pd.Timestamp("2013-01-06T23:00:00Z"),
                                             pd.Timestamp("2013-01-06T23:14:24Z"),
                                             pd.Timestamp("2013-01-06T23:28:48Z")]


@pytest.mark.parametrize(("columns", "expected"), [
    ({"at": {"generate": "row"}}, "events.columns.at: events.at cannot be generated"),
    ({"event_id": {"generate": "uuid"}}, "events.columns.event_id.generate: 'uuid' is not a way"),
    ({"event_id": {"make": "row"}}, "events.columns.event_id: expected their column name, or {generate"),
])
def test_a_bad_generated_column_is_a_mapping_error(write_history: Callable[..., Path],
                                                   columns: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError, match="invalid mapping file") as raised:
        load_history(write_history("csv"), {"events": {"columns": columns}})
    assert expected in str(raised.value)


def _one_value_column(events: Records) -> Records:
    """Status, priority and team in one `value` column; reopens and creations as types of their own."""
    out = []
    for event in events:
        row = {key: value for key, value in event.items() if key not in ("status", "priority", "team")}
        row["value"] = event["status"] or event["priority"] or event["team"]
        if event["type"] == "status_change" and event["status"] == "open":
            row.update(type="reopen", value="")
        if event["type"] == "status_change" and event["status"] == "solved":
            row["value"] = "Resolved"
        out.append(row)
    out.insert(0, {**out[0], "event_id": "E-00", "type": "created", "body": "", "value": "New"})
    return out


ROUTED = {"events": {
    "types": {
        "created": "drop",
        "status_change": {"type": "status_change", "columns": {"status": "value"}},
        "reopen": {"type": "status_change", "set": {"status": "open"}},
        "priority_change": {"type": "priority_change", "columns": {"priority": "value"}},
        "reassignment": {"type": "reassignment", "columns": {"team": "value"}},
        "escalation": {"type": "escalation", "columns": {"team": "value"}},
    },
    "values": {"status": {"Resolved": "solved"}},
}}


def test_one_value_column_routed_by_type(write_history: Callable[..., Path], events: Records) -> None:
    expected = load_history(write_history("csv")).events
    got = load_history(write_history("csv", events=_one_value_column(events), folder="routed"), ROUTED).events
    assert "value" not in got.columns  # consumed by the rules, not kept as an extra column
    pd.testing.assert_frame_equal(got, expected)


def test_without_type_rules_the_value_column_fails(write_history: Callable[..., Path],
                                                   events: Records) -> None:
    folder = write_history("csv", events=_one_value_column(events))
    mapping = {"events": {"columns": {"status": "value"}}}
    with pytest.raises(DataValidationError) as raised:
        load_history(folder, mapping)
    assert {problem_kind(p) for p in raised.value.problems} >= {"unknown type", "unknown status"}


def test_type_specific_fields_are_checked_only_on_their_types(write_history: Callable[..., Path],
                                                              events: Records) -> None:
    for event in events:  # the current status on every row, as some exports write it
        event["status"] = event["status"] or "In Progress"
    events[3]["status"] = "Done"  # a status change: still checked
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", events=events))
    [problem] = raised.value.problems
    assert (problem.row, problem.column, problem.value) == (5, "status", "Done")


@pytest.mark.parametrize(("types", "expected"), [
    ({"reopen": {"type": "reopening"}}, "events.types.reopen.type: 'reopening' is not an event type"),
    ({"reopen": {"type": "status_change", "set": {"status": "reopened"}}},
     "events.types.reopen.set.status: 'reopened' is not a status"),
    ({"x": {"type": "reassignment", "columns": {"group": "value"}}},
     "events.types.x.columns.group: 'group' is not an event field"),
    ({"x": {"type": "note"}}, "'note' is not an event type"),
])
def test_a_bad_type_rule_is_a_mapping_error(write_history: Callable[..., Path], types: dict[str, object],
                                            expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_history(write_history("csv"), {"events": {"types": types}})
    assert expected in str(raised.value)


def test_a_routed_column_the_file_lacks(write_history: Callable[..., Path]) -> None:
    mapping = {"events": {"types": {"x": {"type": "reassignment", "columns": {"team": "Group"}}}}}
    with pytest.raises(ConfigError) as raised:
        load_history(write_history("csv"), mapping)
    assert "events.types.x.columns.team: column 'Group' is not in" in str(raised.value)
