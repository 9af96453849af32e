"""Column mapping: a team's own export (renamed columns, their values, naive local times) loads the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from core.errors import ConfigError, DataValidationError
from features.history import load_history, load_mapping, problem_kind

Records = list[dict[str, str]]
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "mapping-example.yaml"
_CHANNEL = {"email": "Mail", "chat": "Chat", "twitter": "Twitter"}
_PRIORITY = {"high": "2 - High", "normal": "3 - Normal", "urgent": "1 - Critical"}
_LANGUAGE = {"en": "English", "de": "Deutsch", "no": "Norsk (bokmål)"}
_TYPE = {"customer_message": "Customer comment", "agent_reply": "Public reply",
         "internal_note": "Private note", "status_change": "Status changed",
         "priority_change": "Priority changed", "reassignment": "Reassigned", "escalation": "Escalated",
         "csat_rating": "Satisfaction rated"}
_ROLE = {"customer": "End-user", "agent": "Agent", "manager": "Admin", "bot": "Answer Bot",
         "system": "Trigger"}


def _oslo_wall_clock(stamp: str) -> str:
    return pd.Timestamp(stamp).tz_convert("Europe/Oslo").strftime("%Y-%m-%d %H:%M:%S")


def _as_zendesk(records: Records, kind: str) -> Records:
    """Our records written the way the export in docs/mapping-example.yaml names things."""
    mapping = load_mapping(EXAMPLE).of("tickets" if kind == "tickets" else "events")
    renames = {**mapping.columns, **mapping.extra_columns}
    out = []
    for record in records:
        row = dict(record)
        if kind == "tickets":
            row.update(channel=_CHANNEL[row["channel"]], priority=_PRIORITY[row["priority"]],
                       language=_LANGUAGE[row["language"]], created_at=_oslo_wall_clock(row["created_at"]))
        else:
            row.update(type=_TYPE[row["type"]], author_role=_ROLE[row["author_role"]],
                       at=_oslo_wall_clock(row["at"]), priority=_PRIORITY.get(row["priority"], ""))
        out.append({renames.get(name, name): value for name, value in row.items()})
    return out


def test_the_example_mapping_loads_a_zendesk_style_export(
    tmp_path: Path, tickets: Records, events: Records, write_history: Callable[..., Path],
    write_file: Callable[[Path, Records], Path],
) -> None:
    expected = load_history(write_history("csv"))
    export = tmp_path / "zendesk"
    export.mkdir()
    for ticket in tickets:  # every column the mapping names must be in the export
        ticket.update(assignee="", bad_csat="")
    zendesk = _as_zendesk(tickets, "tickets")
    write_file(export / "tickets-2024-03a.csv", zendesk[:2])  # a glob over monthly files
    write_file(export / "tickets-2024-03b.csv", zendesk[2:])
    write_file(export / "ticket-events-2024-03.csv", _as_zendesk(events, "events"))
    got = load_history(export, EXAMPLE)
    pd.testing.assert_frame_equal(got.tickets.drop(columns="bad_csat"), expected.tickets)
    pd.testing.assert_frame_equal(got.events, expected.events)
    assert got.source.mapping_file == str(EXAMPLE)


def test_defaults_fill_blanks_and_absent_columns(write_history: Callable[..., Path],
                                                 tickets: Records) -> None:
    for ticket in tickets:
        del ticket["language"]
    tickets[0]["customer_tier"] = ""
    mapping = {"tickets": {"defaults": {"language": "de", "customer_tier": "standard"}}}
    loaded = load_history(write_history("csv", tickets=tickets), mapping).tickets
    assert loaded["language"].tolist() == ["de", "de", "de"]
    assert loaded["customer_tier"].tolist() == ["standard", "standard", "enterprise"]


def test_a_timestamp_format_and_a_dst_gap(write_history: Callable[..., Path], tickets: Records) -> None:
    tickets[0]["created_at"] = "04.03.2024 08:15"
    tickets[1]["created_at"] = "04.03.2024 09:02"
    tickets[2]["created_at"] = "31.03.2024 02:30"  # clocks jump from 02:00 to 03:00 in Oslo that night
    mapping = {"tickets": {"timestamp_format": "%d.%m.%Y %H:%M", "timezone": "Europe/Oslo"}}
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", tickets=tickets, events=None), mapping)
    [problem] = raised.value.problems
    assert (problem.row, problem.column, problem_kind(problem)) == (
        4, "created_at", "ambiguous or nonexistent local time in Europe/Oslo (a DST change)")
    tickets[2]["created_at"] = "05.03.2024 14:40"
    loaded = load_history(write_history("csv", tickets=tickets, events=None, folder="ok"), mapping).tickets
    assert loaded["created_at"].iloc[0] == pd.Timestamp("2024-03-04T07:15:00Z")


def test_keep_extra_false_keeps_only_named_extras(write_history: Callable[..., Path]) -> None:
    mapping = {"tickets": {"keep_extra": "false", "extra_columns": {"breached": "sla_breached"}}}
    loaded = load_history(write_history("csv"), mapping).tickets
    assert "region" not in loaded.columns and loaded["breached"].tolist() == [True, False, True]


def _mapping_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_mapping(path)
    return str(raised.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("tickets:\n  colums:\n    ticket_id: Id\n", ":2: tickets.colums: unknown key; did you mean 'columns'?"),
    ("tickets:\n  columns:\n    priorty: Prio\n", ":3: tickets.columns.priorty: not a tickets column; "
                                                  "did you mean 'priority'?"),
    ("ticket:\n  file: x.csv\n", ":1: ticket: unknown section; did you mean 'tickets'?"),
    ("events:\n  timezone: Europe/Olso\n", ":2: events.timezone: unknown time zone 'Europe/Olso'"),
    ("events:\n  timezone: Europe\n", ":2: events.timezone: unknown time zone 'Europe'"),  # a folder
    ("tickets:\n  values:\n    priority:\n      P1: critical\n",
     ":4: tickets.values.priority.P1: 'critical' is not a priority; use one of low, normal, high, urgent"),
    ("tickets:\n  values:\n    language:\n      Norsk: norwegian\n",
     ":4: tickets.values.language.Norsk: 'norwegian' is not an ISO 639 code"),
    ("events:\n  timestamp_format: '%d.%m.%Y %H:%M'\n", ":2: events.timestamp_format: has no %z"),
    ("tickets:\n  keep_extra: maybe\n", ":2: tickets.keep_extra: expected true or false, got 'maybe'"),
    ("tickets:\n  file: a.csv\n  file: b.csv\n", ":3: tickets.file: duplicate key; the first is on line 2"),
    ("tickets:\n  columns: [ticket_id\n", ":3: not valid YAML"),
    ("- tickets\n", ": top level: expected a mapping"),
    ("tickets:\n  ticket_features: some\n", ":2: tickets.ticket_features: expected `all` or a list"),
    ("events:\n  ticket_features: all\n", ":2: events.ticket_features: ticket features are listed in"),
    ("tickets:\n  outcomes: {a: b}\n", ":2: tickets.outcomes: expected a list of extra column names"),
    ("tickets:\n  outcomes: [priority]\n", ":2: tickets.outcomes: 'priority' is one of our tickets columns"),
    ("events:\n  outcomes: [sla_failed]\n", ":2: events.outcomes: outcomes are ticket columns"),
])
def test_a_bad_mapping_file_names_its_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    assert f"{tmp_path / 'map.yaml'}{expected}" in _mapping_error(tmp_path, text)


def test_a_mapping_file_not_in_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_bytes("tickets:\n  values:\n    language: {Français: fr}\n".encode("cp1252"))
    with pytest.raises(ConfigError) as raised:
        load_mapping(path)
    assert str(raised.value) == f"{path}:3: not UTF-8 text; save the mapping file as UTF-8"


def test_ticket_features_all_or_a_list(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("tickets:\n  ticket_features: [region, contract, region]\n", encoding="utf-8")
    assert load_mapping(path).tickets.ticket_features == ("region", "contract")
    path.write_text("tickets:\n  ticket_features: all\n", encoding="utf-8")
    assert load_mapping(path).tickets.ticket_features == ("all",)


def test_outcomes_a_list_or_one_name(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("tickets:\n  outcomes: [sla_failed, reopens, sla_failed]\n", encoding="utf-8")
    assert load_mapping(path).tickets.outcomes == ("sla_failed", "reopens")
    path.write_text("tickets:\n  outcomes: sla_failed\n", encoding="utf-8")
    assert load_mapping(path).tickets.outcomes == ("sla_failed",)
    path.write_text("tickets:\n  file: t.csv\n", encoding="utf-8")
    assert load_mapping(path).tickets.outcomes == ()


def test_every_mapping_error_at_once(tmp_path: Path) -> None:
    message = _mapping_error(tmp_path, "tickets:\n  colums: {}\nevents:\n  timezone: Mars/Base\n")
    assert ":2: tickets.colums" in message and ":4: events.timezone" in message


def test_a_mapped_column_the_data_lacks(tmp_path: Path, write_history: Callable[..., Path]) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("tickets:\n  columns:\n    ticket_id: ticket_id\n    priority: Prio\n")
    folder = write_history("csv")
    with pytest.raises(ConfigError) as raised:
        load_history(folder, mapping)
    message = str(raised.value)
    where = f"{mapping}:4: tickets.columns.priority"
    assert f"{where}: column 'Prio' is not in {folder / 'tickets.csv'}" in message
    assert message.endswith("did you mean 'priority' or 'region'?")
