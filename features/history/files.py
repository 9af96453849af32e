"""Find the tickets and events files of a history: a directory, a tickets file, or a nested JSONL."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError, NotFoundError
from features.history.mapping import ColumnMapping
from features.history.readers import SUFFIXES, file_format
from features.history.schema import FileKind


@dataclass(frozen=True)
class Located:
    tickets: list[Path]
    events: list[Path]
    notes: list[str] = field(default_factory=list)


def locate(path: Path, mapping: ColumnMapping) -> Located:
    if not path.exists():
        raise NotFoundError(f"{path} does not exist; pass a directory holding tickets.csv (or .jsonl, "
                            ".parquet) and events.csv, or a tickets file")
    if path.is_dir():
        tickets = _find(path, "tickets", mapping)
        if not tickets:
            expected = ", ".join("tickets" + suffix for suffix in SUFFIXES)
            other_case = _other_case(path, "tickets", mapping)
            found = f"{other_case}; " if other_case else ""
            raise NotFoundError(f"no tickets file in {path}; {found}expected one of {expected}, "
                                "or set tickets.file in a mapping")
        folder = path
    else:
        if file_format(path) is None:
            raise NotFoundError(f"{path}: unsupported file type; use one of {', '.join(SUFFIXES)}")
        if path.name.lower().startswith("events"):
            raise ConfigError(f"{path} is an events file; pass the tickets file or the directory "
                              "holding both")
        tickets, folder = [path], path.parent
    events = _find(folder, "events", mapping, sibling_of=None if path.is_dir() else path)
    other_case = "" if events else _other_case(folder, "events", mapping, path)
    notes = [] if events else [f"no events file next to {tickets[0].name}: loading tickets only "
                               "(outcome-only export, or events nested in the tickets JSONL)"
                               + (f"; {other_case}" if other_case else "")]
    return Located(tickets, events, notes)


def _find(folder: Path, kind: FileKind, mapping: ColumnMapping, sibling_of: Path | None = None) -> list[Path]:
    pattern = mapping.of(kind).file
    if pattern:
        found = sorted(p for p in folder.glob(pattern) if p.is_file())
        if not found and kind == "tickets":
            raise NotFoundError(f"{mapping.where(kind, 'file')}: {kind}.file {pattern!r} matches nothing in "
                                f"{folder}; check the name or glob")
        return found
    found = [folder / name for name in _names(kind, sibling_of) if (folder / name).is_file()]
    if len(found) > 1:
        found = [p for p in found if p.name.startswith(found[0].name.split(".")[0] + ".")]
    if len(found) > 1:
        raise ConfigError(f"several {kind} files in {folder}: {', '.join(p.name for p in found)}; keep one, "
                          f"or choose with `{kind}: {{file: NAME}}` in a mapping file")
    return found


def _names(kind: FileKind, sibling_of: Path | None) -> list[str]:
    names = [kind + suffix for suffix in SUFFIXES]
    if sibling_of is not None and "tickets" in sibling_of.name.lower():
        # export_tickets.csv -> export_events.csv, whatever the case of "tickets"
        start = sibling_of.name.lower().index("tickets")
        stem = sibling_of.name[:start] + "events"
        names = [stem + suffix for suffix in SUFFIXES] + names
    return list(dict.fromkeys(names))


def _other_case(folder: Path, kind: FileKind, mapping: ColumnMapping, given: Path | None = None) -> str:
    """'found Tickets.CSV, whose name differs only in case: rename it to tickets.csv' when the folder holds
    such a file (names are case-sensitive on Linux), else ''. Only asked once nothing was found."""
    if mapping.of(kind).file:
        return ""
    wanted = {name.lower(): name for name in _names(kind, given if given and given.is_file() else None)}
    for path in sorted(folder.iterdir()):
        if path.name.lower() in wanted and path.is_file():
            expected = wanted[path.name.lower()]
            return f"found {path.name}, whose name differs only in case: rename it to {expected}"
    return ""
