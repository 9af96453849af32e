"""Type the extra columns of a file (custom fields, outcomes such as `sla_breached`).

They arrive as text; a column becomes bool, number or timestamp only when *every* non-blank value
fits, so that e.g. an `sla_breached` column of true/false can serve as a training target.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.history.timestamps import UNIT

_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_OFFSET_TIMESTAMP = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*(?:[zZ]|[+-]\d{2}:?\d{2})"


def type_extras(frame: pd.DataFrame, contract: tuple[str, ...]) -> pd.DataFrame:
    for name in frame.columns:
        if name not in contract and frame[name].dtype == "str":
            frame[name] = typed_extra(frame[name])
    return frame


def typed_extra(text: pd.Series) -> pd.Series:
    """bool (boolean if blanks), Int64, float64, datetime64 UTC, or the text with blanks as NA."""
    stripped = text.str.strip()
    present = stripped.ne("")
    values = stripped[present]
    if values.empty:
        return text.where(present)
    lowered = values.str.lower()
    if lowered.isin(_TRUE | _FALSE).all():
        flags = lowered.isin(_TRUE).reindex(text.index)
        return flags.astype(bool) if present.all() else flags.astype("boolean")
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all() and np.isfinite(numbers.to_numpy(dtype="float64")).all():  # 'inf' is text
        if not values.str.fullmatch(r"[+-]?\d+").all():
            return numbers.reindex(text.index).astype("float64")
        if values.str.lstrip("+-").str.len().le(18).all():  # longer ones (tracking numbers) stay text
            return numbers.reindex(text.index).astype("Int64")
    if values.str.fullmatch(_OFFSET_TIMESTAMP).all():
        stamps = pd.to_datetime(values, format="ISO8601", utc=True, errors="coerce")
        if stamps.notna().all():
            return stamps.reindex(text.index).dt.as_unit(UNIT)
    return text.where(present)
