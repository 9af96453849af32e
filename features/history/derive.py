"""Apply the deriving parts of a mapping (features/history/mapping_rules.py) to a frame of text.

Type rules run per file, before `values:` and `defaults:`, so that a routed column's values are mapped like
any other (`value` -> status, then `Resolved` -> solved). Generated columns run on the whole kind at once,
after the files are concatenated, because a row id must know whether several files were read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from features.history.mapping import FileMapping
from features.history.mapping_rules import Source, TypeRule
from features.history.problems import FILE, ROW, WHERE
from features.history.schema import FileKind, column_names

_SEPARATOR = "\x1f"  # ASCII unit separator: cannot be confused with a character of a value


def apply_type_rules(result: pd.DataFrame, frame: pd.DataFrame, rules: Mapping[str, TypeRule | None]
                     ) -> pd.DataFrame:
    """`result`: the renamed frame (our names), `frame`: the file as read (their names)."""
    if not rules or "type" not in result.columns:
        return result
    theirs = result["type"].str.strip().str.lower()
    keep = pd.Series(True, index=result.index)
    for their_type, rule in rules.items():
        rows = theirs == their_type
        if not rows.any():
            continue
        if rule is None:
            keep &= ~rows
            continue
        result.loc[rows, "type"] = rule.type
        for ours, source in {**{k: frame[v] for k, v in rule.columns.items()},
                             **{k: pd.Series(v, index=frame.index) for k, v in rule.set.items()}}.items():
            current = result[ours] if ours in result.columns else pd.Series("", index=result.index)
            result[ours] = current.where(~rows, source).astype("str")
    return result if keep.all() else result.loc[keep]


def routed_columns(rules: Mapping[str, TypeRule | None]) -> set[str]:
    """Their columns read per type: consumed, so not also kept as extra columns."""
    return {theirs for rule in rules.values() if rule is not None for theirs in rule.columns.values()}


def generate_columns(frame: pd.DataFrame, kind: FileKind, fm: FileMapping) -> None:
    """Fill the generated columns of the concatenated frame of one kind, in place."""
    several = frame[FILE].nunique() > 1
    for name, spec in fm.generated.items():
        if spec.start is not None and spec.every is not None:  # an instant: created_at
            position = pd.Series(range(len(frame)), index=frame.index)
            stamps = pd.Timestamp(spec.start) + position * pd.Timedelta(spec.every)
            frame[name] = stamps.map(pd.Timestamp.isoformat).astype("str")
        elif spec.source == Source.HASH:
            frame[name] = _row_hashes(frame, kind, name)
        else:
            frame[name] = _row_ids(frame, kind, several)


def _row_ids(frame: pd.DataFrame, kind: FileKind, several: bool) -> pd.Series:
    """Events: `<ticket id>-<line>`; tickets: `<file stem>-<line>`. The file stem joins an event id when
    several files are read (lines repeat across files); a nested event adds its place in the list."""
    stems = frame[FILE].map(lambda file: Path(file).name.split(".", 1)[0])
    line = frame[ROW].astype("str")
    nested = frame[WHERE].str.extract(r"\[(\d+)\]", expand=False).fillna("")
    line = line.where(nested.eq(""), line + "." + nested)
    if kind == "tickets":
        return (stems + "-" + line).astype("str")
    owner = frame["ticket_id"].str.strip() if "ticket_id" in frame.columns else ""
    return (owner + "-" + (stems + "-" if several else "") + line).astype("str")


def _row_hashes(frame: pd.DataFrame, kind: FileKind, generated: str) -> pd.Series:
    """16 hex digits of a BLAKE2 hash over the row's mapped contract columns (a fixed order): the same row
    gets the same id whatever its file, line or column order; identical rows collide (reported as
    duplicates)."""
    names = [name for name in column_names(kind) if name != generated and name in frame.columns]
    texts = frame[names].astype("str").agg(_SEPARATOR.join, axis=1) if names else frame[ROW].astype("str")
    hashes = [hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest() for text in texts]
    return pd.Series(hashes, index=frame.index, dtype="str")
