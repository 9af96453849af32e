"""Feature frames for training: `build_features` at every example time of a history.

There is deliberately no vectorised twin: each row is one call of the very function serving calls,
so the two cannot drift. The history is turned into core Tickets and Events once, and the
cross-ticket context is built once; each call then reads its ticket's own events (cut at t inside).
With `workers` > 1 the calls are shared among forked processes, chunk by chunk in example order (the
frame is the same, row for row); each chunk comes back as one columnar frame, not as pickled dicts.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from core.enums import EventType
from core.errors import NotFoundError
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from features.history import TicketHistory, iter_tickets
from features.ticket.build import FeatureRow, build_features
from features.ticket.context import FeatureContext
from features.ticket.history_context import HistoryContext
from features.ticket.spec import DEFAULT_SPEC, FeatureSpec
from rules import PolicySet

EXAMPLE_COLUMNS = ["ticket_id", "at", "event_id", "event_type"]
CHUNK = 4_000  # examples a worker builds per task: progress granularity vs per-task overhead
MIN_PARALLEL = 20_000  # below this, forking costs more than it saves
# What the forked workers read (inherited at fork, never pickled): pairs, examples, analyses, policies,
# context. Set only while a pool is running.
_SHARED: tuple[Any, ...] | None = None


def example_times(history: TicketHistory, *, every_event: bool = False) -> pd.DataFrame:
    """One example per customer message (or per event with `every_event`): the instants at which a
    helpdesk would ask for a score. Columns ticket_id, at, event_id, event_type; history order."""
    events = history.events
    if not every_event:
        events = events[events["type"] == EventType.CUSTOMER_MESSAGE.value]
    out = events[["ticket_id", "at", "event_id", "type"]].rename(columns={"type": "event_type"})
    out["event_type"] = out["event_type"].astype(str)
    return out.reset_index(drop=True)


def history_pairs(history: TicketHistory) -> dict[str, tuple[Ticket, list[Event]]]:
    """Every ticket of `history` with its events, as the core types serving also holds."""
    return {ticket.ticket_id: (ticket, events) for ticket, events in iter_tickets(history)}


def build_feature_rows(
    pairs: Mapping[str, tuple[Ticket, list[Event]]],
    examples: pd.DataFrame,
    analyses: Mapping[str, MessageAnalysis],
    policies: PolicySet,
    context: FeatureContext,
    *,
    progress: bool = True,
) -> list[FeatureRow]:
    """`build_features` for each (ticket_id, at) row of `examples`, in order."""
    rows: list[FeatureRow] = []
    ticket_ids = examples["ticket_id"].astype(str).tolist()
    instants = [_as_datetime(t) for t in examples["at"]]
    with tqdm(total=len(ticket_ids), disable=not progress, unit="example", desc="features") as bar:
        for ticket_id, at in zip(ticket_ids, instants, strict=True):
            pair = pairs.get(ticket_id)
            if pair is None:
                raise NotFoundError(f"example for ticket {ticket_id!r}, which is not in the history; "
                                    "list examples with example_times(history)")
            ticket, events = pair
            rows.append(build_features(ticket, events, at, context, analyses, policies))
            bar.update()
    return rows


def build_feature_frame(
    history: TicketHistory,
    examples: pd.DataFrame,
    analyses: Mapping[str, MessageAnalysis],
    policies: PolicySet,
    progress: bool = True,
    *,
    spec: FeatureSpec | None = None,
    context: FeatureContext | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """The encoded feature frame of `examples` (index kept, columns in spec order). Without `spec`
    the open categoricals take their categories from these rows; pass the model's spec to encode
    other data the same way (read it back from a frame with `FeatureSpec.with_categories_from`).
    `workers` > 1 builds in that many forked processes (Linux/macOS; one process elsewhere)."""
    pairs = history_pairs(history)
    context = context if context is not None else HistoryContext(pairs.values())
    if workers > 1 and len(examples) >= MIN_PARALLEL and sys.platform != "win32":
        raw = _build_in_workers(pairs, examples, analyses, policies, context, workers, progress)
        spec = spec if spec is not None else DEFAULT_SPEC.with_categories_from(raw)
        return spec.encode(raw, index=examples.index)
    rows = build_feature_rows(pairs, examples, analyses, policies, context, progress=progress)
    spec = spec if spec is not None else DEFAULT_SPEC.with_categories_from(rows)
    return spec.encode(rows, index=examples.index)


def _build_in_workers(
    pairs: Mapping[str, tuple[Ticket, list[Event]]],
    examples: pd.DataFrame,
    analyses: Mapping[str, MessageAnalysis],
    policies: PolicySet,
    context: FeatureContext,
    workers: int,
    progress: bool,
) -> pd.DataFrame:
    global _SHARED
    chunks = [(i, min(i + CHUNK, len(examples))) for i in range(0, len(examples), CHUNK)]
    parts: list[pd.DataFrame] = []
    _SHARED = (pairs, examples, analyses, policies, context)
    try:
        # fork: the workers inherit the history, analyses and context instead of receiving them pickled
        with multiprocessing.get_context("fork").Pool(workers) as pool, tqdm(
            total=len(examples), disable=not progress, unit="example", desc=f"features ({workers} processes)"
        ) as bar:
            for part in pool.imap(_build_chunk, chunks):
                parts.append(part)
                bar.update(len(part))
    finally:
        _SHARED = None
    return pd.concat(parts, ignore_index=True)


def _build_chunk(bounds: tuple[int, int]) -> pd.DataFrame:
    assert _SHARED is not None, "a feature worker runs only inside _build_in_workers"
    pairs, examples, analyses, policies, context = _SHARED
    rows = build_feature_rows(
        pairs, examples.iloc[bounds[0] : bounds[1]], analyses, policies, context, progress=False
    )
    return pd.DataFrame.from_records(rows, columns=DEFAULT_SPEC.names)


def _as_datetime(value: object) -> datetime:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, datetime):
        return value
    raise TypeError(f"example time {value!r} is not a timestamp; use the `at` column of example_times()")
