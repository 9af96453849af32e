"""Batch scoring: every ticket open at an instant T, scored as serving would score it at T, with reasons.

The rows are `features.ticket.build_feature_rows` at T (the function training and serving call), in this
process or on Dask workers (training/dask_frame.py); the risk and the reasons are the model's own
(`EscalationModel.predict_proba` and `explain`, the values `score_rows` gives serving). A ticket is open at
T when it was created at or before T and its status at T is neither solved, closed nor withdrawn."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

import pandas as pd

from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from features.history import TicketHistory
from features.model import EscalationModel
from features.ticket import DEFAULT_SPEC, HistoryContext, TicketSummary, build_feature_rows, history_pairs
from features.ticket import summarise as summarise_ticket
from features.ticket.history_context import to_us
from rules import PolicySet
from training.feature_frame import RowBuilder

TOP_REASONS = 3  # as many as an assessment shows
SCORE_COLUMNS = ("ticket_id", "at", "risk", "alert", "reasons")


class ClusterRows(RowBuilder, Protocol):
    """A row builder that also summarises and scores the tickets where it runs
    (`training.dask_frame.DaskFrames`)."""

    def summaries(self, history: TicketHistory, *, progress: bool = False) -> list[TicketSummary]: ...

    def scores(
        self,
        model: EscalationModel,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame: ...


class LocalRows:
    """`ClusterRows` in this process: the history's core tickets, summaries and context are made once per
    history and kept, so scoring at several instants converts the history once (as the Dask workers do)."""

    def __init__(self) -> None:
        self._history: TicketHistory | None = None
        self._pairs: dict[str, tuple[Ticket, list[Event]]] = {}
        self._summaries: list[TicketSummary] = []
        self._context = HistoryContext.from_summaries([])

    def summaries(self, history: TicketHistory, *, progress: bool = False) -> list[TicketSummary]:
        self._prepare(history)
        return self._summaries

    def build(
        self,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame:
        self._prepare(history)
        rows = build_feature_rows(self._pairs, examples, analyses, policies, self._context, progress=progress)
        return pd.DataFrame.from_records(rows, columns=DEFAULT_SPEC.names)

    def scores(
        self,
        model: EscalationModel,
        history: TicketHistory,
        examples: pd.DataFrame,
        analyses: Mapping[str, MessageAnalysis],
        policies: PolicySet,
        progress: bool = False,
    ) -> pd.DataFrame:
        """`score_rows` of the examples' rows; the examples share one instant (`batch_scores`)."""
        raw = self.build(history, examples, analyses, policies, progress)
        return score_examples(model, history, examples, raw)

    def _prepare(self, history: TicketHistory) -> None:
        if self._history is not history:
            self._pairs = history_pairs(history)
            self._summaries = [summarise_ticket(t, e) for t, e in self._pairs.values()]
            self._context = HistoryContext.from_summaries(self._summaries)
            self._history = history


def summaries_of(
    history: TicketHistory, builder: ClusterRows | None = None, *, progress: bool = False
) -> list[TicketSummary]:
    """Every ticket's summary (`features.ticket.summarise`), here or where `builder` runs."""
    if builder is not None:
        return builder.summaries(history, progress=progress)
    return [summarise_ticket(t, e) for t, e in history_pairs(history).values()]


def open_at(summaries: Sequence[TicketSummary], at: datetime) -> list[str]:
    """Tickets created at or before `at` and open then (not solved, closed or withdrawn), in ticket order."""
    t = to_us(at)
    found = [s.ticket_id for s in summaries if s.created <= t and any(a <= t < b for a, b in s.open_spans)]
    return sorted(found)


def ticket_messages(history: TicketHistory, tickets: Sequence[str], at: datetime) -> TicketHistory:
    """The part of `history` scoring needs analysed: these tickets, their events up to `at`."""
    events = history.events
    keep = events["ticket_id"].isin(tickets) & (events["at"] <= pd.Timestamp(at))
    return TicketHistory(history.tickets.loc[list(tickets)], events[keep].reset_index(drop=True))


def feature_rows(
    history: TicketHistory,
    tickets: Sequence[str],
    at: datetime,
    analyses: Mapping[str, MessageAnalysis],
    policies: PolicySet,
    summaries: Sequence[TicketSummary],
    *,
    builder: ClusterRows | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """The raw feature rows of `tickets` at `at` (columns of the default spec), in `tickets` order."""
    examples = pd.DataFrame({"ticket_id": list(tickets), "at": pd.Timestamp(at)})
    if builder is not None:
        return builder.build(history, examples, analyses, policies, progress)
    context = HistoryContext.from_summaries(summaries)
    pairs = history_pairs(history)
    rows = build_feature_rows(pairs, examples, analyses, policies, context, progress=progress)
    return pd.DataFrame.from_records(rows, columns=DEFAULT_SPEC.names)


def batch_scores(
    model: EscalationModel,
    history: TicketHistory,
    tickets: Sequence[str],
    at: datetime,
    analyses: Mapping[str, MessageAnalysis],
    policies: PolicySet,
    *,
    builder: ClusterRows,
    progress: bool = False,
) -> pd.DataFrame:
    """SCORE_COLUMNS of `tickets` at `at`, in `tickets` order: `score_rows` of `feature_rows`, where
    `builder` runs (on Dask each partition is built and scored on its worker; the client only orders)."""
    if not tickets:
        return score_rows(model, history, [], at, pd.DataFrame(columns=DEFAULT_SPEC.names))
    examples = pd.DataFrame({"ticket_id": list(tickets), "at": pd.Timestamp(at)})
    return builder.scores(model, history, examples, analyses, policies, progress)


def score_examples(
    model: EscalationModel, history: TicketHistory, examples: pd.DataFrame, raw: pd.DataFrame
) -> pd.DataFrame:
    """`score_rows` of examples (ticket_id, at) that share one instant, as batch scoring makes them, with
    their raw feature rows."""
    at = pd.Timestamp(examples["at"].iloc[0]).to_pydatetime()
    return score_rows(model, history, examples["ticket_id"].astype(str).tolist(), at, raw)


def score_rows(
    model: EscalationModel, history: TicketHistory, tickets: Sequence[str], at: datetime, raw: pd.DataFrame
) -> pd.DataFrame:
    """SCORE_COLUMNS: calibrated risk, the model's alert, and the top reasons (JSON) of each row."""
    frame = raw.reset_index(drop=True).copy()
    for f in model.spec.features:  # the export's own ticket columns the model was trained with
        if f.name not in frame.columns:
            values = history.tickets[f.name.removeprefix("ticket_")].reindex(list(tickets)).to_numpy()
            frame[f.name] = values.astype("float64") if f.kind == "numeric" else values
    risk = model.predict_proba(frame) if len(frame) else pd.Series(dtype="float64").to_numpy()
    reasons = model.explain(frame, top=TOP_REASONS) if len(frame) else []
    return pd.DataFrame(
        {
            "ticket_id": pd.Series(list(tickets), dtype="str"),
            "at": pd.Series([pd.Timestamp(at)] * len(frame), dtype="datetime64[us, UTC]"),
            "risk": risk,
            "alert": model.alerts(risk),
            "reasons": [json.dumps([c.to_dict() for c in found], ensure_ascii=False) for found in reasons],
        },
        columns=list(SCORE_COLUMNS),
    )
