"""Vectorised checks of one column of strings: its problems, a bad-row mask and the typed values.

Whole columns are checked at once (1M rows in about a second); Python touches only the rows that
are bad, to build their Problem objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.bounds import Bound
from core.errors import Problem
from features.history.invalid import Fix
from features.history.problems import row_problems
from features.history.schema import Column
from features.history.timestamps import parse_timestamps

LANGUAGE = r"[a-z]{2,3}"  # core.tickets.LANGUAGE_PATTERN without anchors


@dataclass
class Checked:
    values: pd.Series  # typed: str / datetime64[us, UTC] / category / float64 / Int64; NA where blank or bad
    bad: pd.Series  # bool per row
    problems: list[Problem] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)  # clamp: values moved into their bounds, rows kept


def blank(series: pd.Series) -> pd.Series:
    if series.dtype.kind == "M" or isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.isna()
    return series.str.strip().eq("")


def check_column(
    frame: pd.DataFrame, column: Column, shown: str, *, timezone: str | None = None, fmt: str | None = None,
    clamp: bool = False,
) -> Checked:
    """Check `frame[column.name]`; problems name the column as the user's file does (`shown`). With
    `clamp`, a number outside its bounds becomes the bound (a Fix) instead of a problem."""
    raw = frame[column.name]
    empty = blank(raw)
    found: Issues = []  # (bad-row mask, message)
    if column.required:
        found.append((empty, f"missing value; every row needs a {column.name}"))
    outside = None
    if column.kind == "timestamp":
        values, issues = parse_timestamps(raw, empty, timezone=timezone, fmt=fmt)
        found += issues
    elif column.kind == "enum":
        norm = raw.str.strip().str.lower()
        valid = norm.isin(column.allowed)
        found.append((~empty & ~valid, f"unknown {column.name}; allowed: {', '.join(column.allowed)}"))
        values = pd.Series(pd.Categorical(norm.where(valid), categories=column.allowed), index=raw.index)
    elif column.kind == "language":
        # Region subtags carry nothing the model uses: en-US, pt_BR -> en, pt.
        norm = raw.str.strip().str.lower().str.split(r"[-_]", n=1, regex=True).str[0]
        valid = norm.str.fullmatch(LANGUAGE).fillna(False).astype(bool)
        found.append((~empty & ~valid, "bad language code; use an ISO 639 code such as en, de or no"))
        values = norm.where(valid).astype("str")
    elif column.kind in ("number", "integer"):
        values, number_issues, outside = _numbers(raw, empty, column, clamp)
        found += number_issues
    else:
        values = (raw.str.strip() if column.kind == "id" else raw).where(~empty)
        if column.name == "subject":
            values = raw  # a ticket without a subject has an empty one, not a missing one
        if column.bound is not None:
            found.append(out_of_bounds(values, empty, column.bound, shown))
    bad = pd.Series(False, index=raw.index)
    problems: list[Problem] = []
    for mask, message in found:
        problems += row_problems(frame, mask, message, shown, cut(raw) if mask.any() else raw)
        bad |= mask
    fixes: list[Fix] = []
    if outside is not None and outside.any():
        shown_values = values.astype("str").where(outside)
        fixes = [Fix(problem, value) for problem, value in zip(
            row_problems(frame, outside, _outside_message(column), shown, raw), shown_values[outside],
            strict=True)]
    return Checked(values, bad, problems, fixes)


Issues = list[tuple[pd.Series, str | pd.Series]]  # (bad-row mask, message)
SHOWN_MAX = 80  # characters of a value a problem shows: a 100,000-character body is not printed whole


def out_of_bounds(values: pd.Series, empty: pd.Series, bound: Bound, shown: str
                  ) -> tuple[pd.Series, pd.Series]:
    """(mask, message per row) of the values a pydantic field's bound (core.bounds) refuses: too long,
    NUL, an id the API could not address. Vectorised to find the few candidates; the bound words the
    message."""
    limits = dict(bound.schema)
    text = values.fillna("").astype("str")
    candidates = ~empty & (text.str.len().gt(limits.get("maxLength", float("inf")))
                           | text.str.contains("\x00", regex=False))
    if "pattern" in limits:
        candidates |= ~empty & ~text.str.fullmatch(limits["pattern"].strip("^$")).fillna(False).astype(bool)
    found = text[candidates].map(bound.check)  # Python per candidate only: None where within bounds
    worded = found.dropna().map(
        lambda problem: f"out of bounds; {shown} {'has ' if problem[0].isdigit() else ''}{problem}")
    message = worded.reindex(values.index).astype("object")
    return message.notna(), message


def cut(raw: pd.Series) -> pd.Series:
    """Values as a problem shows them: texts cut to SHOWN_MAX characters (Parquet timestamps as they are)."""
    if raw.dtype != "str":
        return raw
    return raw.where(raw.str.len().le(SHOWN_MAX), raw.str.slice(0, SHOWN_MAX) + "…")


def _numbers(raw: pd.Series, empty: pd.Series, column: Column, clamp: bool
             ) -> tuple[pd.Series, Issues, pd.Series | None]:
    """(typed numbers, issues, the rows clamped into the bounds or None)."""
    numbers = pd.to_numeric(raw.str.strip().where(~empty), errors="coerce").astype("float64")
    numbers = numbers.where(np.isfinite(numbers))  # 'inf' or 1e400 is no amount, level or rating
    what = "a whole number" if column.kind == "integer" else "a number"
    issues: Issues = [(~empty & numbers.isna(), f"not a number; {column.name} must be {what}")]
    if column.kind == "integer":
        fraction = numbers.notna() & (numbers % 1 != 0)
        issues.append((fraction, f"not a whole number; {column.name} must be {what}"))
    low, high = column.low, column.high
    outside = pd.Series(False, index=raw.index)
    if low is not None:
        outside |= numbers < low
    if high is not None:
        outside |= numbers > high
    if not clamp:
        issues.append((outside, _outside_message(column)))
    ok = ~pd.concat([mask for mask, _ in issues], axis=1).any(axis=1)
    numbers = numbers.where(ok)
    if clamp:
        numbers = numbers.clip(lower=low, upper=high)
        outside &= ok
    typed = numbers.round().astype("Int64") if column.kind == "integer" else numbers
    return typed, issues, outside if clamp else None


def _outside_message(column: Column) -> str:
    low, high = column.low, column.high
    bounds = f"{low:g} to {high:g}" if high is not None else f"at least {low:g}"
    return f"out of range; {column.name} must be {bounds}"
