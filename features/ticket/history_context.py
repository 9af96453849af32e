"""`HistoryContext`: the FeatureContext of a loaded history, for training (and for replaying).

Built once; every question is an as-of query answered with sorted arrays and bisect, so a question
at t sees only tickets created and events that happened at or before t. Each ticket is summarised
from its whole log, but every summary fact carries its instant and a query cuts at t: adding later
tickets or later events never changes an earlier answer. The ticket being featurised is subtracted
from each count, so its own outcome never leaks into its customer's history.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

from core.enums import EventType, TicketStatus
from core.tickets import Event, Ticket
from features.ticket.context import CustomerFacts
from features.ticket.timeline import WORKING, next_status

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
DAY_US = 86_400_000_000
RECENT_TICKETS = 20  # the customer's "normal" is the median over their latest this many other tickets


def to_us(t: datetime) -> int:
    return (t - EPOCH) // US


@dataclass(slots=True)
class TicketSummary:
    """One ticket's facts, each with its instant (µs): what a HistoryContext keeps of a ticket. Serving caches
    these per ticket, so that a change to one ticket re-reads that ticket only."""

    ticket_id: str
    customer_id: str
    created: int
    open_spans: list[tuple[int, int]] = field(default_factory=list)  # [from, to) not solved/closed/withdrawn
    assigned_spans: list[tuple[str, int, int]] = field(default_factory=list)  # open and assigned to …
    first_escalation: int | None = None
    csat: list[tuple[int, int]] = field(default_factory=list)  # (at, rating)
    messages: list[int] = field(default_factory=list)  # customer message instants


def summarise(ticket: Ticket, events: Iterable[Event]) -> TicketSummary:
    created = to_us(ticket.created_at)
    s = TicketSummary(ticket.ticket_id, ticket.customer_id, created)
    timed = sorted((max(to_us(e.at), created), i, e) for i, e in enumerate(events))
    status, assignee, since = TicketStatus.NEW, ticket.assignee, created
    for at, _, e in timed:
        if e.type is EventType.CUSTOMER_MESSAGE:
            s.messages.append(at)
        elif e.type is EventType.ESCALATION and s.first_escalation is None:
            s.first_escalation = at
        elif e.type is EventType.CSAT_RATING and e.csat is not None:
            s.csat.append((at, e.csat))
        new_status = next_status(status, e)
        new_assignee = e.assignee if e.type is EventType.REASSIGNMENT and e.assignee else assignee
        if (new_status in WORKING) != (status in WORKING) or new_assignee != assignee:
            _close(s, status, assignee, since, at)
            since = at
        status, assignee = new_status, new_assignee
    _close(s, status, assignee, since, None)
    return s


_OPEN_END = 2**62  # "still open": later than any instant


def _close(s: TicketSummary, status: TicketStatus, assignee: str | None, start: int, end: int | None) -> None:
    if status not in WORKING:
        return
    stop = end if end is not None else _OPEN_END
    if s.open_spans and s.open_spans[-1][1] == start:  # an assignee change inside one open stretch
        s.open_spans[-1] = (s.open_spans[-1][0], stop)
    else:
        s.open_spans.append((start, stop))
    if assignee:
        s.assigned_spans.append((assignee, start, stop))


class _Spans:
    """How many [from, to) spans cover an instant: #(from <= t) - #(to <= t)."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        pairs = list(spans)
        self.starts = sorted(a for a, _ in pairs)
        self.ends = sorted(b for _, b in pairs)

    def covering(self, t: int) -> int:
        return bisect_right(self.starts, t) - bisect_right(self.ends, t)

    def add(self, spans: Iterable[tuple[int, int]]) -> None:
        for a, b in spans:
            insort(self.starts, a)
            insort(self.ends, b)

    def remove(self, spans: Iterable[tuple[int, int]]) -> None:
        for a, b in spans:
            _remove(self.starts, a)
            _remove(self.ends, b)


def _covers(spans: Iterable[tuple[int, int]], t: int) -> int:
    return sum(a <= t < b for a, b in spans)


def _remove(values: list[Any], value: Any) -> None:
    """Remove one `value` from the sorted list `values` (it is there)."""
    del values[bisect_left(values, value)]


def _order(s: TicketSummary) -> tuple[int, str]:
    return s.created, s.ticket_id


