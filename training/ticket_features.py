"""Which extra ticket columns become model features: named ones, or `all` of those that can be.

`all` takes every extra column the loader kept except those a model must not or cannot learn from:
the chosen target, outcomes (known only once a ticket ends: ours by name, and those a mapping file lists
under `outcomes`), what events change (an export's `status` column is the status at its end), timestamps
(mostly set after creation), columns with no value, and id-like columns
(a distinct value per ticket teaches nothing that carries over).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import ConfigError
from features.history.schema import column_names
from features.model.metadata import ModelMetadata
from training.targets import Target

ALL = "all"
# outcome columns of the sample and the synthetic histories: targets for --target outcome:COLUMN
OUTCOMES = ("sla_breached", "bad_csat")
# what events change over a ticket's life: a tickets file holding them (a helpdesk's export) has the value at
# the export, after every instant trained on, so 'solved' would teach the model the ticket's end
LIFECYCLE = ("status", "csat", "level", "escalation_type")


@dataclass(frozen=True)
class TicketFeatureChoice:
    """`used`: the columns, in the tickets' column order for `all`; `skipped`: column -> why (all only);
    `source`: where the request came from (the command line, the mapping file, or none)."""

    used: tuple[str, ...]
    skipped: dict[str, str] = field(default_factory=dict)
    source: str = "none"

    def to_report(self) -> dict[str, Any]:
        return {"source": self.source, "used": list(self.used), "skipped": dict(self.skipped)}


def extra_ticket_columns(tickets: pd.DataFrame) -> list[str]:
    """The tickets' columns beyond ours, in file order."""
    ours = set(column_names("tickets"))
    return [str(name) for name in tickets.columns if name not in ours]


def choose_ticket_features(
    tickets: pd.DataFrame,
    target: Target,
    requested: Sequence[str] = (),
    from_mapping: Sequence[str] = (),
    outcomes: Sequence[str] = (),
) -> TicketFeatureChoice:
    """The command line's names (`all` among them expands) or, when it names none, the mapping's.
    `outcomes`: the mapping file's outcome columns, which `all` leaves out like ours."""
    names, source = (requested, "command line") if requested else (from_mapping, "mapping file")
    if not names:
        return TicketFeatureChoice(())
    named = [n for n in dict.fromkeys(names) if n != ALL]
    if target.kind == "outcome" and target.column in named:
        raise ConfigError(
            f"ticket feature {target.column!r} ({source}) is the target outcome:{target.column}; "
            "a model cannot learn its own label: leave it out"
        )
    if ALL not in names:
        return TicketFeatureChoice(tuple(named), source=source)
    skipped = {
        name: reason
        for name in extra_ticket_columns(tickets)
        if name not in named and (reason := _why_not(tickets[name], name, target, outcomes))
    }
    used = tuple(n for n in extra_ticket_columns(tickets) if n not in skipped and n not in named)
    return TicketFeatureChoice((*named, *used), skipped, source)


def _why_not(values: pd.Series, name: str, target: Target, outcomes: Sequence[str]) -> str | None:
    if target.kind == "outcome" and name == target.column:
        return "the target"
    if name in OUTCOMES:
        return "an outcome, known only when the ticket ends (name it to use it anyway)"
    if name in LIFECYCLE:
        return (f"what events change over a ticket's life ({name}), in a tickets file as of the export: "
                "known only after the instants trained on (name it to use it anyway)")
    if name in outcomes:
        return ("an outcome (the mapping file's `outcomes`), known only when the ticket ends "
                "(name it to use it anyway)")
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return "a timestamp, mostly set after creation"
    present = values.dropna()
    if present.empty:
        return "no values"
    fractional = pd.api.types.is_float_dtype(values.dtype)
    if not fractional and len(present) > 1 and present.nunique() == len(present):
        return "a distinct value per ticket (an id)"
    return None


def check_ticket_columns(model: str, metadata: ModelMetadata, tickets: pd.DataFrame, data: Path) -> None:
    """The extra ticket columns a model was trained on (its card's `ticket_features`) are in `tickets`:
    scoring reads each from there. `model` names it for the message ("the model FILE", "champion v3")."""
    missing = [name for name in metadata.ticket_features if name not in tickets.columns]
    if missing:
        columns = ", ".join(map(str, [tickets.index.name, *tickets.columns]))
        raise ConfigError(
            f"{model} was trained on the ticket column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}, which the tickets of {data} lack (their columns: {columns}); score a "
            "history that has them, as the one it was trained on"
        )


def ticket_feature_lines(chosen: TicketFeatureChoice | None) -> list[str]:
    """The choice as printed after training: used columns, then each skipped one with its reason."""
    if chosen is None or chosen.source == "none":
        return []
    lines = [f"ticket features ({chosen.source}): {', '.join(chosen.used) or 'none'}"]
    lines += [f"  skipped {name}: {reason}" for name, reason in chosen.skipped.items()]
    return lines
