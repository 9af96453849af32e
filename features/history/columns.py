"""Apply a column mapping to one file's frame, and report the contract columns it lacks."""

from __future__ import annotations

import difflib

import pandas as pd

from core.errors import ConfigError, Problem
from features.history.checks import blank
from features.history.mapping import ColumnMapping
from features.history.problems import META
from features.history.schema import COLUMNS, FileKind, column_names


def rename(frame: pd.DataFrame, kind: FileKind, mapping: ColumnMapping, file: str) -> pd.DataFrame:
    """Their columns and values -> ours; extra columns kept unless the mapping says otherwise."""
    fm = mapping.of(kind)
    found = [name for name in frame.columns if name not in META and name != "__parent__"]
    wanted = {**fm.columns, **fm.extra_columns}
    absent = [(ours, theirs) for ours, theirs in wanted.items() if theirs not in found]
    if absent:
        lines = [
            f"{mapping.where(kind, ('columns.' if ours in fm.columns else 'extra_columns.') + ours)}: "
            f"{kind}.{'columns' if ours in fm.columns else 'extra_columns'}.{ours}: column {theirs!r} "
            f"is not in {file} (found: {', '.join(found) or 'no columns'}){_close(theirs, found)}"
            for ours, theirs in absent
        ]
        raise ConfigError("the mapping names columns the data lacks:\n  " + "\n  ".join(lines))
    ours_names = set(column_names(kind))
    consumed = set(fm.columns.values()) | set(fm.extra_columns.values())
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
    result = pd.DataFrame(out, index=frame.index)
    for name, value in fm.defaults.items():
        result[name] = result[name].where(~blank(result[name]), value) if name in result else value
    for name, table in fm.values.items():
        if name in result and not _is_datetime(result[name]):
            mapped = result[name].str.strip().str.lower().map(table)
            result[name] = mapped.where(mapped.notna(), result[name]).astype("str")
    return result


def missing_columns(frame: pd.DataFrame, kind: FileKind, file: str) -> list[Problem]:
    """One problem per required column the file lacks, with what it has and the close matches."""
    found = [name for name in frame.columns if name not in META and name != "__parent__"]
    return [
        Problem(file, f"missing column; the {kind} file has no {column.name!r} column"
                f"{_close(column.name, found)} (found: {', '.join(found) or 'none'}); rename it or map it "
                "with --mapping", None, column.name)
        for column in COLUMNS[kind]
        if column.required and column.name not in frame.columns
    ]


def _close(name: str, found: list[str]) -> str:
    lowered = {candidate.lower().replace(" ", "_"): candidate for candidate in found}
    matches = difflib.get_close_matches(name.lower(), list(lowered), n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(lowered[m]) for m in matches)}?" if matches else ""


def _is_datetime(series: pd.Series) -> bool:
    return series.dtype.kind == "M" or isinstance(series.dtype, pd.DatetimeTZDtype)
