"""Finding a history's files: names differ only in case on a case-sensitive file system (Linux)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import NotFoundError
from features.history.files import locate
from features.history.mapping import ColumnMapping


def _touch(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).write_text("id\n1\n")
    return folder


def test_a_tickets_file_named_in_another_case_is_named_in_the_error(tmp_path: Path) -> None:
    _touch(tmp_path, "Tickets.CSV")
    with pytest.raises(NotFoundError) as raised:
        locate(tmp_path, ColumnMapping())
    assert str(raised.value).startswith(f"no tickets file in {tmp_path}; found Tickets.CSV, whose name "
                                        "differs only in case: rename it to tickets.csv; expected one of")


def test_an_events_file_named_in_another_case_is_named_in_the_note(tmp_path: Path) -> None:
    _touch(tmp_path, "tickets.csv", "EVENTS.jsonl")
    located = locate(tmp_path, ColumnMapping())
    assert located.events == []
    assert located.notes == ["no events file next to tickets.csv: loading tickets only (outcome-only export, "
                             "or events nested in the tickets JSONL); found EVENTS.jsonl, whose name differs "
                             "only in case: rename it to events.jsonl"]


def test_the_events_sibling_of_a_tickets_file_in_another_case(tmp_path: Path) -> None:
    _touch(tmp_path, "acme_tickets.csv", "ACME_EVENTS.CSV")
    located = locate(tmp_path / "acme_tickets.csv", ColumnMapping())
    assert located.notes[0].endswith("found ACME_EVENTS.CSV, whose name differs only in case: rename it to "
                                     "acme_events.csv")
