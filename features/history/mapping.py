"""The column-mapping file: load a team's own export whose columns and values are named differently.

Read with yaml.compose rather than safe_load so that every error names the mapping file's line,
and so that scalars stay the text the user typed (YAML 1.1 would read `language: no` as False).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError
from core.zones import is_time_zone
from features.history.checks import LANGUAGE
from features.history.mapping_rules import Generated, TypeRule, parse_generated, parse_type_rules
from features.history.schema import COLUMNS, FileKind, column_names

FILE_KEYS = ("file", "columns", "extra_columns", "values", "defaults", "timezone", "timestamp_format",
             "keep_extra", "types", "ticket_features", "outcomes")
_NULL_TAG = "tag:yaml.org,2002:null"
Fail = Callable[[str, str], None]  # (field path, message): collects one error
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class FileMapping:
    """How to read one kind of file (tickets or events) of a team's export."""

    file: str | None = None  # name or glob inside the directory
    columns: Mapping[str, str] = field(default_factory=dict)  # our column -> their column
    extra_columns: Mapping[str, str] = field(default_factory=dict)  # new name -> their column, kept as extra
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # our column -> {their value: ours}
    defaults: Mapping[str, str] = field(default_factory=dict)  # our column -> constant for blanks/absent
    timezone: str | None = None  # IANA name applied to timestamps without an offset
    timestamp_format: str | None = None  # strptime format; ISO 8601 when absent
    keep_extra: bool = True
    generated: Mapping[str, Generated] = field(default_factory=dict)  # our column -> how it is made
    types: Mapping[str, TypeRule | None] = field(default_factory=dict)  # their event type -> rule; None: drop
    lines: Mapping[str, int] = field(default_factory=dict)  # "columns.priority" -> line in the mapping file
    ticket_features: tuple[str, ...] = ()  # tickets only: extra columns to train on, or ("all",)
    outcomes: tuple[str, ...] = ()  # tickets only: extra columns known only when a ticket ends


@dataclass(frozen=True)
class ColumnMapping:
    tickets: FileMapping = field(default_factory=FileMapping)
    events: FileMapping = field(default_factory=FileMapping)
    source: str = "<mapping>"

    def of(self, kind: FileKind) -> FileMapping:
        return self.tickets if kind == "tickets" else self.events

    def where(self, kind: FileKind, key: str) -> str:
        """`file:line` of a mapping entry, for error messages."""
        line = self.of(kind).lines.get(key)
        return f"{self.source}:{line}" if line else self.source


