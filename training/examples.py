"""Examples: (ticket, instant t) pairs with a label known only after t.

At each customer message (or each event) of a ticket, and at its creation (`at_creation`, the default)
when no chosen event falls on that instant: an update log whose first event comes minutes after the ticket
was opened still gets its "at open" example, which sees no event (a feature at t sees events up to t only).
Tickets without events (outcome-only exports) always get that example.
Escalation targets: label = an escalation of the chosen types in (t, t + H]; an event at or after an
escalation is an example only for the *next* one; examples whose window runs past the end of the history
are dropped (their label is unknown). Outcome targets: label = the ticket's boolean column; examples at or
after the first solve/close or withdrawal (merged, deleted, spam) are dropped. `left_out` counts the tickets
that end with no example, and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.enums import SOLVED_STATUSES, EventType, TicketStatus
from core.errors import ConfigError
from core.tickets import Ticket
from features.history import TicketHistory
from training.targets import Target

EXAMPLE_COLUMNS = ("ticket_id", "at", "event_id", "created_at", "label", "escalation_at", "first")


def build_examples(
    history: TicketHistory, target: Target, *, every_event: bool = False, at_creation: bool = True
) -> pd.DataFrame:
    """One row per example, ordered by ticket then time: EXAMPLE_COLUMNS. `escalation_at` is the
    escalation the label refers to (NaT when none, and always for outcome targets); `first` marks
    each ticket's earliest example (the "at open" prediction)."""
    tickets, events = history.tickets, history.events
    if tickets.empty:  # labelling would fail on the empty frames' dtypes, far from the reason
        files = ", ".join(history.source.tickets_files) or "the tickets file"
        raise ConfigError(
            f"the history has no ticket: {files} holds no row "
            "(a header only, or every row dropped as invalid)"
        )
    rows = example_instants(history, every_event=every_event, at_creation=at_creation)
    labelled = (
        _escalation_labels(rows, events, target, history)
        if target.kind == "escalation"
        else _outcome_labels(rows, events, target, tickets)
    )
    labelled = labelled.sort_values(["ticket_id", "at"], kind="stable").reset_index(drop=True)
    labelled["first"] = ~labelled["ticket_id"].duplicated()
    return labelled[list(EXAMPLE_COLUMNS)]


def example_instants(history: TicketHistory, *, every_event: bool, at_creation: bool) -> pd.DataFrame:
    """The candidate instants before labelling: ticket_id, at, event_id (None at creation), created_at."""
    tickets, events = history.tickets, history.events
    chosen = events if every_event else events[events["type"] == EventType.CUSTOMER_MESSAGE.value]
    rows = pd.DataFrame(
        {
            "ticket_id": chosen["ticket_id"].to_numpy(),
            "at": pd.to_datetime(chosen["at"], utc=True).array,  # not to_numpy: a Timestamp object a row
            "event_id": chosen["event_id"].to_numpy(),
        }
    )
    created = pd.to_datetime(tickets["created_at"], utc=True)
    if at_creation:  # every ticket whose creation instant is no chosen event's instant
        covered = pd.MultiIndex.from_arrays([rows["ticket_id"], rows["at"]])
        wanted = pd.MultiIndex.from_arrays([tickets.index, created])
        opened = tickets.index[~wanted.isin(covered)]
    else:  # outcome-only exports: the creation instant is the one thing known
        opened = tickets.index.difference(pd.Index(events["ticket_id"].unique()))
    if len(opened):
        at_open = pd.DataFrame(
            {"ticket_id": opened.to_numpy(), "at": created[opened].array, "event_id": None}
        )
        rows = pd.concat([rows, at_open], ignore_index=True) if len(rows) else at_open
    rows["at"] = pd.to_datetime(rows["at"], utc=True)
    rows["created_at"] = created.reindex(rows["ticket_id"]).array
    return rows


LEFT_OUT_REASONS = {
    "no_instant": "no example instant (no customer message; creation examples off)",
    "horizon_past_end": "label unknown: every example's horizon runs past the history's end",
    "no_outcome": "no outcome value",
    "solved_at_first_instant": "solved, closed or withdrawn at (or before) its first example instant",
}


