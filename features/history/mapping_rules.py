"""The parts of a mapping that derive columns rather than rename them: generated columns (ids, instants)
and per-event-type rules (one column whose meaning depends on the type, one type read as another).

Parsed here, applied in features/history/derive.py; the shapes are documented in data/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import pandas as pd

from core.enums import EventType
from features.history.schema import FileKind, find_column

Fail = Callable[[str, str], None]  # (field path, message): collects one error
DROP = "drop"


class Source(StrEnum):
    ROW = "row"  # ids: the row's place in its file; instants: start + position × every
    HASH = "hash"  # ids: a hash of the row's mapped values


@dataclass(frozen=True)
class Generated:
    """A column the export lacks, made from each row: `event_id: {generate: row}`."""

    source: Source
    start: datetime | None = None  # instants only
    every: timedelta | None = None


# Which of our columns may be generated, and how.
GENERATABLE: dict[tuple[FileKind, str], tuple[Source, ...]] = {
    ("tickets", "ticket_id"): (Source.ROW, Source.HASH),
    ("events", "event_id"): (Source.ROW, Source.HASH),
    ("tickets", "created_at"): (Source.ROW,),
}


@dataclass(frozen=True)
class TypeRule:
    """How to read the rows of one of *their* event types: as which of our types, which of our columns
    come from which of theirs on these rows only, and which are set to a constant."""

    type: str  # our event type
    columns: Mapping[str, str] = field(default_factory=dict)  # our column -> their column, on these rows
    set: Mapping[str, str] = field(default_factory=dict)  # our column -> constant, on these rows


def parse_generated(kind: FileKind, name: str, spec: Any, fail: Fail) -> Generated | None:
    key = f"{kind}.columns.{name}"
    sources = GENERATABLE.get((kind, name))
    if not isinstance(spec, dict) or set(spec) - {"generate", "start", "every"} or "generate" not in spec:
        fail(key, "expected their column name, or {generate: row} / {generate: hash}")
        return None
    if sources is None:
        allowed = ", ".join(f"{k}.{n}" for k, n in GENERATABLE)
        fail(key, f"{kind}.{name} cannot be generated; only {allowed} can")
        return None
    try:
        source = Source(spec["generate"])
    except ValueError:
        source = None
    if source not in sources:
        fail(f"{key}.generate", f"{spec['generate']!r} is not a way to generate {name}; use "
             f"{' or '.join(sources)}")
        return None
    if name != "created_at":
        if "start" in spec or "every" in spec:
            fail(key, "start and every are only for a generated created_at")
        return Generated(source)
    start, every = _instant(spec.get("start")), _duration(spec.get("every"))
    if start is None:
        fail(f"{key}.start", "expected an ISO 8601 instant with an offset, e.g. "
             f"'2013-01-07T00:00:00+01:00', got {spec.get('start')!r}")
    if every is None:
        fail(f"{key}.every",
             f"expected a positive duration such as 864s, 15min or 1h, got {spec.get('every')!r}")
    return Generated(source, start, every) if start and every else None


def parse_type_rules(data: Any, fail: Fail) -> dict[str, TypeRule | None]:
    """`types:` of the events section: their type -> a rule, or None for `drop`."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        fail("events.types", "expected a mapping of their event type -> drop or {type: …, columns: …}")
        return {}
    known = tuple(t.value for t in EventType)
    rules: dict[str, TypeRule | None] = {}
    for theirs, spec in data.items():
        key = f"events.types.{theirs}"
        if spec == DROP:
            rules[theirs.strip().lower()] = None
            continue
        if isinstance(spec, str):
            spec = {"type": spec}
        if not isinstance(spec, dict) or set(spec) - {"type", "columns", "set"}:
            fail(key, "expected drop, one of our event types, or "
                 "{type: …, columns: {ours: theirs}, set: {ours: value}}")
            continue
        ours = spec.get("type")
        if ours not in known:
            fail(f"{key}.type", f"{ours!r} is not an event type; use one of {', '.join(known)}")
            continue
        columns, constants = _pairs(f"{key}.columns", spec.get("columns"), fail), _pairs(
            f"{key}.set", spec.get("set"), fail)
        for section, pairs in (("columns", columns), ("set", constants)):
            for name in pairs:
                if name in ("event_id", "ticket_id", "at", "type") or find_column("events", name) is None:
                    fail(f"{key}.{section}.{name}", f"{name!r} is not an event field a type can set; use "
                         "status, priority, assignee, team, level, escalation_type, reason, csat, body …")
        for name, value in constants.items():
            column = find_column("events", name)
            if column is not None and column.allowed and value.strip().lower() not in column.allowed:
                allowed = ", ".join(column.allowed)
                fail(f"{key}.set.{name}", f"{value!r} is not a {name}; use one of {allowed}")
        rules[theirs.strip().lower()] = TypeRule(ours, columns, constants)
    return rules


def _pairs(key: str, data: Any, fail: Fail) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, str) and v for v in data.values()):
        fail(key, "expected a mapping of our column -> a non-empty name or value")
        return {}
    return dict(data)


def _instant(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        stamp = pd.Timestamp(text)
    except ValueError:
        return None
    return stamp.to_pydatetime() if stamp.tzinfo is not None else None


def _duration(text: Any) -> timedelta | None:
    if not isinstance(text, str):
        return None
    try:
        delta = pd.Timedelta(text)
    except ValueError:
        return None
    return delta.to_pytimedelta() if delta > pd.Timedelta(0) else None