def load_mapping(path: str | Path) -> ColumnMapping:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        message = f"cannot read mapping file {path}: {exc.strerror}; check the --mapping path"
        raise ConfigError(message) from exc
    except UnicodeDecodeError as exc:
        number = exc.object[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{number}: not UTF-8 text; save the mapping file as UTF-8") from None
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{line}: not valid YAML; {getattr(exc, 'problem', exc)}") from exc
    lines: dict[str, int] = {}
    errors: list[str] = []
    data = _plain(node, "", lines, errors, str(path)) if node is not None else {}
    if errors:
        raise ConfigError("invalid mapping file:\n  " + "\n  ".join(errors))
    return mapping_from_dict(data, source=str(path), lines=lines)


def mapping_from_dict(
    data: Any, *, source: str = "<mapping>", lines: Mapping[str, int] | None = None
) -> ColumnMapping:
    """Validate a mapping given as plain data (what the YAML file holds); every error at once."""
    lines = lines or {}
    errors: list[str] = []

    def fail(key: str, message: str) -> None:
        line = lines.get(key)
        errors.append(f"{source}{f':{line}' if line else ''}: {key or 'top level'}: {message}")

    if not isinstance(data, dict):
        fail("", "expected a mapping with `tickets:` and/or `events:` sections")
        data = {}
    for key in data:
        if key not in COLUMNS:
            fail(key, f"unknown section{_close(key, COLUMNS)}; use `tickets:` and/or `events:`")
    parsed = {kind: _file_mapping(kind, data.get(kind) or {}, lines, fail) for kind in ("tickets", "events")}
    if errors:
        raise ConfigError("invalid mapping file:\n  " + "\n  ".join(errors))
    return ColumnMapping(parsed["tickets"], parsed["events"], source)


def _file_mapping(kind: FileKind, data: Any, lines: Mapping[str, int], fail: Fail) -> FileMapping:
    if not isinstance(data, dict):
        fail(kind, "expected a mapping of " + ", ".join(FILE_KEYS))
        return FileMapping()
    for key in data:
        if key not in FILE_KEYS:
            fail(f"{kind}.{key}", f"unknown key{_close(key, FILE_KEYS)}; known keys: {', '.join(FILE_KEYS)}")
    ours = column_names(kind)
    columns, generated = _columns(kind, data, fail)
    if kind == "tickets" and data.get("types") is not None:
        fail("tickets.types", "event types are mapped in the events section")
    types = parse_type_rules(data.get("types"), fail) if kind == "events" else {}
    features = _ticket_features(kind, data.get("ticket_features"), fail)
    outcomes = _outcomes(kind, data.get("outcomes"), fail)
    extra = _text_dict(kind, "extra_columns", data, fail)
    defaults = _text_dict(kind, "defaults", data, fail)
    for section, names in (("columns", {**columns, **generated}), ("defaults", defaults)):
        for name in names:
            if name not in ours:
                fail(f"{kind}.{section}.{name}", f"not a {kind} column{_close(name, ours)}; "
                     f"{kind} columns: {', '.join(ours)} (rename other columns under extra_columns)")
    for name in extra:
        if name in ours:
            fail(f"{kind}.extra_columns.{name}", f"{name!r} is a {kind} column; map it under columns")
    for name in outcomes:
        if name in ours:
            fail(f"{kind}.outcomes", f"{name!r} is one of our {kind} columns, not an outcome; list extra "
                 "columns known only when a ticket ends, e.g. [sla_failed]")
    values: dict[str, dict[str, str]] = {}
    for name, table in (data.get("values") or {}).items() if isinstance(data.get("values"), dict) else ():
        key = f"{kind}.values.{name}"
        if name not in ours and name not in extra:
            fail(key, f"not a {kind} column{_close(name, ours)}")
        elif not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            fail(key, "expected a mapping of their value -> our value")
        else:
            values[name] = {str(theirs).strip().lower(): ours_ for theirs, ours_ in table.items()}
            allowed = next(c.allowed for c in COLUMNS[kind] if c.name == name) if name in ours else ()
            for theirs, target in table.items():
                if allowed and target.strip().lower() not in allowed:
                    fail(f"{key}.{theirs}", f"{target!r} is not a {name}; use one of {', '.join(allowed)}")
                elif name == "language" and not re.fullmatch(LANGUAGE, target):
                    fail(f"{key}.{theirs}", f"{target!r} is not an ISO 639 code such as en, de or no")
    if "values" in data and not isinstance(data["values"], dict | None):
        fail(f"{kind}.values", "expected a mapping of column -> {their value: our value}")
    timezone = _timezone(kind, data.get("timezone"), fail)
    fmt = data.get("timestamp_format")
    if fmt is not None and (not isinstance(fmt, str) or "%" not in fmt):
        fail(f"{kind}.timestamp_format", f"{fmt!r} is not a strptime format; e.g. '%d.%m.%Y %H:%M'")
    elif fmt and "%z" not in fmt and timezone is None:
        fail(f"{kind}.timestamp_format", "has no %z (UTC offset): add `timezone:`, e.g. Europe/Oslo")
    keep = data.get("keep_extra", "true")
    if not isinstance(keep, str) or keep.lower() not in _BOOLEANS:
        fail(f"{kind}.keep_extra", f"expected true or false, got {keep!r}")
    file = data.get("file")
    if file is not None and not isinstance(file, str):
        fail(f"{kind}.file", "expected a file name or glob, e.g. 'tickets-*.csv'")
    prefix = f"{kind}."
    return FileMapping(
        file=file if isinstance(file, str) else None, columns=columns, extra_columns=extra, values=values,
        defaults=defaults, timezone=timezone, timestamp_format=fmt if isinstance(fmt, str) else None,
        keep_extra=_BOOLEANS.get(str(keep).lower(), True),
        generated=generated, types=types, ticket_features=features, outcomes=outcomes,
        lines={k.removeprefix(prefix): v for k, v in lines.items() if k.startswith(prefix)},
    )


def _columns(kind: FileKind, data: dict[str, Any], fail: Fail) -> tuple[dict[str, str], dict[str, Generated]]:
    """`columns:` -> (our column: their column, our column: how it is generated)."""
    table = data.get("columns")
    if not isinstance(table, dict):
        return _text_dict(kind, "columns", data, fail), {}
    made = {name: parse_generated(kind, name, spec, fail)
            for name, spec in table.items() if isinstance(spec, dict)}
    named = {name: spec for name, spec in table.items() if name not in made}
    generated = {name: spec for name, spec in made.items() if spec is not None}
    return _text_dict(kind, "columns", {"columns": named}, fail), generated


def _text_dict(kind: str, section: str, data: dict[str, Any], fail: Fail) -> dict[str, str]:
    table = data.get(section)
    if table is None:
        return {}
    if not isinstance(table, dict) or not all(isinstance(v, str) and v for v in table.values()):
        fail(f"{kind}.{section}", "expected a mapping of our column -> a non-empty name or value")
        return {}
    return dict(table)


def _ticket_features(kind: FileKind, value: Any, fail: Fail) -> tuple[str, ...]:
    """`ticket_features: all` or a list of extra column names (training uses them unless the command
    line names its own)."""
    if value is None:
        return ()
    if kind != "tickets":
        fail(f"{kind}.ticket_features", "ticket features are listed in the tickets section")
        return ()
    if value == "all":
        return ("all",)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        fail("tickets.ticket_features", f"expected `all` or a list of extra column names, got {value!r}; "
             "e.g. [region, contract]")
        return ()
    return tuple(dict.fromkeys(v.strip() for v in value))


def _outcomes(kind: FileKind, value: Any, fail: Fail) -> tuple[str, ...]:
    """`outcomes: [sla_failed]`: extra columns set only once a ticket ends (targets for --target
    outcome:COLUMN); `--ticket-features all` leaves them out."""
    if value is None:
        return ()
    if kind != "tickets":
        fail(f"{kind}.outcomes", "outcomes are ticket columns: list them in the tickets section")
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(v, str) and v.strip() for v in names):
        fail("tickets.outcomes", f"expected a list of extra column names, got {value!r}; e.g. [sla_failed]")
        return ()
    return tuple(dict.fromkeys(v.strip() for v in names))


def _timezone(kind: str, name: Any, fail: Fail) -> str | None:
    if name is None:
        return None
    if not is_time_zone(str(name)):
        fail(f"{kind}.timezone", f"unknown time zone {name!r}; use an IANA name such as Europe/Oslo or UTC")
        return None
    return str(name)


def _close(name: Any, known: Any) -> str:
    match = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
    return f"; did you mean {match[0]!r}?" if match else ""


def _plain(node: yaml.Node, path: str, lines: dict[str, int], errors: list[str], source: str) -> Any:
    """YAML node -> dicts, lists and *strings*, recording the line of every key path."""
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            full = f"{path}.{key}" if path else key
            line = key_node.start_mark.line + 1
            if key in out:
                errors.append(f"{source}:{line}: {full}: duplicate key; the first is on line {lines[full]}")
                continue
            lines[full] = line
            out[key] = _plain(value_node, full, lines, errors, source)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, path, lines, errors, source) for item in node.value]
    return None if node.tag == _NULL_TAG else str(node.value)
