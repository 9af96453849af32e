"""From a ticket's event log to the facts the SLA clocks run on: one pass over the events.

Nothing here is stored state: every evaluation derives it again from the events up to `now`, so a
late event, a corrected history or a changed policy gives the right answer without migrations.
Which events count (see docs/sla-semantics.md):
- a *public reply by a human* (an `agent_reply` by an agent or manager) answers the customer;
  an `agent_reply` by a bot is an auto-reply and an `internal_note` is invisible to the customer;
- a `customer_message` is the customer talking; with `customer_message_resumes` it also ends a
  pause and reopens a solved ticket, as helpdesks do automatically;
- status changes pause, solve and reopen; `withdrawn` (merged, deleted, spam) ends every running clock
  unjudged, and until a working status restores the ticket its messages start no clock;
  `priority_change` and a `reassignment` to another team may select another policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from core.enums import SOLVED_STATUSES, AuthorRole, EventType, Priority, TicketStatus, status_after
from core.errors import EscalationError
from core.tickets import Event, Ticket
from rules.calendar import to_us

HUMAN = frozenset({AuthorRole.AGENT, AuthorRole.MANAGER})
SOLVED = frozenset(SOLVED_STATUSES)
WITHDRAWN = TicketStatus.WITHDRAWN
ENDED = SOLVED | {WITHDRAWN}  # no one works the ticket: no clock runs, no action is due
# What the clocks look at, in time order: (at µs, kind, status or None).
STATUS, CUSTOMER, REPLY = "status", "customer", "reply"


@dataclass(slots=True)
class History:
    """The clock-relevant view of one ticket's events up to `now`."""

    ticket: Ticket
    created: int
    marks: list[tuple[int, str, TicketStatus | None]] = field(default_factory=list)
    # (at, priority or None, team or None): explicit changes by people or helpdesk automations.
    changes: list[tuple[int, Priority | None, str | None]] = field(default_factory=list)
    team: str = ""
    assignee: str | None = None
    body: str = ""  # the first customer message
    customer_text: list[str] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)  # auto-replies and notes, for explain
    team_changed: bool = False
    priority_changed: bool = False


def read_history(ticket: Ticket, events: Iterable[Event], now: int) -> History:
    created = to_us(ticket.created_at)
    history = History(ticket=ticket, created=created, team=ticket.team, assignee=ticket.assignee)
    # At one instant an agent's reply goes before a status change, whatever order they arrived in: a reply
    # sent with "Submit as solved" reaches us as two webhooks with one time, and read solve-first its first
    # response would read as stopped by the solve, not given. (at, rank, input position) is unique, so
    # sorting never compares the events themselves.
    timed = sorted(
        [(max(to_us(e.at), created), e.type is not EventType.AGENT_REPLY, i, e) for i, e in enumerate(events)]
    )
    for at, _, _, event in timed:
        if event.ticket_id != ticket.ticket_id:
            raise EscalationError(
                f"event {event.event_id!r} belongs to ticket {event.ticket_id!r}, not {ticket.ticket_id!r}; "
                "pass each ticket's own events"
            )
        if at > now:
            break  # the future is not known at `now`
        _read(history, at, event)
    return history


def _read(h: History, at: int, event: Event) -> None:
    kind = event.type
    if kind is EventType.CUSTOMER_MESSAGE:
        h.marks.append((at, CUSTOMER, None))
        text = event.body or ""
        if not h.customer_text:
            h.body = text
        h.customer_text.append(text)
    elif kind is EventType.AGENT_REPLY:
        if event.author_role in HUMAN:
            h.marks.append((at, REPLY, None))
        else:
            h.ignored.append((at, f"auto-reply by {event.author_role.value} (does not answer the customer)"))
    elif kind is EventType.INTERNAL_NOTE:
        h.ignored.append((at, "internal note (not visible to the customer)"))
    elif kind is EventType.STATUS_CHANGE and event.status is not None:
        h.marks.append((at, STATUS, event.status))
    elif kind is EventType.PRIORITY_CHANGE and event.priority is not None:
        h.changes.append((at, event.priority, None))
        h.priority_changed = True
    elif kind is EventType.REASSIGNMENT:
        if event.assignee:
            h.assignee = event.assignee
        if event.team and event.team != h.team:
            h.changes.append((at, None, event.team))
            h.team, h.team_changed = event.team, True


class Cycle(NamedTuple):
    """One run of a target's clock: from `start` until fulfilled, ended by a solve or a withdrawal
    (`withdrawn`: judged neither met nor breached), or still open.
    (A named tuple: immutable like a frozen dataclass, and built several times per ticket for less.)"""

    start: int
    stop: int | None = None
    fulfilled: bool = False
    withdrawn: bool = False


@dataclass(slots=True)
class Clocks:
    pauses: list[tuple[int, int | None]]  # [from, to) while in a pause status; to None: still paused
    first_response: list[Cycle]
    next_response: list[Cycle]
    resolution: list[Cycle]
    status: TicketStatus


def derive_clocks(h: History, pause_statuses: frozenset[TicketStatus], resumes: bool) -> Clocks:
    """Walk the marks once, as the helpdesk would have seen them happen."""
    status = TicketStatus.NEW
    pauses: list[tuple[int, int | None]] = []
    paused_since: int | None = None
    first: list[Cycle] = [Cycle(h.created)]
    nxt: list[Cycle] = []
    resolution: list[Cycle] = [Cycle(h.created)]
    answered = False  # has a human replied at least once?

    for at, kind, new in h.marks:
        if status is WITHDRAWN and kind != STATUS:
            continue  # no one works a withdrawn ticket: a message owes no reply, a reply fulfils nothing
        if kind == CUSTOMER:
            if resumes and (status in pause_statuses or status is TicketStatus.SOLVED):
                new, kind = TicketStatus.OPEN, STATUS  # the customer's answer puts the ball in our court
            if answered and (not nxt or nxt[-1].stop is not None):
                nxt.append(Cycle(at))
        if kind == REPLY:
            if first[-1].stop is None:
                first[-1] = Cycle(first[-1].start, at, fulfilled=True)
            if nxt and nxt[-1].stop is None:
                nxt[-1] = Cycle(nxt[-1].start, at, fulfilled=True)
            answered = True
        if kind == STATUS and new is not None:
            new = status_after(status, new)
        if kind == STATUS and new is not None and new is not status:
            if status in ENDED and new not in ENDED:
                resolution.append(Cycle(at))  # a reopen (or a restore) restarts resolution from there
            if new is WITHDRAWN:
                # Merged, deleted or spam: what runs stops without a verdict; a verdict given earlier stands.
                for cycles in (first, nxt, resolution):
                    if cycles and cycles[-1].stop is None:
                        cycles[-1] = Cycle(cycles[-1].start, at, withdrawn=True)
            elif new in SOLVED:
                # Solving answers the ticket: open response clocks end without fulfilment.
                for cycles in (first, nxt):
                    if cycles and cycles[-1].stop is None:
                        cycles[-1] = Cycle(cycles[-1].start, at)
                if resolution[-1].stop is None:
                    resolution[-1] = Cycle(resolution[-1].start, at, fulfilled=True)
            if new in pause_statuses and paused_since is None:
                paused_since = at
            elif new not in pause_statuses and paused_since is not None:
                pauses.append((paused_since, at))
                paused_since = None
            status = new
    if paused_since is not None:
        pauses.append((paused_since, None))
    return Clocks(pauses, first, nxt, resolution, status)
