"""Figures that describe a ticket history for managers and data scientists (`escalation describe-data`).

Pure: a TicketHistory in, its `HistoryFigures` out (JSON: `dataclasses.asdict`, fields in order). Rates are
fractions (0..1), None when undefined.
Definitions (data/README.md): a reopen is read as the features and the KPIs read it
(features.ticket.timeline.walk_statuses): solved or closed → a working status, or a customer message on a
solved ticket; first-contact resolution is a solved ticket with exactly one reply by a person (agent or
manager, not a bot) before its first solve, and no reopen. A ticket withdrawn at the end (merged into another,
deleted, spam) is neither solved nor open: counted on its own, and in the tickets and escalations as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.enums import SOLVED_STATUSES, AuthorRole, EscalationType, EventType, TicketStatus
from features.history.history import TicketHistory
from features.ticket.timeline import StatusStep, walk_statuses

DONE = tuple(s.value for s in SOLVED_STATUSES)
PEOPLE = (AuthorRole.AGENT.value, AuthorRole.MANAGER.value)  # a bot's auto-reply resolves nothing


@dataclass(frozen=True, slots=True)
class EscalationFigures:
    tickets: int  # tickets with at least one escalation
    rate: float | None  # of all tickets
    rate_by_type: dict[str, float | None]  # tickets with an escalation of the type / all tickets
    tickets_by_max_level: dict[str, int]  # tickets by the highest level they reached ("1", "2" …)


@dataclass(frozen=True, slots=True)
class CsatFigures:
    rated_tickets: int
    mean: float | None  # of each ticket's last rating, 1 to 5
    share_low: float | None  # rated 1 or 2


@dataclass(frozen=True, slots=True)
class HistoryFigures:
    tickets: int
    events: int
    first: str | None  # the earliest instant (a ticket's creation or an event), ISO 8601
    last: str | None
    by_channel: dict[str, int]  # tickets by value, most first
    by_language: dict[str, int]
    by_priority: dict[str, int]
    by_category: dict[str, int]
    events_by_type: dict[str, int]
    open_at_end: int
    withdrawn_tickets: int
    escalation: EscalationFigures
    solved_tickets: int
    reopen_rate: float | None
    first_contact_resolution_rate: float | None
    csat: CsatFigures

    @property
    def breakdowns(self) -> dict[str, dict[str, int]]:
        """The tickets by channel, language, priority and category, by those names."""
        return {"channel": self.by_channel, "language": self.by_language, "priority": self.by_priority,
                "category": self.by_category}


def summarize(history: TicketHistory) -> HistoryFigures:
    tickets, events = history.tickets, history.events.reset_index(drop=True)
    total = len(tickets)
    stamps = pd.concat([tickets["created_at"], events["at"]])
    kinds = events["type"].astype("str")
    withdrawn = _withdrawn(events, kinds)
    solved, first_solve = _solved(events, kinds, withdrawn)
    reopened = _reopened(events, kinds, first_solve.index)
    last = _last_status(events, kinds)
    return HistoryFigures(
        tickets=total,
        events=len(events),
        first=_iso(stamps.min()),
        last=_iso(stamps.max()),
        by_channel=_counts(tickets["channel"]),
        by_language=_counts(tickets["language"]),
        by_priority=_counts(tickets["priority"]),
        by_category=_counts(tickets["category"]),
        events_by_type=_counts(events["type"]),
        open_at_end=total - int((last.isin(DONE) | last.index.isin(withdrawn)).sum()),
        withdrawn_tickets=len(withdrawn),
        escalation=_escalation(events, kinds, total),
        solved_tickets=len(solved),
        reopen_rate=_rate(len(reopened), len(solved)),
        first_contact_resolution_rate=_rate(
            _first_contact(events, kinds, first_solve, reopened), len(solved)
        ),
        csat=_csat(events, kinds),
    )


def _withdrawn(events: pd.DataFrame, kinds: pd.Series) -> pd.Index:
    """Tickets withdrawn at the end: their last status change other than a solve or close is to `withdrawn` (a
    solve or close after a withdrawal leaves the ticket withdrawn: core.enums.status_after)."""
    changes = events[(kinds == EventType.STATUS_CHANGE.value) & ~events["status"].astype("str").isin(DONE)]
    last = changes.groupby("ticket_id", sort=False, observed=True)["status"].last().astype("str")
    return pd.Index(last.index[last == TicketStatus.WITHDRAWN.value])


def _solved(events: pd.DataFrame, kinds: pd.Series, withdrawn: pd.Index) -> tuple[pd.Index, pd.Series]:
    """Tickets ever solved or closed and not withdrawn at the end, and the position (event order) of their
    first solve."""
    done = events[(kinds == EventType.STATUS_CHANGE.value) & events["status"].astype("str").isin(DONE)]
    first = pd.Series(done.index, index=done["ticket_id"]).groupby(level=0).min()
    first = first[~first.index.isin(withdrawn)]
    return first.index, first


def _reopened(events: pd.DataFrame, kinds: pd.Series, solved: pd.Index) -> pd.Index:
    """The solved tickets reopened after their first solve, each walked as the KPIs walk it (events are in
    time order per ticket: TicketHistory)."""
    mine = events["ticket_id"].isin(solved)
    steps: dict[str, list[StatusStep]] = {}
    for ticket, kind, status in zip(events.loc[mine, "ticket_id"], kinds[mine],
                                    events.loc[mine, "status"].astype("object"), strict=True):
        status = None if pd.isna(status) else TicketStatus(status)
        steps.setdefault(ticket, []).append(StatusStep(EventType(kind), status))
    return pd.Index([ticket for ticket, walk in steps.items() if walk_statuses(walk).reopened])


def _first_contact(events: pd.DataFrame, kinds: pd.Series, first_solve: pd.Series, reopened: pd.Index) -> int:
    by_people = events["author_role"].astype("str").isin(PEOPLE)
    replies = events[(kinds == EventType.AGENT_REPLY.value) & by_people]
    before = replies.index.to_numpy() < replies["ticket_id"].map(first_solve).to_numpy()
    per_ticket = replies.loc[before, "ticket_id"].value_counts()
    resolved_at_once = per_ticket[per_ticket == 1].index.difference(reopened)
    return int(first_solve.index.isin(resolved_at_once).sum())


def _last_status(events: pd.DataFrame, kinds: pd.Series) -> pd.Series:
    changes = events[kinds == EventType.STATUS_CHANGE.value]
    return changes.groupby("ticket_id", sort=False)["status"].last().astype("str")


def _escalation(events: pd.DataFrame, kinds: pd.Series, total: int) -> EscalationFigures:
    escalations = events[kinds == EventType.ESCALATION.value]
    by_type = escalations.groupby(escalations["escalation_type"].astype("str"))["ticket_id"].nunique()
    max_level = escalations.groupby("ticket_id")["level"].max().value_counts().sort_index()
    return EscalationFigures(
        tickets=int(escalations["ticket_id"].nunique()),
        rate=_rate(escalations["ticket_id"].nunique(), total),
        rate_by_type={kind.value: _rate(by_type.get(kind.value, 0), total) for kind in EscalationType},
        tickets_by_max_level={str(level): int(count) for level, count in max_level.items()},
    )


def _csat(events: pd.DataFrame, kinds: pd.Series) -> CsatFigures:
    # A customer may change their rating: the last one per ticket counts, as in Zendesk reports.
    ratings = events[kinds == EventType.CSAT_RATING.value].groupby("ticket_id")["csat"].last().dropna()
    return CsatFigures(
        rated_tickets=len(ratings),
        mean=round(float(ratings.mean()), 3) if len(ratings) else None,
        share_low=_rate(int((ratings <= 2).sum()), len(ratings)),  # 1 or 2 out of 5: unhappy
    )


def _counts(series: pd.Series) -> dict[str, int]:
    counts = series.astype("str").value_counts()
    return {str(key): int(count) for key, count in zip(counts.index, counts.to_numpy(), strict=True) if count}


def _rate(part: float, whole: float) -> float | None:
    return round(float(part) / whole, 4) if whole else None


def _iso(value: Any) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).isoformat()
