"""`escalation train` options that concern loading the history (the rest: test_tracking.py)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from core.cli import cli
from tests.features.history.conftest import event_records, ticket_records, write_csv


def test_train_keeps_the_valid_rows_with_on_invalid(tmp_path: Path) -> None:
    tickets, events = ticket_records(), event_records()
    tickets[1]["channel"] = "fax"  # T-1002 and its ten events are dropped
    events[15]["at"] = "2024-03-05T12:00:00+01:00"  # before T-1003's creation
    write_csv(tmp_path / "tickets.csv", tickets)
    write_csv(tmp_path / "events.csv", events)
    report = tmp_path / "invalid.csv"
    result = CliRunner().invoke(cli, ["train", "--data", str(tmp_path), "--on-invalid", "skip",
                                      "--invalid-report", str(report), "--no-text", "--no-progress"])
    # three tickets are too few to train on; what matters is that loading kept the valid rows
    assert "dropped 12 invalid row(s) (12 problem(s)), clamped 0 value(s)" in result.output
    assert report.exists()
