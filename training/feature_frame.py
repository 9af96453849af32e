"""The one seam between training and the feature code: history + example instants -> feature frame,
built by `features.ticket.build_feature_frame` — the very function serving calls — and nothing else.

Building is the slow part of a retrain (one `build_features` call per example), so a frame can be kept
on disk, keyed by everything it depends on: the history's content, the example instants, the feature
spec and builder, the SLA policies and the text analyses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import pandas as pd

from core.errors import ConfigError
from core.text import MessageAnalysis
from features.history import TicketHistory
from features.ticket import DEFAULT_SPEC, Feature, FeatureSpec, build_feature_frame
from rules import PolicySet
from training.fingerprint import analyses_hash, examples_hash, fingerprint

BUILDER_VERSION = 1  # bump when features/ticket changes what a row holds without a spec version bump


class FrameBuilder(Protocol):
    """Builds the feature frame of examples (ticket_id, at) elsewhere, in example order (index 0..n-1):
    `DEFAULT_SPEC` encoded with the open categoricals' categories from these rows, exactly what
    `build_feature_frame` gives (training/dask_frame.py encodes it on Dask workers)."""

    def frame(
        self,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame: ...


class RowBuilder(Protocol):
    """Builds the raw feature rows of examples (ticket_id, at) elsewhere, in example order: the columns
    `build_feature_rows` gives, before encoding (batch scoring; training/dask_frame.py builds them on
    Dask workers)."""

    def build(
        self,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame: ...


def build_frame(
    history: TicketHistory,
    examples: pd.DataFrame,
    analyses: Mapping[str, MessageAnalysis] | None,
    policies: PolicySet,
    *,
    progress: bool = False,
    extra_columns: Sequence[str] = (),
    cache_dir: Path | None = None,
    workers: int = 1,
    builder: FrameBuilder | None = None,
) -> tuple[pd.DataFrame, FeatureSpec]:
    """Features of every example (rows aligned with `examples`) and the spec without categories fixed
    (fit them on the training rows with `fit_categories`). `extra_columns` are ticket columns known at
    creation (custom fields of an export), added as `ticket_<name>`. `builder`: build and encode the rows
    there (Dask workers) instead of in `workers` local processes; the frame is the same."""
    analyses = analyses or {}
    path = _cache_path(cache_dir, history, examples, analyses, policies)
    if path is not None and path.is_file():
        frame = pd.read_parquet(path)
        frame.index = examples.index
    elif builder is not None:
        frame = builder.frame(history, examples[["ticket_id", "at"]], analyses, policies, progress)
        frame.index = examples.index
    else:
        frame = build_feature_frame(
            history, examples[["ticket_id", "at"]], analyses, policies, progress, workers=workers
        )
    if path is not None and not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.reset_index(drop=True).to_parquet(path.with_suffix(".tmp"))
        path.with_suffix(".tmp").replace(path)  # atomic: a killed run leaves no half file
    extras = _extra_features(history.tickets, extra_columns)
    for f in extras:
        values = history.tickets[f.name.removeprefix("ticket_")].reindex(examples["ticket_id"]).to_numpy()
        frame[f.name] = values.astype("float64") if f.kind == "numeric" else values
    return frame, replace(DEFAULT_SPEC, features=DEFAULT_SPEC.features + extras)


def fit_categories(spec: FeatureSpec, train: pd.DataFrame) -> FeatureSpec:
    """The spec with open categoricals fixed to the values seen in the training rows only: a value
    first seen later is unknown to the model (missing), in evaluation exactly as in serving."""
    columns = train[spec.categorical].astype(object)
    return spec.with_categories_from(columns.where(columns.notna(), None))


def _extra_features(tickets: pd.DataFrame, names: Sequence[str]) -> tuple[Feature, ...]:
    out = []
    for name in names:
        if name not in tickets.columns:
            raise ConfigError(
                f"--ticket-feature {name!r}: the tickets have no such column; "
                f"columns: {', '.join(map(str, tickets.columns))}"
            )
        kind = tickets[name].dtype
        if pd.api.types.is_numeric_dtype(kind) or pd.api.types.is_bool_dtype(kind):
            out.append(Feature(f"ticket_{name}", "numeric", "", f"{name} {{value}}"))
        else:
            out.append(Feature(f"ticket_{name}", "categorical", "category", f"{name} {{value}}"))
    return tuple(out)


def _cache_path(
    cache_dir: Path | None,
    history: TicketHistory,
    examples: pd.DataFrame,
    analyses: Mapping[str, MessageAnalysis],
    policies: PolicySet,
) -> Path | None:
    if cache_dir is None:
        return None
    parts = [
        fingerprint(history).sha256[:20],
        examples_hash(examples)[:12],
        f"spec{DEFAULT_SPEC.version}.{BUILDER_VERSION}",
        f"pol{policies.version[:12]}",
        f"text{analyses_hash(analyses)[:12]}",
    ]
    return Path(cache_dir) / ("-".join(parts) + ".parquet")
