"""`StoreContext`: the features' FeatureContext answered from the store. Customer facts reuse the training
code (a HistoryContext over the customer's other tickets, which answers as of t), so serving and training
agree; the assignee's load is the store's current count of their open tickets (the store keeps current state
only).

A cache keeps a request's cost independent of how much history the customer has: each ticket's summary (what
a HistoryContext keeps of it) is cached with the ticket's version (events and newest event number), so a new
message on one of the customer's tickets re-reads that ticket only — an organisation with dozens of open,
active tickets does not re-read and re-validate all their events on every message. One indexed query per
request reads the versions, and with them the assignee's load (`for_ticket`: the feature row's two reads as
one statement).

The customer's HistoryContext itself is built from the summaries at every request, not cached. A cache of
contexts per (customer, ticket) hit 27-34 % of lookups under the load bench (a context is out of date as soon
as another ticket of the customer changes), and the contexts it held were the most numerous long-lived
objects the garbage collector walked: without it the longest of the youngest generation's collections took
9-14 ms instead of 27-35 ms in process, and a request's CPU and p99 fell (docs/api.md, "Under mixed load")."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.lru import Lru
from core.tickets import Event, Ticket
from features.ticket import CustomerFacts, FeatureContext, HistoryContext, TicketSummary, summarise
from features.ticket.timeline import events_until, replay
from serving.store.repository import Store

Version = tuple[int, int]  # a ticket's (events, newest event sequence number)
MB = 2**20
# Estimated bytes of a ticket's summary (its instants and spans); a summary grows with the ticket's messages.
SUMMARY_BYTES = 600
INSTANT_BYTES = 80


def _summary_bytes(item: tuple[Version, TicketSummary]) -> int:
    s = item[1]
    return SUMMARY_BYTES + INSTANT_BYTES * (
        len(s.messages) + len(s.open_spans) + len(s.assigned_spans) + len(s.csat)
    )


class StoreContext:
    """`max_mb`: the memory its cache of ticket summaries may hold (estimated)."""

    def __init__(self, store: Store, max_mb: float = 16.0) -> None:
        self.store = store
        self._summaries: Lru[str, tuple[Version, TicketSummary]] = Lru(int(max_mb * MB), _summary_bytes)
        self._lock = threading.Lock()  # requests run in a thread pool

    def caches(self) -> dict[str, Lru[Any, Any]]:
        """Its cache by name, with its counts (for /metrics)."""
        return {"ticket_summaries": self._summaries}

    def for_ticket(self, ticket: Ticket, events: Sequence[Event], at: datetime) -> FeatureContext:
        """The context for one feature row of `ticket` at `at`, whose two reads are one statement."""
        return _TicketContext(self, ticket, events, at)

    def customer_facts(self, customer_id: str, at: datetime, exclude: str) -> CustomerFacts:
        versions = self.store.customer_ticket_versions(customer_id, exclude)
        return self.facts_of(customer_id, at, exclude, versions)

    def facts_of(
        self, customer_id: str, at: datetime, exclude: str, versions: dict[str, Version]
    ) -> CustomerFacts:
        """The customer's facts from their other tickets at these versions."""
        if not versions:
            return CustomerFacts()
        context = HistoryContext.from_summaries(self._summaries_of(versions))
        return context.customer_facts(customer_id, at, exclude)

    def _summaries_of(self, versions: dict[str, Version]) -> list[TicketSummary]:
        """Each ticket's summary: cached when its version is unchanged, else read and summarised now. Read
        after the version: if an event lands in between, the summary is newer than its version and the next
        request reads the ticket again — never older."""
        summaries: dict[str, TicketSummary] = {}
        with self._lock:
            for ticket_id, version in versions.items():
                cached = self._summaries.get(ticket_id, lambda held, v=version: held[0] == v)
                if cached is not None:
                    summaries[ticket_id] = cached[1]
        stale = [t for t in versions if t not in summaries]
        if not stale:
            return list(summaries.values())
        fresh = [summarise(ticket, events) for ticket, events in self.store.tickets_with_events(stale)]
        with self._lock:
            for summary in fresh:
                self._summaries.put(summary.ticket_id, (versions[summary.ticket_id], summary))
                summaries[summary.ticket_id] = summary
        return list(summaries.values())

    def assignee_open_tickets(self, assignee: str, at: datetime, exclude: str) -> int:
        return self.store.assignee_open_tickets(assignee, exclude)


class _TicketContext:
    """One feature row's context: the customer's ticket versions and the assignee's load in one statement,
    read by `customer_facts` (the feature row asks it first). The assignee is the one the feature row will
    ask for: the same replay of the ticket's events at the same instant, done only when a feature row is
    built; asked for another, or with no assignee, it reads as `StoreContext` does."""

    def __init__(self, context: StoreContext, ticket: Ticket, events: Sequence[Event], at: datetime) -> None:
        self.context = context
        self._ticket, self._events, self._at = ticket, events, at
        self._load: tuple[str, str, int] | None = None  # (assignee, excluded ticket, load) once read

    def customer_facts(self, customer_id: str, at: datetime, exclude: str) -> CustomerFacts:
        assignee = replay(self._ticket, events_until(self._events, self._at)).assignee
        if not assignee:
            return self.context.customer_facts(customer_id, at, exclude)
        store = self.context.store
        versions, load = store.customer_ticket_versions_and_load(customer_id, assignee, exclude)
        self._load = (assignee, exclude, load)
        return self.context.facts_of(customer_id, at, exclude, versions)

    def assignee_open_tickets(self, assignee: str, at: datetime, exclude: str) -> int:
        if self._load is not None and self._load[:2] == (assignee, exclude):
            return self._load[2]
        return self.context.assignee_open_tickets(assignee, at, exclude)
