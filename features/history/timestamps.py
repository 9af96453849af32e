"""Parse timestamp strings to tz-aware UTC, reporting unparseable and naive values.

A naive timestamp is ambiguous across offices and DST changes, so it is an error unless the
mapping file says which time zone the export was written in.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from core.tickets import EARLIEST_INSTANT, LATEST_INSTANT

UNIT: Final = "us"  # one resolution whatever the source (CSV text, Parquet ns): loads compare equal
# An offset after a time of day, so the "-04" of a bare date 2024-03-04 is not taken for one; the time as
# 07:15[:00[.000]] or in ISO 8601's basic format after its T (T0715, T071500): pandas reads both as aware.
_OFFSET = (r"(?:\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?|T\d{2}(?:\d{2}(?:\d{2}(?:[.,]\d+)?)?)?)"
           r"\s?(?:Z|[+-]\d{2}(?::?\d{2})?)$")
NAIVE = "timestamp without time zone; add an offset (+01:00 or Z) or set `timezone:` in a mapping file"
BAD = "bad timestamp; use ISO 8601 with an offset, e.g. 2024-03-01T09:30:00+01:00"
OUT_OF_RANGE = (
    "timestamp out of range; instants must lie between 1970-01-01T00:00:00Z and 2099-12-31T23:59:59Z"
)


def parse_timestamps(
    raw: pd.Series, empty: pd.Series, *, timezone: str | None = None, fmt: str | None = None
) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """(UTC timestamps, NaT where blank, bad or out of the instants' range; [(bad-row mask, message)])."""
    values, issues = _parse(raw, empty, timezone=timezone, fmt=fmt)
    earliest, latest = pd.Timestamp(EARLIEST_INSTANT), pd.Timestamp(LATEST_INSTANT)
    outside = values.notna() & ((values < earliest) | (values >= latest))
    if outside.any():
        return values.where(~outside), [*issues, (outside, OUT_OF_RANGE)]
    return values, issues


def _parse(
    raw: pd.Series, empty: pd.Series, *, timezone: str | None = None, fmt: str | None = None
) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    if isinstance(raw.dtype, pd.DatetimeTZDtype):  # Parquet with a real timestamp type
        return raw.dt.tz_convert("UTC").dt.as_unit(UNIT), []
    if raw.dtype.kind == "M":
        return _localize(raw, ~empty, timezone)
    text = raw.str.strip().where(~empty)
    if fmt is not None:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc="%z" in fmt)
        unparsed = (~empty & parsed.isna(), f"bad timestamp; expected the format {fmt!r}")
        if "%z" in fmt:
            return parsed.dt.as_unit(UNIT), [unparsed]
        values, issues = _localize(parsed, ~empty & parsed.notna(), timezone)
        return values, [unparsed, *issues]
    text = text.str.upper()  # pandas reads "Z" and "T" only in capitals
    has_offset = text.str.contains(_OFFSET, regex=True).fillna(False).astype(bool)
    aware = pd.to_datetime(text.where(has_offset), format="ISO8601", utc=True, errors="coerce")
    issues = [(has_offset & aware.isna(), BAD)]
    naive_rows = ~empty & ~has_offset
    if not naive_rows.any():
        return aware.dt.as_unit(UNIT), issues
    naive = pd.to_datetime(text.where(naive_rows), format="ISO8601", errors="coerce")
    issues.append((naive_rows & naive.isna(), BAD))
    local, more = _localize(naive, naive_rows & naive.notna(), timezone)
    return aware.dt.as_unit(UNIT).where(has_offset, local), issues + more


def _localize(
    naive: pd.Series, rows: pd.Series, timezone: str | None
) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    if timezone is None:
        return pd.Series(pd.NaT, index=naive.index, dtype=f"datetime64[{UNIT}, UTC]"), [(rows, NAIVE)]
    local = naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
    skipped = rows & local.isna()
    message = f"ambiguous or nonexistent local time in {timezone} (a DST change); add an offset"
    return local.dt.as_unit(UNIT), [(skipped, message)]
