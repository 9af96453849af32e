"""One ticket's events up to t, replayed once into the facts its own features are made of.

Conventions follow data/README.md: a public reply by a person (`agent_reply` by an agent or manager)
answers the customer, a bot's is an auto-reply; a reopen is a status change from solved/closed to
a working status (or a customer message on a solved ticket, as the SLA engine reads it); an escalation
is an explicit event. A withdrawn ticket (merged, deleted, spam) is neither open nor solved, and a solve or
close after its withdrawal leaves it withdrawn (core.enums.status_after).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.enums import (
    OPEN_STATUSES,
    SOLVED_STATUSES,
    AuthorRole,
    EventType,
    Priority,
    TicketStatus,
    status_after,
)
from core.tickets import Event, Ticket

HUMAN = frozenset({AuthorRole.AGENT, AuthorRole.MANAGER})
SOLVED = frozenset(SOLVED_STATUSES)
WORKING = frozenset(OPEN_STATUSES)
RESUMED_BY_CUSTOMER = frozenset({TicketStatus.PENDING, TicketStatus.SOLVED})


def events_until(events: Iterable[Event], at: datetime) -> list[Event]:
    """The events with `event.at <= at`, in time order; events at the same instant keep their order.
    Every feature reads its events through here: the future is never seen, whatever the caller passes."""
    kept = [(e.at, i, e) for i, e in enumerate(events) if e.at <= at]
    kept.sort(key=lambda item: (item[0], item[1]))
    return [e for _, _, e in kept]


def is_reopen(old: TicketStatus, new: TicketStatus) -> bool:
    return old in SOLVED and new in WORKING  # a merge after the solve is no reopen


class StatusEvent(Protocol):
    """What `next_status` reads of an event (an `Event`, or the KPIs' smaller view of one)."""

    @property
    def type(self) -> EventType: ...

    @property
    def status(self) -> TicketStatus | None: ...


def next_status(status: TicketStatus, event: StatusEvent) -> TicketStatus:
    """The status after `event`. As in the SLA engine (docs/sla-semantics.md), a customer message
    answers a `pending` ticket and reopens a `solved` one (a `closed` ticket stays closed; `on_hold`
    waits on a third party, not on the customer)."""
    if event.type is EventType.STATUS_CHANGE and event.status is not None:
        return status_after(status, event.status)
    if event.type is EventType.CUSTOMER_MESSAGE and status in RESUMED_BY_CUSTOMER:
        return TicketStatus.OPEN
    return status


@dataclass(frozen=True, slots=True)
class StatusStep:
    """The least a `StatusEvent` is: an event's type and the status it set (None: it set none)."""

    type: EventType
    status: TicketStatus | None = None


@dataclass(frozen=True, slots=True)
class StatusWalk:
    """A ticket's statuses walked to the end: the position of its first solve (None: never solved), whether
    it was reopened after it, and its status after all the events."""

    first_solve: int | None
    reopened: bool
    status: TicketStatus


def walk_statuses(events: Iterable[StatusEvent]) -> StatusWalk:
    """The one reading of a reopen, for the features, the KPIs and `describe-data`: `events` in time order,
    each status taken by `next_status`, a change counted by `is_reopen` once the ticket was first solved (so
    a customer message on a solved ticket reopens it; a close after a withdrawal is no solve, a withdrawn
    ticket's restore no reopen)."""
    status, first_solve, reopened = TicketStatus.NEW, None, False
    for i, event in enumerate(events):
        new = next_status(status, event)
        reopened = reopened or (first_solve is not None and is_reopen(status, new))
        if first_solve is None and new in SOLVED:
            first_solve = i
        status = new
    return StatusWalk(first_solve, reopened, status)


@dataclass(slots=True)
class TicketState:
    """The ticket as the helpdesk saw it at t."""

    ticket: Ticket
    status: TicketStatus = TicketStatus.NEW
    priority: Priority = Priority.NORMAL
    team: str = ""
    assignee: str | None = None
    customer_message_ids: list[str] = field(default_factory=list)
    human_replies: int = 0
    bot_replies: int = 0
    internal_notes: int = 0
    reassignments: int = 0
    team_transfers: int = 0
    reopens: int = 0
    priority_changes: int = 0
    escalations: int = 0
    max_escalation_level: int = 0
    first_reply_at: datetime | None = None
    unanswered: list[datetime] = field(default_factory=list)  # customer messages since the last human reply
    statuses: list[tuple[datetime, TicketStatus]] = field(default_factory=list)  # (since, status), in order
    last_event_at: datetime | None = None

    def status_spans(self, until: datetime) -> Iterable[tuple[TicketStatus, datetime, datetime]]:
        """(status, from, to) for each stretch of the ticket's life up to `until`."""
        for i, (since, status) in enumerate(self.statuses):
            end = self.statuses[i + 1][0] if i + 1 < len(self.statuses) else until
            if end > since:
                yield status, since, end


def replay(ticket: Ticket, events: Iterable[Event]) -> TicketState:
    """Walk `events` (already cut at t and ordered by `events_until`) once."""
    created = ticket.created_at
    state = TicketState(ticket=ticket, priority=ticket.priority, team=ticket.team, assignee=ticket.assignee)
    state.statuses.append((created, TicketStatus.NEW))
    for event in events:
        at = max(event.at, created)  # an event stamped before creation counts from creation
        state.last_event_at = at
        _apply(state, event, at)
    return state


def _apply(state: TicketState, event: Event, at: datetime) -> None:
    status = next_status(state.status, event)
    if status is not state.status:
        state.reopens += is_reopen(state.status, status)
        state.status = status
        state.statuses.append((at, status))
    kind = event.type
    if kind is EventType.CUSTOMER_MESSAGE:
        state.customer_message_ids.append(event.event_id)
        state.unanswered.append(at)
    elif kind is EventType.AGENT_REPLY:
        if event.author_role in HUMAN:
            state.human_replies += 1
            state.first_reply_at = state.first_reply_at or at
            state.unanswered.clear()
        else:
            state.bot_replies += 1
    elif kind is EventType.INTERNAL_NOTE:
        state.internal_notes += 1
    elif kind is EventType.PRIORITY_CHANGE and event.priority is not None:
        state.priority_changes += 1
        state.priority = event.priority
    elif kind is EventType.REASSIGNMENT:
        state.reassignments += 1
        if event.assignee:
            state.assignee = event.assignee
        if event.team and event.team != state.team:
            state.team_transfers += 1
            state.team = event.team
    elif kind is EventType.ESCALATION:
        state.escalations += 1
        state.max_escalation_level = max(state.max_escalation_level, event.level or 0)
