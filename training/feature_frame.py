"""The one seam between training and the feature code: history + example instants -> feature frame.

Training reads features only through `build_frame`, so the point-in-time builder of `features/ticket/`
replaces the interim one here, in one line, and nothing else in training changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.errors import ConfigError
from core.text import MessageAnalysis
from features.history import TicketHistory
from rules import PolicySet


@dataclass(frozen=True)
class FeatureSpec:
    """Which columns the model reads, by kind: numeric (float) or categorical (LightGBM categories)."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.numeric + self.categorical

    def with_extra(self, numeric: Sequence[str] = (), categorical: Sequence[str] = ()) -> FeatureSpec:
        return FeatureSpec(self.numeric + tuple(numeric), self.categorical + tuple(categorical))

    def to_dict(self) -> dict[str, list[str]]:
        return {"numeric": list(self.numeric), "categorical": list(self.categorical)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureSpec:
        return cls(tuple(data["numeric"]), tuple(data["categorical"]))


def build_frame(
    history: TicketHistory,
    examples: pd.DataFrame,
    analyses: Mapping[str, MessageAnalysis] | None,
    policies: PolicySet | None,
    *,
    progress: bool = False,
    extra_columns: Sequence[str] = (),
) -> tuple[pd.DataFrame, FeatureSpec]:
    """Features of every example (rows aligned with `examples`) and their spec. `extra_columns` are
    ticket columns known at creation (custom fields of an export) added as they are."""
    from training.interim_features import FEATURE_SPEC, build_feature_frame  # swap for features.ticket

    frame = build_feature_frame(history, examples, analyses, policies, progress)
    spec = FEATURE_SPEC
    numeric, categorical = _extra_kinds(history.tickets, extra_columns)
    for name in (*numeric, *categorical):
        frame[f"ticket_{name}"] = history.tickets[name].reindex(examples["ticket_id"]).to_numpy()
    numeric_cols = [f"ticket_{n}" for n in numeric]
    frame[numeric_cols] = frame[numeric_cols].astype("float64")
    return frame, spec.with_extra(numeric_cols, [f"ticket_{n}" for n in categorical])


def _extra_kinds(tickets: pd.DataFrame, names: Sequence[str]) -> tuple[list[str], list[str]]:
    numeric: list[str] = []
    categorical: list[str] = []
    for name in names:
        if name not in tickets.columns:
            raise ConfigError(
                f"--ticket-feature {name!r}: the tickets have no such column; "
                f"columns: {', '.join(map(str, tickets.columns))}"
            )
        kind = tickets[name].dtype
        is_number = pd.api.types.is_numeric_dtype(kind) or pd.api.types.is_bool_dtype(kind)
        (numeric if is_number else categorical).append(name)
    return numeric, categorical
