"""`escalation import`: a vendor export (folder or files) → the history format that validate-data accepts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from features.history.cli import validate_data
from features.history.history import load_history
from helpdesks.cli import import_history
from tests.helpdesks.conftest import PAYLOADS


def run(*args: str) -> Any:
    return CliRunner().invoke(import_history, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("vendor", "tickets", "events"), [
    ("zendesk", 2, 9), ("freshdesk", 2, 7), ("zammad", 2, 7)])
def test_an_export_with_bad_records_is_imported_without_them_and_named(
    tmp_path: Path, vendor: str, tickets: int, events: int
) -> None:
    result = run(vendor, str(PAYLOADS / vendor / "export"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert f"wrote {tickets} tickets and {events} events" in result.output
    assert "record(s) could not be used" in result.output
    checked = CliRunner().invoke(validate_data, [str(tmp_path / "out")])
    assert checked.exit_code == 0, checked.output
    assert f"OK: {tickets} tickets, {events} events" in checked.output
    history = load_history(tmp_path / "out")
    assert sorted(history.tickets.index) == [f"{vendor}-{i}" for i in
                                                    {"zendesk": (35436, 35437), "freshdesk": (12, 13),
                                                     "zammad": (81, 82)}[vendor]]


def test_problems_name_the_file_row_and_path(tmp_path: Path) -> None:
    result = run("zendesk", str(PAYLOADS / "zendesk" / "export"), "--out", str(tmp_path))
    export = PAYLOADS / "zendesk" / "export"
    audits, tickets = export / "ticket_audits.json", export / "tickets.json"
    assert f"  {tickets}:1 [tickets[3].via.channel]: 'carrier_pigeon' is not a channel" in result.output
    assert f"  {audits}:1 [audits[3].events[2].value]: 'limbo' is not a Zendesk status" in result.output
    assert "left out: 1 deleted tickets" in result.output


def clean_zammad(folder: Path) -> Path:
    """The Zammad export without its two bad records, as JSONL pages and a folder per kind."""
    export = PAYLOADS / "zammad" / "export"
    tickets = [t for t in json.loads((export / "tickets.json").read_text()) if t["id"] != 83]
    articles = [a for a in json.loads((export / "articles.json").read_text()) if a["sender"] != "Robot"]
    (folder / "articles").mkdir(parents=True)
    (folder / "tickets.jsonl").write_text("".join(json.dumps(t) + "\n" for t in tickets))
    for a in articles:
        (folder / "articles" / f"{a['id']}.json").write_text(json.dumps([a]))
    shutil.copy(export / "history.json", folder / "ticket_history.json")
    return folder


def test_a_clean_export_exits_0_and_round_trips(tmp_path: Path) -> None:
    export = clean_zammad(tmp_path / "export")
    result = run("zammad", str(export), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "zammad: read 11 records; wrote 2 tickets and 7 events" in result.output
    history = load_history(tmp_path / "out")
    assert len(history.events) == 7 and set(history.events["ticket_id"]) == {"zammad-81", "zammad-82"}
    # importing again replaces the files: the same history
    assert run("zammad", str(export), "--out", str(tmp_path / "out")).exit_code == 0
    assert len(load_history(tmp_path / "out").events) == 7


def test_files_without_a_kind_and_broken_json_are_named(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("[1, 2]")
    (tmp_path / "tickets.jsonl").write_text('{"id": 1\n')
    result = run("freshdesk", str(tmp_path / "notes.json"), str(tmp_path / "tickets.jsonl"),
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'notes.json'}:1: no record kind: name the file after one of tickets, conversations" \
        in result.output
    assert f"{tmp_path / 'tickets.jsonl'}:1: not JSON: Expecting ',' delimiter" in result.output


def test_the_sample_is_never_written_to(tmp_path: Path) -> None:
    from core.settings import get_settings

    result = CliRunner().invoke(import_history, ["zammad", str(PAYLOADS / "zammad" / "export"), "--out",
                                                 str(get_settings().paths.sample_dir)])
    assert result.exit_code == 2 and "the committed sample is never written to" in result.output


def test_a_page_whose_list_is_not_a_list_is_named_and_the_rest_imports(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(PAYLOADS / "zendesk" / "export", export)
    page = json.loads((export / "tickets.json").read_text())
    (export / "more_tickets.json").write_text(json.dumps({"tickets": 7, "users": page["users"]}))
    result = run("zendesk", str(export), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "wrote 2 tickets and 9 events" in result.output
    assert f"  {export / 'more_tickets.json'}:1 [tickets]: expected a list of tickets, got 7" in result.output


def test_an_out_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    out = tmp_path / "afile" / "history"
    result = CliRunner().invoke(import_history, ["zammad", str(PAYLOADS / "zammad" / "export"), "--out",
                                                 str(out)])
    assert result.exit_code == 2
    assert f"Invalid value for --out: {out} cannot be written (" in result.output


def test_a_folder_without_export_files_is_refused_and_nothing_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "ui-export"
    folder.mkdir()
    (folder / "tickets.csv").write_text("Id,Subject\n1,Hello\n")  # the helpdesk UI's CSV, not the API's JSON
    out = tmp_path / "out"
    assert run("zammad", str(PAYLOADS / "zammad" / "export"), "--out", str(out)).exit_code == 1
    before = (out / "tickets.jsonl").read_text()
    result = CliRunner().invoke(import_history, ["zammad", str(folder), "--out", str(out)])
    assert result.exit_code == 2
    assert f"no export files in {folder}: expected .json, .jsonl or .ndjson files" in result.output
    assert (out / "tickets.jsonl").read_text() == before
