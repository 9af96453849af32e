"""The feature spec: which columns, of which kind, and how categoricals are encoded for LightGBM.

Categoricals become pandas `category` columns with a *fixed* list of categories, stored in the spec
(and so in the model artefact): training and serving encode a value to the same code, and a value
the training data never had becomes NaN (LightGBM's "missing"), never a new code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from core.errors import ConfigError
from features.ticket.catalogue import FEATURES, Feature

Row = Mapping[str, float | str | None]
# a feature read from a ticket column of the export (`--ticket-feature region`: ticket_region)
TICKET_COLUMN_PREFIX = "ticket_"


@dataclass(frozen=True)
class FeatureSpec:
    features: tuple[Feature, ...] = FEATURES
    version: int = 1
    _by_name: dict[str, Feature] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.features})

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.features]

    @property
    def categorical(self) -> list[str]:
        return [f.name for f in self.features if f.kind == "categorical"]

    def feature(self, name: str) -> Feature:
        try:
            return self._by_name[name]
        except KeyError:
            raise ConfigError(f"no feature named {name!r}; see docs/features.md for the list") from None

    def with_categories_from(self, rows: Iterable[Row] | pd.DataFrame) -> FeatureSpec:
        """Fix the categories of the open categoricals (product, team …) to the sorted values seen in
        `rows` (the training data); closed vocabularies keep theirs. Returns a new spec."""
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
        fixed = []
        for f in self.features:
            if f.kind == "categorical" and f.categories is None:
                column = frame[f.name] if f.name in frame else pd.Series([], dtype=object)
                if isinstance(column.dtype, pd.CategoricalDtype):  # an encoded frame: keep its list
                    seen = [str(c) for c in column.cat.categories]
                else:
                    seen = [str(v) for v in column.dropna().unique()]
                f = replace(f, categories=tuple(sorted(seen)))
            fixed.append(f)
        return replace(self, features=tuple(fixed))

    def encode(self, rows: Sequence[Row] | pd.DataFrame, index: Any = None) -> pd.DataFrame:
        """Feature rows (dicts from `build_features`, or a frame of them) -> the model's frame: spec
        column order, float64 numerics, fixed-category categoricals (unseen -> NaN)."""
        if isinstance(rows, pd.DataFrame):
            raw = rows.reindex(columns=self.names).reset_index(drop=True)  # a missing column is missing
        else:
            raw = pd.DataFrame.from_records(list(rows), columns=self.names)  # a missing key is missing
        columns: dict[str, Any] = {}
        for f in self.features:
            values = raw[f.name]
            if f.kind == "numeric":
                columns[f.name] = pd.to_numeric(values, errors="raise").astype(np.float64).to_numpy()
                continue
            if f.categories is None:
                raise ConfigError(
                    f"categorical feature {f.name!r} has no categories yet; "
                    "call spec.with_categories_from(training rows) first"
                )
            text = values.astype(object).where(values.notna(), None).map(str, na_action="ignore")
            text = text.where(text.isin(f.categories))  # unseen -> NaN, never a new code
            columns[f.name] = pd.Categorical(text, dtype=pd.CategoricalDtype(list(f.categories)))
        return pd.DataFrame(columns, index=index)

    def describe(self, name: str, value: float | str | None) -> str:
        """One feature value in words, e.g. 'customer waited 6.5 business hours since their last …'."""
        f = self.feature(name)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return f"{f.template.replace('{value}', 'unknown')}"
        if isinstance(value, float):
            value = int(value) if value.is_integer() else round(value, 2 if abs(value) < 10 else 1)
        return f.template.format(value=value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, to store with the model; `from_dict` restores it."""
        return {
            "version": self.version,
            "features": [
                {"name": f.name, "kind": f.kind, "unit": f.unit, "template": f.template,
                 "categories": list(f.categories) if f.categories is not None else None}
                for f in self.features
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureSpec:
        features = tuple(
            Feature(d["name"], d["kind"], d["unit"], d["template"],
                    tuple(d["categories"]) if d.get("categories") is not None else None)
            for d in data["features"]
        )
        return cls(features=features, version=int(data.get("version", 1)))


DEFAULT_SPEC = FeatureSpec()