@dataclass(frozen=True, slots=True)
class LeftOutReason:
    tickets: int
    positives: int
    why: str  # LEFT_OUT_REASONS


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Tickets without any example: how many, how many of them positive, of how many positive tickets."""

    tickets: int
    positives: int
    positive_tickets: int
    reasons: dict[str, LeftOutReason]  # by code (LEFT_OUT_REASONS), the reasons that left out any

    def to_dict(self) -> dict[str, Any]:
        return {"tickets": self.tickets, "positives": self.positives,
                "positive_tickets": self.positive_tickets,
                "reasons": {code: {"tickets": r.tickets, "positives": r.positives, "why": r.why}
                            for code, r in self.reasons.items()}}


def left_out(
    history: TicketHistory, target: Target, examples: pd.DataFrame, *, every_event: bool, at_creation: bool
) -> LeftOut:
    """The tickets without any example, and how many of them are positive (escalated with a chosen type
    at any time / outcome true), by reason — so a team sees what its training data silently lost."""
    tickets, events = history.tickets, history.events
    missing = tickets.index.difference(pd.Index(examples["ticket_id"].unique()))
    instants = example_instants(history, every_event=every_event, at_creation=at_creation)
    no_instant = missing.difference(pd.Index(instants["ticket_id"].unique()))
    reasons: dict[str, pd.Index] = {}
    if len(no_instant):
        reasons["no_instant"] = no_instant
    rest = missing.difference(no_instant)
    if target.kind == "escalation":
        escalations = events[events["type"] == EventType.ESCALATION.value]
        if target.types:
            escalations = escalations[escalations["escalation_type"].isin([t.value for t in target.types])]
        positive = pd.Index(escalations["ticket_id"].unique())
        reasons["horizon_past_end"] = rest
    else:
        values = tickets[str(target.column)]
        positive = tickets.index[values.fillna(False).astype(bool).to_numpy()]
        unknown = rest[values.reindex(rest).isna().to_numpy()]
        reasons["no_outcome"] = unknown
        reasons["solved_at_first_instant"] = rest.difference(unknown)
    by_reason = {
        code: LeftOutReason(len(ids), int(ids.isin(positive).sum()), LEFT_OUT_REASONS[code])
        for code, ids in reasons.items()
        if len(ids)
    }
    return LeftOut(len(missing), int(missing.isin(positive).sum()), int(tickets.index.isin(positive).sum()),
                   by_reason)


def history_end(history: TicketHistory) -> pd.Timestamp:
    """The last instant the history knows about (its newest event or ticket creation)."""
    last = history.tickets["created_at"].max()
    if len(history.events):
        last = max(last, history.events["at"].max())
    return pd.Timestamp(last)


def escalation_events(events: pd.DataFrame, target: Target) -> pd.DataFrame:
    """The events an escalation target counts: escalations of its types (of any type when it names none)."""
    escalations = events[events["type"] == EventType.ESCALATION.value]
    if target.types:
        escalations = escalations[escalations["escalation_type"].isin([t.value for t in target.types])]
    return escalations


def _escalation_labels(
    rows: pd.DataFrame, events: pd.DataFrame, target: Target, history: TicketHistory
) -> pd.DataFrame:
    escalations = escalation_events(events, target)
    start, end = pd.Timestamp(history.tickets["created_at"].min()), history_end(history)
    if target.horizon >= end - start:
        raise ConfigError(
            f"--horizon {target.horizon_text} is not shorter than the history "
            f"({start:%Y-%m-%d} to {end:%Y-%m-%d}, {end - start}); choose a shorter horizon "
            "or give a longer history"
        )
    # the next escalation strictly after t, per ticket: merge_asof needs both sides sorted by time
    left = rows.reset_index(names="row").sort_values("at", kind="stable")
    right = escalations[["ticket_id", "at"]].rename(columns={"at": "escalation_at"})
    right = right.assign(key=right["escalation_at"]).sort_values("key", kind="stable")
    merged = pd.merge_asof(
        left,
        right,
        left_on="at",
        right_on="key",
        by="ticket_id",
        direction="forward",
        allow_exact_matches=False,
    )
    merged = merged.sort_values("row").set_index("row").drop(columns="key")
    window = merged["at"] + pd.Timedelta(target.horizon)
    merged["label"] = (merged["escalation_at"].notna() & (merged["escalation_at"] <= window)).to_numpy()
    known = merged["label"] | (window <= end)  # a negative is known only once its window has passed
    return merged[known.to_numpy(dtype=bool)]


def _outcome_labels(
    rows: pd.DataFrame, events: pd.DataFrame, target: Target, tickets: pd.DataFrame
) -> pd.DataFrame:
    column = str(target.column)
    if column not in tickets.columns:
        extras = [c for c in tickets.columns if c not in _TICKET_COLUMNS]
        raise ConfigError(
            f"--target outcome:{column}: the tickets have no column {column!r}; "
            f"extra ticket columns: {', '.join(extras) or 'none'} (rename one with a mapping "
            "file's extra_columns)"
        )
    values = tickets[column]
    if not (pd.api.types.is_bool_dtype(values) or str(values.dtype) == "boolean"):
        shown = ", ".join(map(repr, values.dropna().astype(str).unique()[:5]))
        raise ConfigError(
            f"--target outcome:{column}: the column is not boolean (values such as {shown}); "
            "use true/false, yes/no or 1/0, or map the values in a mapping file"
        )
    ended = events[events["status"].isin([s.value for s in (*SOLVED_STATUSES, TicketStatus.WITHDRAWN)])]
    first_end = ended.groupby("ticket_id", observed=True)["at"].min()
    rows = rows.assign(label=values.reindex(rows["ticket_id"]).to_numpy(), escalation_at=None)
    rows["escalation_at"] = pd.to_datetime(rows["escalation_at"], utc=True)
    end = first_end.reindex(rows["ticket_id"]).to_numpy()
    before_end = pd.isna(end) | (rows["at"].to_numpy() < end)
    # a ticket solved at creation keeps its creation example: it is the "at open" prediction
    before_end |= rows["event_id"].isna().to_numpy()
    keep = before_end & pd.notna(rows["label"]).to_numpy()
    out = rows[keep].copy()
    out["label"] = out["label"].astype(bool).to_numpy()
    return out


# The contract's own ticket fields (everything else on a ticket row is an extra column).
_TICKET_COLUMNS = frozenset(Ticket.model_fields) - {"ticket_id"}
