"""`escalation import zendesk|freshdesk|zammad EXPORT… --out DIR`: a helpdesk's history export in the
project's history format (data/README.md), which `validate-data` and `train --data` read. The layout of an
export: docs/helpdesks/{vendor}.md."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from core.errors import Problem
from core.settings import get_settings
from core.tickets import Event, Ticket
from helpdesks.common import Vendor
from helpdesks.exports import Imported, Record
from helpdesks.payload import Node
from helpdesks.vendors import EXPORT_KINDS, map_history

SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")


@click.command("import")
@click.argument("vendor", type=click.Choice([v.value for v in Vendor]))
@click.argument("export", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for tickets.jsonl and events.jsonl (created; files there are replaced).")
@click.option("--max-problems", type=click.IntRange(min=0), default=50, show_default=True,
              help="Print at most this many problems (0: all).")
def import_history(vendor: str, export: tuple[Path, ...], out: Path, max_problems: int) -> None:
    """Turn a helpdesk's history EXPORT (a folder, or JSON/JSONL files) into the project's history format in
    --out. Records that cannot be used are left out and printed with their file, row and JSON path; the
    exit code is then 1. The helpdesk's own SLA policies are not imported."""
    settings = get_settings()
    if out.resolve() == settings.paths.sample_dir.resolve():
        raise click.BadParameter("the committed sample is never written to; choose another directory",
                                 param_hint="--out")
    chosen = Vendor(vendor)
    bare = next((p for p in export if p.is_dir() and next(_files((p,)), None) is None), None)
    if bare is not None:  # e.g. the UI's CSV export: an empty history would replace the files in --out
        raise click.BadParameter(f"no export files in {bare}: expected .json, .jsonl or .ndjson files "
                                 f"(gzipped or not) from the helpdesk's API (docs/helpdesks/{vendor}.md)",
                                 param_hint="EXPORT")
    problems: list[Problem] = []
    records = list(read_export(export, EXPORT_KINDS[chosen], problems))
    imported = map_history(chosen, records, settings)
    imported.problems[:0] = problems
    try:
        tickets, events = write_history(imported, out)
    except OSError as exc:
        raise click.BadParameter(f"{out} cannot be written ({exc.strerror or exc}); choose another directory",
                                 param_hint="--out") from None
    click.echo(f"{chosen.value}: read {len(records):,} records; wrote {tickets:,} tickets and {events:,} "
               f"events to {out / 'tickets.jsonl'} and {out / 'events.jsonl'}")
    for why, count in sorted(imported.skipped.items()):
        click.echo(f"left out: {count:,} {why}")
    click.echo("note: the helpdesk's own SLA policies are not imported; the project's policies apply "
               "(docs/sla-semantics.md)", err=True)
    if imported.problems:
        shown = imported.problems if max_problems == 0 else imported.problems[:max_problems]
        click.echo(f"{len(imported.problems):,} record(s) could not be used:")
        for problem in shown:
            click.echo(f"  {problem}")
        if len(shown) < len(imported.problems):
            click.echo(f"  … and {len(imported.problems) - len(shown):,} more")
        raise SystemExit(1)


def read_export(paths: tuple[Path, ...], kinds: tuple[str, ...], problems: list[Problem]) -> Iterator[Record]:
    """The records of every export file under `paths`, each with its kind: a page object's lists under the
    kinds' names (`{"tickets": […], "users": […]}`), else the file's kind, told by its name or its folder's
    (`ticket_audits.json`, `conversations/12.json`)."""
    for file in _files(paths):
        kind = _kind_of(file, kinds)
        for row, value in _values(file, problems):
            if isinstance(value, dict) and any(isinstance(value.get(k), list) for k in kinds):
                for k in kinds:
                    items = value.get(k)
                    if items is not None and not isinstance(items, list):
                        message = f"expected a list of {k}, got {json.dumps(items)[:40]}"
                        problems.append(Problem(str(file), message, row=row, column=k))
                        continue
                    for i, item in enumerate(items or []):
                        yield Record(k, str(file), row, Node(item, f"{k}[{i}]"))
            elif kind is None:
                problems.append(Problem(
                    str(file), f"no record kind: name the file after one of {', '.join(kinds)} (e.g. "
                    "tickets.json) or put it in a folder named so", row=row))
                break
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    yield Record(kind, str(file), row if len(value) == 1 else i + 1, Node(item))
            else:
                yield Record(kind, str(file), row, Node(value))


def write_history(imported: Imported, out: Path) -> tuple[int, int]:
    """tickets.jsonl and events.jsonl in `out`, tickets by id, events by ticket and time; an event id seen
    twice (the same comment in two pages) is written once."""
    out.mkdir(parents=True, exist_ok=True)
    tickets = {t.ticket_id: t for t in sorted(imported.tickets, key=lambda t: t.ticket_id)}
    events: dict[str, Event] = {}
    for e in sorted(imported.events, key=lambda e: (e.ticket_id, e.at)):
        if e.ticket_id in tickets:
            events.setdefault(e.event_id, e)
    _write(out / "tickets.jsonl", [_row(t) for t in tickets.values()])
    _write(out / "events.jsonl", [_row(e) for e in events.values()])
    return len(tickets), len(events)


def _row(item: Ticket | Event) -> dict[str, Any]:
    return item.model_dump(mode="json", exclude_none=True)


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _files(paths: tuple[Path, ...]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(SUFFIXES))
        else:
            yield path


def _kind_of(file: Path, kinds: tuple[str, ...]) -> str | None:
    """The kind a file's name (or its folder's) names; `tickets` last, as ticket_audits names audits."""
    ordered = sorted(kinds, key=lambda k: k == "tickets")
    for name in (file.name.lower(), file.parent.name.lower()):
        found = next((k for k in ordered if k in name), None)
        if found:
            return found
    return None


def _values(file: Path, problems: list[Problem]) -> Iterator[tuple[int, Any]]:
    """(row, JSON value): the whole file for .json, one line each for .jsonl/.ndjson."""
    opener = gzip.open if file.name.lower().endswith(".gz") else open
    try:
        with opener(file, "rt", encoding="utf-8-sig") as f:  # type: ignore[operator]
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(file), f"cannot be read: {exc.__class__.__name__}"))
        return
    lines = file.name.lower().removesuffix(".gz").endswith((".jsonl", ".ndjson"))
    chunks = [(i + 1, line) for i, line in enumerate(text.splitlines()) if line.strip()] if lines \
        else [(1, text)]
    for row, chunk in chunks:
        try:
            yield row, json.loads(chunk)
        except json.JSONDecodeError as exc:
            problems.append(Problem(str(file), f"not JSON: {exc.msg} (column {exc.colno})",
                                    row=row if lines else exc.lineno))
