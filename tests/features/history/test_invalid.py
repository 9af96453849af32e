"""--on-invalid skip|clamp: every valid row is kept, invalid ones dropped or fixed, each in the report."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from core.cli import cli
from core.errors import ConfigError, DataValidationError
from features.history import load_history, problem_kind
from tests.features.history.test_shipped_mappings import EVENTS, SERVICENOW, write_servicenow

Records = list[dict[str, str]]
EARLY = "2024-03-05T12:00:00+01:00"  # T-1003 was created at 14:40


@pytest.fixture
def broken(write_history: Callable[..., Path], tickets: Records, events: Records) -> Path:
    """An early event (E-16), a CSAT of 7 (E-05) and a ticket with an unknown channel (T-1002)."""
    events[15]["at"] = EARLY
    events[4]["csat"] = "7"
    tickets[1]["channel"] = "fax"
    return write_history("csv", tickets=tickets, events=events)


def test_skip_drops_the_invalid_rows_and_the_events_of_dropped_tickets(broken: Path) -> None:
    history = load_history(broken, on_invalid="skip")
    assert history.tickets.index.tolist() == ["T-1001", "T-1003"]
    assert "E-16" not in set(history.events["event_id"]) and "E-05" not in set(history.events["event_id"])
    assert not history.events["ticket_id"].eq("T-1002").any()
    assert history.fixed == []
    kinds = [problem_kind(p) for p in history.problems]
    assert kinds.count("event of a dropped ticket") == 10 and "event before ticket creation" in kinds


def test_clamp_moves_an_early_event_and_a_number_to_their_bounds(broken: Path) -> None:
    history = load_history(broken, on_invalid="clamp")
    events = history.events.set_index("event_id")
    assert events.loc["E-16", "at"] == pd.Timestamp("2024-03-05T13:40:00Z")  # the ticket's creation
    assert events.loc["E-05", "csat"] == 5
    assert [(fix.problem.row, fix.problem.column, fix.value) for fix in history.fixed] == [
        (6, "csat", "5"), (18, "at", "2024-03-05T13:40:00+00:00")]
    assert history.tickets.index.tolist() == ["T-1001", "T-1003"]  # an unknown channel cannot be clamped


def test_fail_is_the_default(broken: Path) -> None:
    with pytest.raises(DataValidationError) as raised:
        load_history(broken)
    assert len(raised.value.problems) == 3


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_validate_data_writes_the_report_and_prints_counts(broken: Path, tmp_path: Path, suffix: str) -> None:
    report = tmp_path / f"invalid{suffix}"
    result = CliRunner().invoke(cli, ["validate-data", str(broken), "--on-invalid", "clamp",
                                      "--invalid-report", str(report)])
    assert result.exit_code == 0, result.output
    assert "dropped 11 invalid row(s) (11 problem(s)), clamped 2 value(s); every valid row is kept" \
        in result.output
    assert "        1  events.csv [at]: event before ticket creation (clamped)" in result.output
    assert result.output.splitlines()[-1].startswith("kept: 2 tickets, 11 events")
    if suffix == ".csv":
        with report.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    else:
        rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 13 and set(rows[0]) == {"file", "line", "column", "problem", "value", "action"}
    channel = next(row for row in rows if row["column"] == "channel")
    assert (str(channel["line"]), channel["value"], channel["action"]) == ("3", "fax", "dropped the row")
    early = next(row for row in rows if row["column"] == "at")
    assert early["action"] == "clamped to 2024-03-05T13:40:00+00:00"


def test_a_missing_column_stops_even_a_lenient_load(write_history: Callable[..., Path],
                                                    tickets: Records) -> None:
    for ticket in tickets:
        del ticket["channel"]
    with pytest.raises(DataValidationError):
        load_history(write_history("csv", tickets=tickets), on_invalid="skip")


def test_a_duplicate_column_stops_even_a_lenient_load(write_history: Callable[..., Path]) -> None:
    folder = write_history("csv")
    tickets = folder / "tickets.csv"
    header, *rows = tickets.read_text(encoding="utf-8").splitlines()
    # which of the two channels is meant cannot be told: no row of the file is usable, none is "dropped"
    lines = [header + ",channel", *(row + ",web" for row in rows)]
    tickets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as raised:
        load_history(folder, on_invalid="skip")
    [problem] = raised.value.problems
    assert (problem_kind(problem), problem.row, problem.column) == ("duplicate column", None, "channel")


def test_a_report_of_another_type_is_refused(broken: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate-data", str(broken), "--on-invalid", "skip",
                                      "--invalid-report", str(tmp_path / "report.xlsx")])
    assert isinstance(result.exception, ConfigError) and "use .csv or .jsonl" in str(result.exception)


def test_a_report_that_cannot_be_written_is_our_error(broken: Path, tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("a file, not a folder", encoding="utf-8")
    report = tmp_path / "reports" / "invalid.csv"
    result = CliRunner().invoke(cli, ["validate-data", str(broken), "--on-invalid", "skip",
                                      "--invalid-report", str(report)])
    assert isinstance(result.exception, ConfigError)
    assert str(result.exception).startswith(f"--invalid-report {report}: cannot be written (")


def test_a_state_folder_that_cannot_be_written_is_named_as_the_setting(
    broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's default folder is the state directory: an unwritable one was reported as
    '--invalid-report …', an option the operator had not given, and only after the whole load."""
    from core.settings import get_settings

    (tmp_path / "state").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("ESCALATION_PATHS__STATE_DIR", str(tmp_path / "state"))
    get_settings.cache_clear()
    loaded = []
    monkeypatch.setattr("features.history.cli.load_history", lambda *a, **k: loaded.append(a))
    try:
        result = CliRunner().invoke(cli, ["validate-data", str(broken), "--on-invalid", "skip"])
    finally:
        get_settings.cache_clear()
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception).startswith(
        f"ESCALATION_PATHS__STATE_DIR {tmp_path / 'state'}: the invalid rows' report "
        f"{tmp_path / 'state' / 'invalid-rows.csv'}: cannot be written (")
    assert not loaded


def test_servicenow_events_stamped_before_their_incident(
    tmp_path: Path, write_file: Callable[[Path, Records], Path],
) -> None:
    early = [*EVENTS]
    for index in (1, 5, 11):  # three updates logged a few minutes before the incident was opened
        ticket_id, _, kind, actor, value = early[index]
        opened = {"INC0000045": "29/2/2016 01:10", "INC0000047": "29/2/2016 04:30",
                  "INC0000057": "1/3/2016 09:00"}[ticket_id]
        early[index] = (ticket_id, opened, kind, actor, value)
    folder = write_servicenow(tmp_path / "servicenow", write_file, early)
    with pytest.raises(DataValidationError) as raised:
        load_history(folder, SERVICENOW)
    assert [problem_kind(p) for p in raised.value.problems] == ["event before ticket creation"] * 3
    history = load_history(folder, SERVICENOW, on_invalid="clamp")
    assert (len(history.events), len(history.problems), len(history.fixed)) == (9, 0, 3)

