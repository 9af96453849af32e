"""Load a ticket history (files or in-memory records) into typed, validated pandas frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import DataValidationError, Problem
from features.history.columns import missing_columns, rename
from features.history.derive import generate_columns
from features.history.extras import type_extras
from features.history.files import locate
from features.history.invalid import Fix, OnInvalid
from features.history.mapping import ColumnMapping, load_mapping, mapping_from_dict
from features.history.problems import FILE, META, ROW, WHERE, add_meta, sort_problems
from features.history.readers import read_table, text_frame
from features.history.schema import FileKind, column_names
from features.history.validate import Checked, check_frame, check_links, drop_orphans, strip_meta


@dataclass(frozen=True)
class HistorySource:
    tickets_files: tuple[str, ...]
    events_files: tuple[str, ...]  # includes the tickets JSONL when events are nested in it
    mapping_file: str | None = None


@dataclass
class TicketHistory:
    """tickets: indexed by ticket_id, file order; events: sorted by ticket_id, at, then file order.
    Timestamps are datetime64[us, UTC], closed vocabularies are categoricals, extra columns are kept."""

    tickets: pd.DataFrame
    events: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)  # rows dropped by skip or clamp, each named
    fixed: list[Fix] = field(default_factory=list)  # values changed by clamp, rows kept
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong
    source: HistorySource = field(default_factory=lambda: HistorySource((), ()))


MappingArg = ColumnMapping | str | Path | dict[str, Any] | None


def load_history(
    path: str | Path, mapping: MappingArg = None, *, on_invalid: OnInvalid | str = OnInvalid.FAIL,
    progress: bool = False,
) -> TicketHistory:
    """Read, validate and type a history: a directory, a tickets file (its events file beside it), or a
    JSONL of tickets with nested `events`. on_invalid fail raises DataValidationError with every problem;
    skip drops only the bad rows and lists them in `problems`; clamp also fixes what it can (`fixed`)
    (features/history/invalid.py)."""
    column_mapping = _as_mapping(mapping)
    located = locate(Path(path), column_mapping)
    parts: dict[FileKind, list[pd.DataFrame]] = {"tickets": [], "events": []}
    problems: list[Problem] = []
    events_files = [str(p) for p in located.events]
    for file in located.tickets:
        table = read_table(file, progress=progress)
        problems += table.problems
        tickets = _prepare(table.frame, "tickets", column_mapping, str(file), problems)
        parts["tickets"].append(tickets)
        if table.nested_events is not None:
            events_files.insert(0, str(file))
            nested = rename(table.nested_events, "events", column_mapping, str(file))
            _inherit_ticket_id(nested, tickets)
            problems += missing_columns(nested, "events", str(file), table.nested_events,
                                        column_mapping.events)
            parts["events"].append(nested)
    for file in located.events:
        table = read_table(file, progress=progress)
        problems += table.problems
        parts["events"].append(_prepare(table.frame, "events", column_mapping, str(file), problems))
    source = HistorySource(tuple(str(p) for p in located.tickets), tuple(dict.fromkeys(events_files)),
                           column_mapping.source if mapping is not None else None)
    has_nested = len(source.events_files) > len(located.events)
    return _build(parts, problems, column_mapping, OnInvalid(on_invalid), source,
                  [] if has_nested else located.notes)


def history_from_records(
    tickets: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]] = (), mapping: MappingArg = None,
    *, on_invalid: OnInvalid | str = OnInvalid.FAIL,
) -> TicketHistory:
    """The same validation for in-memory records (e.g. an API payload); rows are 0-based list indexes."""
    column_mapping = _as_mapping(mapping)
    problems: list[Problem] = []
    given: dict[FileKind, Sequence[dict[str, Any]]] = {"tickets": tickets, "events": events}
    parts: dict[FileKind, list[pd.DataFrame]] = {
        kind: [_prepare(add_meta(text_frame(list(records)), f"<{kind}>", range(len(records))), kind,
                        column_mapping, f"<{kind}>", problems)]
        for kind, records in given.items()
    }
    return _build(parts, problems, column_mapping, OnInvalid(on_invalid),
                  HistorySource(("<tickets>",), ("<events>",)), [])


def _as_mapping(mapping: MappingArg) -> ColumnMapping:
    if mapping is None:
        return ColumnMapping()
    if isinstance(mapping, ColumnMapping):
        return mapping
    if isinstance(mapping, dict):
        return mapping_from_dict(mapping)
    return load_mapping(mapping)


def _prepare(frame: pd.DataFrame, kind: FileKind, mapping: ColumnMapping, file: str,
             problems: list[Problem]) -> pd.DataFrame:
    if _blank_frame(frame):
        return frame  # unreadable (already reported) or an empty JSONL: nothing to check
    renamed = rename(frame, kind, mapping, file)
    problems += missing_columns(renamed, kind, file, frame, mapping.of(kind))
    return renamed


def _blank_frame(frame: pd.DataFrame) -> bool:
    return frame.empty and all(name in META or name == "__parent__" for name in frame.columns)


def _inherit_ticket_id(events: pd.DataFrame, tickets: pd.DataFrame) -> None:
    # Nested events usually omit their ticket's id: it is the line they sit on.
    if "ticket_id" not in tickets.columns or events.empty:
        return
    parent = tickets["ticket_id"].to_numpy()[events["__parent__"].to_numpy(dtype=int)]
    if "ticket_id" not in events.columns:
        events["ticket_id"] = parent
    else:
        events["ticket_id"] = events["ticket_id"].where(events["ticket_id"].str.strip().ne(""), parent)


def _build(parts: dict[FileKind, list[pd.DataFrame]], problems: list[Problem], mapping: ColumnMapping,
           on_invalid: OnInvalid, source: HistorySource, notes: list[str]) -> TicketHistory:
    checked: dict[FileKind, Checked] = {}
    clamp = on_invalid == OnInvalid.CLAMP
    for kind in ("tickets", "events"):
        frame = _concat(parts[kind], kind)
        generate_columns(frame, kind, mapping.of(kind))
        checked[kind] = check_frame(frame, kind, mapping.of(kind), clamp=clamp)
    shown = {name: mapping.events.columns.get(name, name) for name in ("ticket_id", "at")}
    # Without ticket ids or a readable tickets file every event would be 'unknown': say the cause once.
    unlinkable = [p for p in problems if p.row is None and (
        p.column == "ticket_id" or (p.column is None and p.file in source.tickets_files))]
    if not unlinkable:
        check_links(checked["tickets"], checked["events"], shown, clamp=clamp)
    problems += checked["tickets"].problems + checked["events"].problems
    files = [*source.tickets_files, *source.events_files]
    fatal = [p for p in problems if p.row is None]  # unreadable file or missing column: no row is usable
    if (on_invalid == OnInvalid.FAIL and problems) or fatal:
        raise DataValidationError(sort_problems(problems, files))
    problems += drop_orphans(checked["tickets"], checked["events"])
    fixed = [fix for kind in ("tickets", "events") for fix in _kept_fixes(checked[kind])]
    tickets = _finish(checked["tickets"], "tickets").set_index("ticket_id")
    events = _finish(checked["events"], "events")
    events = events.sort_values(["ticket_id", "at"], kind="stable").reset_index(drop=True)
    fixed.sort(key=lambda fix: (fix.problem.file, fix.problem.row or 0))
    if tickets.empty and not problems:  # a valid file without a row: worth saying beside "OK: 0 tickets"
        notes = [*notes, f"{', '.join(source.tickets_files)} holds no ticket (a header only): nothing to "
                 "describe or train on"]
    return TicketHistory(tickets, events, sort_problems(problems, files), fixed, notes, source)


def _kept_fixes(checked: Checked) -> list[Fix]:
    """The fixes of rows that are kept: a row dropped for another problem lists that one only."""
    dropped = set(zip(checked.frame.loc[checked.bad, FILE], checked.frame.loc[checked.bad, ROW], strict=True))
    return [fix for fix in checked.fixes if (fix.problem.file, fix.problem.row) not in dropped]


def _concat(frames: list[pd.DataFrame], kind: FileKind) -> pd.DataFrame:
    frames = [frame for frame in frames if not _blank_frame(frame)]
    if not frames:
        return add_meta(pd.DataFrame({name: pd.Series(dtype="str") for name in column_names(kind)}), "", [])
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    for name in frame.columns:  # columns only some files have: blank elsewhere
        if name not in (ROW, "__parent__") and frame[name].dtype == object:
            frame[name] = frame[name].fillna("").astype("str")
        elif name not in (ROW, "__parent__") and frame[name].dtype == "str":
            frame[name] = frame[name].fillna("")
    frame[WHERE] = frame[WHERE].fillna("")
    frame[FILE] = frame[FILE].astype("str")
    return frame


def _finish(checked: Checked, kind: FileKind) -> pd.DataFrame:
    frame = strip_meta(checked.frame.loc[~checked.bad])
    contract = column_names(kind)
    ordered = [*contract, *(name for name in frame.columns if name not in contract)]
    return type_extras(frame[ordered].reset_index(drop=True), contract)