class CustomerHistory:
    """One customer's tickets, indexed for as-of questions (`facts`). Built from their summaries at once, or
    kept up to date one ticket at a time (`put` replaces a ticket's summary): serving keeps one per customer
    and replaces the tickets that changed, instead of indexing all the customer's tickets at every message.
    Either way it answers the same."""

    __slots__ = ("by_id", "created", "csat", "csat_at", "escalated", "open", "tickets")

    def __init__(self, tickets: Iterable[TicketSummary] = ()) -> None:
        self.by_id = {s.ticket_id: s for s in tickets}
        self.tickets = sorted(self.by_id.values(), key=_order)
        self.created = [s.created for s in self.tickets]
        self.escalated = sorted(s.first_escalation for s in self.tickets if s.first_escalation is not None)
        self.csat = sorted((at, s.ticket_id, r) for s in self.tickets for at, r in s.csat)
        self.csat_at = [at for at, _, _ in self.csat]
        self.open = _Spans(span for s in self.tickets for span in s.open_spans)

    def __len__(self) -> int:
        return len(self.tickets)

    def put(self, summary: TicketSummary) -> None:
        """Hold `summary` in place of the ticket's summary held before, if any."""
        old = self.by_id.get(summary.ticket_id)
        if old is not None:
            self._drop(old)
        self.by_id[summary.ticket_id] = summary
        i = bisect_left(self.tickets, _order(summary), key=_order)
        self.tickets.insert(i, summary)
        self.created.insert(i, summary.created)
        if summary.first_escalation is not None:
            insort(self.escalated, summary.first_escalation)
        for at, rating in summary.csat:
            j = bisect_left(self.csat, (at, summary.ticket_id, rating))
            self.csat.insert(j, (at, summary.ticket_id, rating))
            self.csat_at.insert(j, at)
        self.open.add(summary.open_spans)

    def _drop(self, s: TicketSummary) -> None:
        i = bisect_left(self.tickets, _order(s), key=_order)
        del self.tickets[i], self.created[i]
        if s.first_escalation is not None:
            _remove(self.escalated, s.first_escalation)
        for at, rating in s.csat:
            j = bisect_left(self.csat, (at, s.ticket_id, rating))
            del self.csat[j], self.csat_at[j]
        self.open.remove(s.open_spans)

    def facts(self, at: datetime, exclude: str) -> CustomerFacts:
        """The customer's facts as of `at`, the ticket `exclude` left out."""
        t = to_us(at)
        own = self.by_id.get(exclude)
        n = bisect_right(self.created, t)
        # only the latest few are read: a long-standing customer costs no more than a new one
        tail = [s for s in self.tickets[max(0, n - RECENT_TICKETS - 1) : n] if s is not own]
        count = n - (own is not None and own.created <= t)
        escalated = bisect_right(self.escalated, t)
        open_now = self.open.covering(t)
        if own is not None:
            escalated -= own.first_escalation is not None and own.first_escalation <= t
            open_now -= _covers(own.open_spans, t)
        recent = tail[-RECENT_TICKETS:]
        return CustomerFacts(
            tickets=count,
            escalated=escalated,
            open_tickets=open_now,
            last_csat=_last_csat(self, t, exclude),
            median_messages=float(median(bisect_right(s.messages, t) for s in recent)) if recent else None,
            days_since_last_ticket=(t - tail[-1].created) / DAY_US if tail else None,
        )


class HistoryContext:
    """Cross-ticket facts as of t from a whole history (`FeatureContext`)."""

    def __init__(self, pairs: Iterable[tuple[Ticket, Sequence[Event]]]) -> None:
        self._index([summarise(ticket, events) for ticket, events in pairs])

    @classmethod
    def from_summaries(cls, summaries: Iterable[TicketSummary]) -> HistoryContext:
        """The same context from tickets already summarised (`summarise`)."""
        context = cls.__new__(cls)
        context._index(list(summaries))
        return context

    def _index(self, summaries: list[TicketSummary]) -> None:
        self._tickets = {s.ticket_id: s for s in summaries}
        by_customer: dict[str, list[TicketSummary]] = defaultdict(list)
        by_assignee: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s in summaries:
            by_customer[s.customer_id].append(s)
            for who, a, b in s.assigned_spans:
                by_assignee[who].append((a, b))
        self._customers = {c: CustomerHistory(ts) for c, ts in by_customer.items()}
        self._assignees = {who: _Spans(spans) for who, spans in by_assignee.items()}

    def customer_facts(self, customer_id: str, at: datetime, exclude: str) -> CustomerFacts:
        c = self._customers.get(customer_id)
        return CustomerFacts() if c is None else c.facts(at, exclude)

    def assignee_open_tickets(self, assignee: str, at: datetime, exclude: str) -> int:
        spans = self._assignees.get(assignee)
        if spans is None:
            return 0
        t = to_us(at)
        own = self._tickets.get(exclude)
        mine = _covers(((a, b) for who, a, b in own.assigned_spans if who == assignee), t) if own else 0
        return spans.covering(t) - mine


def _last_csat(c: CustomerHistory, t: int, exclude: str) -> float | None:
    for i in range(bisect_right(c.csat_at, t) - 1, -1, -1):
        _, ticket_id, rating = c.csat[i]
        if ticket_id != exclude:
            return float(rating)
    return None
