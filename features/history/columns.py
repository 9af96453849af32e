"""Apply a column mapping to one file's frame, and report the contract columns it lacks."""

from __future__ import annotations

import difflib

import pandas as pd

from core.errors import ConfigError, Problem
from features.history.checks import blank
from features.history.derive import apply_type_rules, routed_columns
from features.history.mapping import ColumnMapping, FileMapping
from features.history.problems import META
from features.history.schema import COLUMNS, FileKind, column_names

# What to do when a column is missing, beyond renaming, for the columns a mapping can generate.
_HOW = {
    "event_id": " (`event_id: {generate: row}` numbers the rows, `{generate: hash}` hashes them)",
    "ticket_id": " (`ticket_id: {generate: row}` numbers the rows)",
}


def rename(frame: pd.DataFrame, kind: FileKind, mapping: ColumnMapping, file: str) -> pd.DataFrame:
    """Their columns and values -> ours; extra columns kept unless the mapping says otherwise."""
    fm = mapping.of(kind)
    found = their_columns(frame)
    wanted = {**{f"columns.{ours}": theirs for ours, theirs in fm.columns.items()},
              **{f"extra_columns.{ours}": theirs for ours, theirs in fm.extra_columns.items()},
              **{f"types.{their_type}.columns.{ours}": theirs for their_type, rule in fm.types.items()
                 if rule is not None for ours, theirs in rule.columns.items()}}
    absent = [(key, theirs) for key, theirs in wanted.items() if theirs not in found]
    if absent:
        lines = [
            f"{mapping.where(kind, key)}: {kind}.{key}: column {theirs!r} "
            f"is not in {file} (found: {', '.join(found) or 'no columns'}){_close(theirs, found)}"
            for key, theirs in absent
        ]
        raise ConfigError("the mapping names columns the data lacks:\n  " + "\n  ".join(lines))
    ours_names = set(column_names(kind))
    consumed = set(fm.columns.values()) | set(fm.extra_columns.values()) | routed_columns(fm.types)
    out: dict[str, pd.Series] = {ours: frame[theirs] for ours, theirs in fm.columns.items()}
    renamed_extra = {theirs: new for new, theirs in fm.extra_columns.items()}
    for name in found:  # in file order, so extra columns keep theirs
        if name in renamed_extra:
            out[renamed_extra[name]] = frame[name]
        elif name in consumed or name in out:
            continue  # a column of ours mapped from elsewhere wins over one that merely has the name
        elif name in ours_names or fm.keep_extra:
            out[name] = frame[name]
    for name in (*META, "__parent__"):
        if name in frame.columns:
            out[name] = frame[name]
    result = apply_type_rules(pd.DataFrame(out, index=frame.index), frame, fm.types)
    for name, value in fm.defaults.items():
        result[name] = result[name].where(~blank(result[name]), value) if name in result else value
    for name, table in fm.values.items():
        if name in result and not _is_datetime(result[name]):
            mapped = result[name].str.strip().str.lower().map(table)
            result[name] = mapped.where(mapped.notna(), result[name]).astype("str")
    return result


def missing_columns(renamed: pd.DataFrame, kind: FileKind, file: str, read: pd.DataFrame,
                    fm: FileMapping) -> list[Problem]:
    """One problem per required column the file lacks, listing the file's *own* columns (`read`: the
    frame as read) and the close matches; generated columns are never missing."""
    found = their_columns(read)
    return [
        Problem(file, f"missing column; the {kind} file has no {column.name!r} column"
                f"{_close(column.name, found)} (its columns: {', '.join(found) or 'none'}); rename it or map "
                f"it with --mapping{_HOW.get(column.name, '')}", None, column.name)
        for column in COLUMNS[kind]
        if column.required and column.name not in renamed.columns and column.name not in fm.generated
    ]


def their_columns(frame: pd.DataFrame) -> list[str]:
    return [name for name in frame.columns if name not in META and name != "__parent__"]


def _close(name: str, found: list[str]) -> str:
    lowered = {candidate.lower().replace(" ", "_"): candidate for candidate in found}
    matches = difflib.get_close_matches(name.lower(), list(lowered), n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(lowered[m]) for m in matches)}?" if matches else ""


def _is_datetime(series: pd.Series) -> bool:
    return series.dtype.kind == "M" or isinstance(series.dtype, pd.DatetimeTZDtype)
