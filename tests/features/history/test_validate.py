"""Each kind of problem is reported once, with the exact file, line (or row) and column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from core.errors import DataValidationError, Problem
from features.history import iter_tickets, load_history, problem_kind

Records = list[dict[str, str]]
Break = Callable[[Records, Records], None]


def _set(kind: str, index: int, **values: str) -> Break:
    def change(tickets: Records, events: Records) -> None:
        (tickets if kind == "tickets" else events)[index].update(values)

    return change


def _drop_channel(tickets: Records, events: Records) -> None:
    for ticket in tickets:
        del ticket["channel"]


def _repeat_first_ticket(tickets: Records, events: Records) -> None:
    tickets.append(dict(tickets[0]))


# (id, change, file, index in the records (None: file-level), column, kind of problem)
CASES: list[tuple[str, Break, str, int | None, str, str]] = [
    ("missing column", _drop_channel, "tickets", None, "channel", "missing column"),
    ("blank required", _set("tickets", 1, customer_id=" "), "tickets", 1, "customer_id", "missing value"),
    ("bad timestamp", _set("tickets", 0, created_at="04/03/2024 08:15"), "tickets", 0, "created_at",
     "bad timestamp"),
    ("impossible date", _set("events", 3, at="2024-02-30T10:00:00Z"), "events", 3, "at", "bad timestamp"),
    ("naive timestamp", _set("tickets", 2, created_at="2024-03-05T14:40:00"), "tickets", 2, "created_at",
     "timestamp without time zone"),
    ("unknown channel", _set("tickets", 1, channel="fax"), "tickets", 1, "channel", "unknown channel"),
    ("unknown priority", _set("tickets", 0, priority="P1"), "tickets", 0, "priority", "unknown priority"),
    ("bad language", _set("tickets", 2, language="norsk"), "tickets", 2, "language", "bad language code"),
    ("value not a number", _set("tickets", 0, customer_value="12k"), "tickets", 0, "customer_value",
     "not a number"),
    ("negative value", _set("tickets", 0, customer_value="-5"), "tickets", 0, "customer_value",
     "out of range"),
    ("unknown event type", _set("events", 0, type="comment"), "events", 0, "type", "unknown type"),
    ("unknown author role", _set("events", 1, author_role="robot"), "events", 1, "author_role",
     "unknown author_role"),
    ("unknown status", _set("events", 3, status="done"), "events", 3, "status", "unknown status"),
    ("unknown escalation type", _set("events", 9, escalation_type="sideways"), "events", 9, "escalation_type",
     "unknown escalation_type"),
    ("level out of range", _set("events", 9, level="5"), "events", 9, "level", "out of range"),
    ("level not whole", _set("events", 16, level="1.5"), "events", 16, "level", "not a whole number"),
    ("csat out of range", _set("events", 4, csat="0"), "events", 4, "csat", "out of range"),
    ("csat not a number", _set("events", 14, csat="great"), "events", 14, "csat", "not a number"),
    ("escalation without type", _set("events", 16, escalation_type=""), "events", 16, "escalation_type",
     "missing field for event type"),
    ("status change without status", _set("events", 12, status=""), "events", 12, "status",
     "missing field for event type"),
    ("reassignment to nobody", _set("events", 10, team=""), "events", 10, "assignee/team",
     "missing field for event type"),
    ("duplicate ticket", _repeat_first_ticket, "tickets", 3, "ticket_id", "duplicate ticket_id"),
    ("duplicate event", _set("events", 5, event_id="E-01"), "events", 5, "event_id", "duplicate event_id"),
    ("unknown ticket", _set("events", 0, ticket_id="T-9999"), "events", 0, "ticket_id", "unknown ticket"),
    ("event before creation", _set("events", 15, at="2024-03-05T12:00:00+01:00"), "events", 15, "at",
     "event before ticket creation"),
    # the bounds of core.tickets' Ticket and Event: a history that loads can be built into them (training)
    ("value infinite", _set("tickets", 0, customer_value="inf"), "tickets", 0, "customer_value",
     "not a number"),
    ("value above the bound", _set("tickets", 0, customer_value="2e12"), "tickets", 0, "customer_value",
     "out of range"),
    ("customer id too long", _set("tickets", 1, customer_id="C" * 201), "tickets", 1, "customer_id",
     "out of bounds"),
    ("team name too long", _set("tickets", 2, team="t" * 201), "tickets", 2, "team", "out of bounds"),
    ("subject too long", _set("tickets", 0, subject="s" * 1_001), "tickets", 0, "subject", "out of bounds"),
    ("body too long", _set("events", 0, body="x" * 100_001), "events", 0, "body", "out of bounds"),
    ("body with NUL", _set("events", 6, body="Wir\x00prüfen"), "events", 6, "body", "out of bounds"),
    ("reason too long", _set("events", 7, reason="r" * 2_001), "events", 7, "reason", "out of bounds"),
    ("event id too long", _set("events", 8, event_id="E" * 201), "events", 8, "event_id", "out of bounds"),
    ("extra text too long", _set("tickets", 1, region="EMEA " * 201), "tickets", 1, "region",
     "out of bounds"),
]


@pytest.mark.parametrize(("change", "kind", "index", "column", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_each_kind_of_problem_is_located(
    write_history: Callable[..., Path], tickets: Records, events: Records, event_line: Callable[[int], int],
    change: Break, kind: str, index: int | None, column: str, expected: str,
) -> None:
    change(tickets, events)
    folder = write_history("csv", tickets=tickets, events=events)
    with pytest.raises(DataValidationError) as raised:
        load_history(folder)
    [problem] = raised.value.problems
    line = None if index is None else index + 2 if kind == "tickets" else event_line(index)
    assert (problem.file, problem.row, problem.column) == (str(folder / f"{kind}.csv"), line, column)
    assert problem_kind(problem) == expected


def test_an_id_the_api_could_not_address_is_out_of_bounds_and_skip_keeps_the_rest(
    write_history: Callable[..., Path], tickets: Records, events: Records
) -> None:
    tickets[0]["ticket_id"] = "INC/2024/1001"  # '/' would be a path step in /v1/tickets/{id}
    for event in events:
        if event["ticket_id"] == "T-1001":
            event["ticket_id"] = "INC/2024/1001"
    folder = write_history("csv", tickets=tickets, events=events)
    with pytest.raises(DataValidationError) as raised:
        load_history(folder)
    first = raised.value.problems[0]
    assert (first.row, first.column) == (2, "ticket_id")
    assert first.message.startswith("out of bounds; ticket_id holds '/' at position 3; ids are 1 to 200")
    history = load_history(folder, on_invalid="skip")
    assert list(history.tickets.index) == ["T-1002", "T-1003"]
    assert [ticket.ticket_id for ticket, _ in iter_tickets(history)] == ["T-1002", "T-1003"]


def test_a_long_value_is_shown_cut(write_history: Callable[..., Path], events: Records) -> None:
    events[0]["body"] = "x" * 100_001
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", events=events))
    [problem] = raised.value.problems
    assert problem.message == "out of bounds; body has 100001 characters; at most 100000 are accepted"
    assert problem.value == "x" * 80 + "…"


def test_messages_say_what_which_value_and_what_to_do(write_history: Callable[..., Path], tickets: Records,
                                                      events: Records) -> None:
    tickets[1]["channel"] = "Fax"
    tickets.append(dict(tickets[0]))
    events[15]["at"] = "2024-03-05T12:00:00+01:00"
    folder = write_history("csv", tickets=tickets, events=events)
    with pytest.raises(DataValidationError) as raised:
        load_history(folder)
    channel, duplicate, early = raised.value.problems
    assert str(channel) == (f"{folder / 'tickets.csv'}:3 [channel]: unknown channel; allowed: email, web, "
                            "phone, chat, twitter, facebook (got 'Fax')")
    assert duplicate.message == f"duplicate ticket_id; first seen at {folder / 'tickets.csv'}:2"
    assert early.message == ("event before ticket creation; the ticket was created at "
                             "2024-03-05T13:40:00+00:00")
    assert early.value == "2024-03-05T11:00:00+00:00"


def test_a_missing_column_names_what_the_file_has_and_the_close_match(
    write_history: Callable[..., Path], tickets: Records
) -> None:
    for ticket in tickets:
        ticket["Created At"] = ticket.pop("created_at")
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", tickets=tickets))
    [problem] = raised.value.problems
    assert "no 'created_at' column; did you mean 'Created At'?" in problem.message
    assert "its columns: ticket_id, channel," in problem.message


def test_without_ticket_ids_events_are_not_all_unknown(write_history: Callable[..., Path],
                                                       tickets: Records) -> None:
    for ticket in tickets:
        del ticket["ticket_id"]
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", tickets=tickets))
    assert [problem_kind(p) for p in raised.value.problems] == ["missing column"]


def test_an_unreadable_tickets_file_is_the_one_problem(write_history: Callable[..., Path]) -> None:
    folder = write_history("csv")
    tickets = folder / "tickets.csv"
    tickets.write_bytes(tickets.read_text(encoding="utf-8").encode("cp1252"))  # Excel on Windows
    with pytest.raises(DataValidationError) as raised:
        load_history(folder)
    assert [(problem_kind(p), p.file) for p in raised.value.problems] == [("not UTF-8 text", str(tickets))]


def test_a_tickets_file_with_a_header_only_leaves_every_event_unknown(write_history: Callable[..., Path],
                                                                     event_line: Callable[[int], int]
                                                                     ) -> None:
    folder = write_history("csv")
    tickets = folder / "tickets.csv"
    tickets.write_text(tickets.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as raised:
        load_history(folder)
    problems = raised.value.problems
    assert {problem_kind(p) for p in problems} == {"unknown ticket"}
    assert [p.row for p in problems] == [event_line(i) for i in range(21)]
    skipped = load_history(folder, on_invalid="skip")
    assert skipped.tickets.empty and skipped.events.empty and len(skipped.problems) == 21


def test_every_problem_is_reported_at_once(write_history: Callable[..., Path], tickets: Records,
                                           events: Records) -> None:
    tickets[0]["language"] = "english"
    tickets[2]["priority"] = "critical"
    events[1]["at"] = "yesterday"
    events[9]["level"] = "7"
    events[19]["author_role"] = ""
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", tickets=tickets, events=events))
    problems = raised.value.problems
    assert [(Path(p.file).name, p.row, p.column) for p in problems] == [
        ("tickets.csv", 2, "language"), ("tickets.csv", 4, "priority"),
        ("events.csv", 3, "at"), ("events.csv", 12, "level"), ("events.csv", 22, "author_role"),
    ]
    assert "5 problem(s) in the ticket history" in str(raised.value)


@pytest.mark.parametrize(("fmt", "file", "row", "column"), [
    ("jsonl", "events.jsonl", 15, "csat"),  # line 15 of the JSONL file (1-based)
    ("parquet", "events.parquet", 14, "csat"),  # row index 14 (0-based)
    ("nested", "tickets.jsonl", 2, "events[9].csat"),  # T-1002's line, its tenth event
])
def test_other_formats_locate_problems_their_own_way(
    write_history: Callable[..., Path], events: Records, fmt: str, file: str, row: int, column: str
) -> None:
    events[14]["csat"] = "9"
    path = write_history(fmt, events=events)
    with pytest.raises(DataValidationError) as raised:
        load_history(path)
    [problem] = raised.value.problems
    assert (Path(problem.file).name, problem.row, problem.column) == (file, row, column)


def test_naive_parquet_timestamps_are_shown_as_they_are(write_history: Callable[..., Path]) -> None:
    folder = write_history("parquet")
    tickets = pd.read_parquet(folder / "tickets.parquet")
    tickets["created_at"] = tickets["created_at"].dt.tz_localize(None)  # a warehouse's naive timestamps
    tickets.to_parquet(folder / "tickets.parquet", index=False)
    with pytest.raises(DataValidationError) as raised:
        load_history(folder)
    problems = raised.value.problems
    assert {problem_kind(p) for p in problems} == {"timestamp without time zone"}
    assert problems[0].value == "2024-03-04 07:15:00"


def test_malformed_lines_are_reported_and_the_rest_is_read(tmp_path: Path, tickets: Records,
                                                           events: Records, write_file: Callable) -> None:
    write_file(tmp_path / "tickets.jsonl", tickets)
    lines = (tmp_path / "tickets.jsonl").read_text().splitlines()
    lines[1:1] = ["{not json", "", "[1, 2]"]
    (tmp_path / "tickets.jsonl").write_text("\n".join(lines) + "\n")
    write_file(tmp_path / "events.csv", events)
    with (tmp_path / "events.csv").open("a") as handle:
        handle.write("E-99,T-1001,2024-03-04T10:00:00Z,internal_note,agent,,x,,,,,,,,,EXTRA\n")
    history = load_history(tmp_path, on_invalid="skip")
    assert [(Path(p.file).name, p.row, problem_kind(p)) for p in history.problems] == [
        ("tickets.jsonl", 2, "malformed line"), ("tickets.jsonl", 4, "malformed line"),
        ("events.csv", 24, "malformed line"),
    ]
    assert len(history.tickets) == 3 and len(history.events) == 21


def test_a_problem_is_plain_data(write_history: Callable[..., Path], tickets: Records) -> None:
    tickets[0]["channel"] = "pigeon"
    with pytest.raises(DataValidationError) as raised:
        load_history(write_history("csv", tickets=tickets))
    assert raised.value.problems[0] == Problem(
        raised.value.problems[0].file, "unknown channel; allowed: email, web, phone, chat, twitter, facebook",
        2, "channel", "pigeon")


def test_blank_optional_names_load_as_none_and_build_into_tickets(write_history: Callable[..., Path],
                                                                   tickets: Records, events: Records) -> None:
    """The API refuses a name of white space only (core.bounds); a file's blank cell is an empty one, so a
    history with blank optional names still builds into tickets and events (train, replay)."""
    tickets[0]["assignee"] = "   "
    events[0]["author_id"] = " "
    history = load_history(write_history("csv", tickets=tickets, events=events))
    built = {ticket.ticket_id: (ticket, evs) for ticket, evs in iter_tickets(history)}
    ticket, evs = built[tickets[0]["ticket_id"]]
    assert ticket.assignee is None
    assert next(e for e in evs if e.event_id == events[0]["event_id"]).author_id is None


def test_an_extra_column_name_over_the_bound_is_a_problem_of_the_file(
    write_history: Callable[..., Path], tickets: Records
) -> None:
    """core.bounds names an extra field 200 characters at most: the Ticket refuses a longer one, so a
    history that validates would stop train. Every row carries the column: no row can be kept."""
    name = "custom_field_" + "x" * 190
    for record in tickets:
        record[name] = "yes"
    folder = write_history("csv", tickets=tickets)
    for on_invalid in ("fail", "skip"):
        with pytest.raises(DataValidationError) as raised:
            load_history(folder, on_invalid=on_invalid)
        [problem] = raised.value.problems
        assert (problem.file, problem.row, problem.column) == (str(folder / "tickets.csv"), None, name[:40])
        assert problem.message == (
            "extra column name too long; 203 characters; at most 200 are accepted: rename it in the file, "
            "or leave the column out")


def test_a_blank_extra_column_with_a_long_name_is_no_problem(
    write_history: Callable[..., Path], tickets: Records
) -> None:
    for record in tickets:
        record["x" * 201] = " "  # blank: no extra field of any ticket, as before
    history = load_history(write_history("csv", tickets=tickets))
    assert len(list(iter_tickets(history))) == 3


def test_a_row_with_more_extra_values_than_the_bound_is_a_problem_and_skip_drops_it(
    write_history: Callable[..., Path], tickets: Records
) -> None:
    """core.bounds: 1,000 values in a ticket's extra fields at most. The file has two extra columns already
    (sla_breached, region); T-1002 fills 1,001 of them, T-1003 exactly 1,000."""
    for number in range(999):
        for index, record in enumerate(tickets):
            record[f"f{number}"] = "v" if index == 1 or (index == 2 and number < 998) else ""
    folder = write_history("csv", tickets=tickets)
    with pytest.raises(DataValidationError) as raised:
        load_history(folder)
    [problem] = raised.value.problems
    assert (problem.file, problem.row, problem.column) == (str(folder / "tickets.csv"), 3, None)
    assert problem.message == (
        "too many extra values; 1001 extra columns hold a value in this row, at most 1000 are accepted: "
        "leave out the columns you do not need")
    history = load_history(folder, on_invalid="skip")
    assert [ticket.ticket_id for ticket, _ in iter_tickets(history)] == ["T-1001", "T-1003"]
