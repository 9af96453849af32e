"""The booster's input for a few feature rows without pandas: serving scores one ticket at a time, and a
one-row DataFrame costs ~1 ms to build and convert where the booster itself needs ~20 µs.

`RowEncoder.encode` gives the very float matrix LightGBM builds from the frame of `model_input`:
numerics as float64 (None and text that is not a number -> NaN), categoricals as their code in the
booster's stored category list (`pandas_categorical`, the list it was trained on) — a value outside the
spec's fixed categories is missing (NaN), never a new code. The DataFrame path stays the reference; a
test checks both give the same scores on the sample's feature frame."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from core.errors import ConfigError
from features.ticket.spec import FeatureSpec, Row

NAN = math.nan


class RowEncoder:
    """Feature rows (dicts from `build_features`) -> a C-ordered float64 matrix in spec column order."""

    def __init__(self, spec: FeatureSpec, booster: lgb.Booster) -> None:
        self.names = spec.names
        stored = getattr(booster, "pandas_categorical", None)
        categorical = [f for f in spec.features if f.kind == "categorical"]
        if stored is not None and len(stored) != len(categorical):
            raise ConfigError(
                f"the booster knows {len(stored)} categorical features, the feature spec "
                f"{len(categorical)}; the model file is inconsistent — retrain with `escalation train`"
            )
        # per column: None for a numeric, else {category text: code}
        self._codes: list[dict[str, float] | None] = []
        position = 0
        for f in spec.features:
            if f.kind == "numeric":
                self._codes.append(None)
                continue
            allowed = [str(c) for c in f.categories or ()]
            # LightGBM re-codes a frame's categories onto the list it was trained on (set_categories)
            trained = [str(c) for c in stored[position]] if stored is not None else allowed
            index = {c: float(i) for i, c in enumerate(trained)}
            self._codes.append({c: index[c] for c in allowed if c in index})
            position += 1

    def encode(self, rows: Sequence[Row]) -> np.ndarray:
        missing = [n for n in self.names if n not in rows[0]] if rows else []
        if missing:
            raise ConfigError(
                f"the feature row lacks {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}; "
                f"the model reads {len(self.names)} features: build rows with features.ticket.build_features"
            )
        out = np.empty((len(rows), len(self.names)), dtype=np.float64)
        for i, row in enumerate(rows):
            out[i] = [
                _number(row[name]) if codes is None else _code(row[name], codes)
                for name, codes in zip(self.names, self._codes, strict=True)
            ]
        return out


def _number(value: Any) -> float:
    """`pd.to_numeric(errors="coerce")` on one value."""
    if value is None:
        return NAN
    if isinstance(value, float | int | np.number | np.bool_):
        return float(value)
    converted = pd.to_numeric(pd.Series([value], dtype=object), errors="coerce").astype("float64")
    return float(converted.iloc[0])


def _code(value: Any, codes: dict[str, float]) -> float:
    if isinstance(value, str):
        return codes.get(value, NAN)
    if value is None or pd.isna(value):
        return NAN
    return codes.get(str(value), NAN)
