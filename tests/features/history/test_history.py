"""Loading a good history: every format gives the same typed frames; extras, on_invalid="skip", conversion."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from core.errors import ConfigError, DataValidationError, NotFoundError
from core.tickets import Event, Ticket
from features.history import history_from_records, iter_tickets, load_history

Records = list[dict[str, str]]
WriteHistory = Callable[..., Path]


def test_a_good_history_loads_typed(write_history: WriteHistory) -> None:
    history = load_history(write_history("csv"))
    tickets, events = history.tickets, history.events
    assert list(tickets.index) == ["T-1001", "T-1002", "T-1003"]
    assert str(tickets["created_at"].dtype) == "datetime64[us, UTC]"
    assert tickets.loc["T-1001", "created_at"] == pd.Timestamp("2024-03-04T07:15:00Z")
    assert isinstance(tickets["channel"].dtype, pd.CategoricalDtype)
    assert list(tickets["channel"].cat.categories) == ["email", "web", "phone", "chat", "twitter", "facebook"]
    assert tickets.loc["T-1003", "customer_value"] == 250000.5
    assert list(tickets["language"]) == ["en", "de", "no"]
    assert len(events) == 21 and history.problems == [] and history.notes == []
    assert str(events["level"].dtype) == "Int64" and events["csat"].dropna().tolist() == [5, 1]
    assert events.loc[events["event_id"] == "E-09", "body"].item() == (
        "Immer noch kaputt!\nIch will sofort einen Vorgesetzten sprechen.")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "nested"])
def test_every_format_loads_the_same_history(write_history: WriteHistory, fmt: str) -> None:
    expected = load_history(write_history("csv", folder="csv"))
    got = load_history(write_history(fmt, folder=fmt))
    assert got.notes == []
    pd.testing.assert_frame_equal(got.tickets, expected.tickets)
    pd.testing.assert_frame_equal(got.events, expected.events)


def test_gzipped_files_load(write_history: WriteHistory, tmp_path: Path) -> None:
    folder = write_history("csv")
    for name in ("tickets.csv", "events.csv"):
        with (folder / name).open("rb") as plain, gzip.open(folder / f"{name}.gz", "wb") as packed:
            shutil.copyfileobj(plain, packed)
        (folder / name).unlink()
    assert len(load_history(folder).events) == 21


def test_a_tickets_file_picks_up_its_events_sibling(write_history: WriteHistory) -> None:
    folder = write_history("csv")
    (folder / "tickets.csv").rename(folder / "acme_tickets.csv")
    (folder / "events.csv").rename(folder / "acme_events.csv")
    history = load_history(folder / "acme_tickets.csv")
    assert len(history.events) == 21
    assert history.source.events_files == (str(folder / "acme_events.csv"),)


def test_tickets_only_is_a_note_not_an_error(write_history: WriteHistory) -> None:
    history = load_history(write_history("csv", events=None))
    assert len(history.tickets) == 3 and history.events.empty
    assert "no events file" in history.notes[0]


def test_a_tickets_file_with_a_header_only_is_a_note(tmp_path: Path) -> None:
    """validate-data said "OK: 0 tickets, 0 events, n/a to n/a" with nothing else, and train then stopped."""
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("ticket_id,created_at,channel,priority,customer_id,customer_tier,product,category,team,"
                       "language\n", encoding="utf-8")
    history = load_history(tmp_path)
    assert history.tickets.empty
    assert f"{tickets} holds no ticket (a header only): nothing to describe or train on" in history.notes


def test_extra_columns_are_kept_and_typed(write_history: WriteHistory, tickets: Records) -> None:
    solved = [("0", "2024-03-04T10:31:00+01:00"), ("2", ""), ("1", "2024-03-05T15:56:00+01:00")]
    for ticket, (reopens, solved_at) in zip(tickets, solved, strict=True):
        ticket.update(reopens=reopens, solved_at=solved_at, bad_csat="yes" if reopens == "2" else "no")
    loaded = load_history(write_history("csv", tickets=tickets)).tickets
    assert loaded["sla_breached"].dtype == bool and loaded["sla_breached"].tolist() == [True, False, True]
    assert loaded["bad_csat"].tolist() == [False, True, False]
    assert str(loaded["reopens"].dtype) == "Int64" and loaded["reopens"].tolist() == [0, 2, 1]
    assert str(loaded["solved_at"].dtype) == "datetime64[us, UTC]" and loaded["solved_at"].isna().sum() == 1
    assert loaded["region"].tolist() == ["EMEA", "EMEA", "Nordics"]


def test_skip_keeps_every_valid_row(write_history: WriteHistory, tickets: Records,
                                            events: Records) -> None:
    tickets[1]["channel"] = "fax"  # T-1002 and its 10 events go
    events[4]["csat"] = "10"  # E-05 of T-1001 goes alone
    folder = write_history("csv", tickets=tickets, events=events)
    with pytest.raises(DataValidationError) as raised:
        load_history(folder)
    assert len(raised.value.problems) == 2
    history = load_history(folder, on_invalid="skip")
    assert list(history.tickets.index) == ["T-1001", "T-1003"]
    assert len(history.events) == 21 - 10 - 1
    dropped = [p for p in history.problems if p.message.startswith("event of a dropped ticket")]
    assert len(dropped) == 10 and all(p.message.endswith("tickets.csv:3") for p in dropped)
    assert len(history.problems) == 12


def test_events_are_ordered_by_ticket_then_time_then_file_order(write_history: WriteHistory,
                                                                events: Records) -> None:
    events.reverse()
    events[0]["at"] = events[1]["at"]  # a tie: E-21 and E-20 at the same time keep file order
    history = load_history(write_history("csv", events=events))
    t3 = history.events[history.events["ticket_id"] == "T-1003"]["event_id"].tolist()
    assert t3 == ["E-16", "E-17", "E-18", "E-19", "E-21", "E-20"]


def test_iter_tickets_gives_the_core_types(write_history: WriteHistory) -> None:
    pairs = list(iter_tickets(load_history(write_history("csv"))))
    assert [ticket.ticket_id for ticket, _ in pairs] == ["T-1001", "T-1002", "T-1003"]
    ticket, events = pairs[1]
    assert isinstance(ticket, Ticket) and all(isinstance(e, Event) for e in events)
    assert ticket.model_extra == {"sla_breached": False, "region": "EMEA"}
    assert [e.type.value for e in events][-2:] == ["status_change", "csat_rating"]
    assert events[4].level == 1 and events[4].at.utcoffset() is not None


def test_a_timestamp_extra_travels_as_its_iso_text(write_history: WriteHistory, tickets: Records,
                                                   events: Records) -> None:
    # an export's solved_at: typed a datetime in the frame, a JSON value (as the API takes it) in the models
    for ticket, solved in zip(tickets, ["2024-03-04T10:31:00+01:00", "2024-03-05T11:01:00+01:00", ""],
                              strict=True):
        ticket["solved_at"] = solved
    for event in events:
        event["synced_at"] = "2024-03-07T00:00:00Z"
    history = load_history(write_history("csv", tickets=tickets, events=events))
    assert str(history.tickets["solved_at"].dtype) == "datetime64[us, UTC]"
    ticket, built = next(iter_tickets(history))
    assert ticket.model_extra is not None and ticket.model_extra["solved_at"] == "2024-03-04T09:31:00+00:00"
    assert built[0].model_extra == {"synced_at": "2024-03-07T00:00:00+00:00"}
    assert ticket.created_at == pd.Timestamp("2024-03-04T07:15:00Z").to_pydatetime()


def test_records_in_memory_are_validated_the_same_way(tickets: Records, events: Records) -> None:
    history = history_from_records(tickets, events)
    assert len(history.tickets) == 3 and len(history.events) == 21
    events[2]["type"] = "comment"
    with pytest.raises(DataValidationError) as raised:
        history_from_records(tickets, events)
    [problem] = raised.value.problems
    assert (problem.file, problem.row, problem.column) == ("<events>", 2, "type")


def test_a_path_that_is_not_there_or_not_a_history(tmp_path: Path, tickets: Records,
                                                    write_file: Callable[[Path, Records], Path]) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        load_history(tmp_path / "nope")
    with pytest.raises(NotFoundError, match="no tickets file"):
        load_history(tmp_path)
    with pytest.raises(ConfigError, match="is an events file"):
        load_history(write_file(tmp_path / "events.csv", tickets))
    write_file(tmp_path / "tickets.csv", tickets)
    write_file(tmp_path / "tickets.jsonl", tickets)
    with pytest.raises(ConfigError, match="several tickets files"):
        load_history(tmp_path)
