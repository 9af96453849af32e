"""`StoreContext`: the features' FeatureContext answered from the store. Customer facts reuse the training
code (`CustomerHistory`, what a HistoryContext keeps of a customer, answering as of t), so serving and
training agree; the assignee's load is the store's current count of their open tickets (the store keeps
current state only).

A cache keeps a request's cost from growing with the customer's history: it holds each customer's
`CustomerHistory` with the version (events, newest event number) of each ticket in it. One indexed query per
request reads the versions of the customer's other tickets (and with them the assignee's load, `for_ticket`:
the feature row's two reads as one statement); only the tickets whose version changed since — usually one,
the ticket the customer wrote on last — are read, summarised and replaced in the history, in place. Indexing
all of a customer's tickets again at every message cost ~3.5 ms of a message's time under cProfile at ~540
tickets a customer; now a message there takes 13 % less (bench/profile_load.py --customers, docs/api.md).
What still grows with the customer is the versions query and comparing its answer. The history may hold the
ticket being featurised itself (from a request on another of the customer's tickets): its facts leave it out
whatever version it holds.

Nothing is built per request that outlives it: a cache of contexts per (customer, ticket), built again
whenever another ticket of the customer changed, hit 27-34 % of lookups under the load bench, and the contexts
it kept were the most numerous long-lived objects the garbage collector walked (docs/api.md, "Under mixed
load"). A history is updated in place instead: a changed ticket's new summary is the only new object kept."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.lru import Lru
from core.tickets import Event, Ticket
from features.ticket import CustomerFacts, CustomerHistory, FeatureContext, TicketSummary, summarise
from features.ticket.timeline import events_until, replay
from serving.store.repository import Store

Version = tuple[int, int]  # a ticket's (events, newest event sequence number)
MB = 2**20
# Estimated bytes of a ticket in a customer's history (tracemalloc, tests/serving/store/test_context.py): its
# summary and its places in the history's indexes and versions, a customer message's instant, a span (open,
# assigned) or rating with its index entries.
TICKET_BYTES = 600
MESSAGE_BYTES = 50
SPAN_BYTES = 180
HISTORY_BYTES = 1_000  # a customer's history with no ticket


def _ticket_bytes(s: TicketSummary) -> int:
    spans = len(s.open_spans) + len(s.assigned_spans) + len(s.csat)
    return TICKET_BYTES + MESSAGE_BYTES * len(s.messages) + SPAN_BYTES * spans


@dataclass(slots=True)
class _Held:
    """A customer's history, the version of each ticket in it, and its estimated bytes."""

    history: CustomerHistory
    versions: dict[str, Version]
    nbytes: int = HISTORY_BYTES

    def put(self, summary: TicketSummary, version: Version) -> None:
        """Replace the ticket's summary unless the one held is newer (read by a request that ran alongside:
        events are append-only, so more events is newer)."""
        held = self.versions.get(summary.ticket_id)
        if held is not None and held[0] > version[0]:
            return
        old = self.history.by_id.get(summary.ticket_id)
        self.nbytes += _ticket_bytes(summary) - (0 if old is None else _ticket_bytes(old))
        self.history.put(summary)
        self.versions[summary.ticket_id] = version


def _stale(held: _Held | None, versions: dict[str, Version]) -> list[str]:
    """The tickets whose version the history lacks: not in it, or with fewer events than `versions` says."""
    if held is None:
        return list(versions)
    known = held.versions
    # the items that differ, found in C (a customer's hundreds of tickets): then the newer of those
    return [t for t, v in versions.items() - known.items() if t not in known or known[t][0] < v[0]]


class StoreContext:
    """`max_mb`: the memory its cache of customers' histories may hold (estimated)."""

    def __init__(self, store: Store, max_mb: float = 16.0) -> None:
        self.store = store
        self._histories: Lru[str, _Held] = Lru(int(max_mb * MB), lambda held: held.nbytes)
        self._lock = threading.Lock()  # requests run in a thread pool

    def caches(self) -> dict[str, Lru[Any, Any]]:
        """Its cache by name, with its counts (for /metrics)."""
        return {"customer_histories": self._histories}

    def for_ticket(self, ticket: Ticket, events: Sequence[Event], at: datetime) -> FeatureContext:
        """The context for one feature row of `ticket` at `at`, whose two reads are one statement."""
        return _TicketContext(self, ticket, events, at)

    def customer_facts(self, customer_id: str, at: datetime, exclude: str) -> CustomerFacts:
        versions = self.store.customer_ticket_versions(customer_id, exclude)
        return self.facts_of(customer_id, at, exclude, versions)

    def facts_of(
        self, customer_id: str, at: datetime, exclude: str, versions: dict[str, Version]
    ) -> CustomerFacts:
        """The customer's facts from their other tickets at these versions (or newer). The tickets whose
        version the cached history lacks are read after the versions: if an event lands in between, the
        summary is newer than its version and the next request reads the ticket again — never older."""
        if not versions:
            return CustomerFacts()
        with self._lock:
            checked = self._histories.get(customer_id)
            stale = _stale(checked, versions)
            if checked is not None and not stale:
                return checked.history.facts(at, exclude)
        kept = _Held(CustomerHistory(), {})  # the history, should the cache not hold it (over its budget)
        while True:
            fresh = [summarise(ticket, events) for ticket, events in self.store.tickets_with_events(stale)]
            gone = set(stale) - {s.ticket_id for s in fresh}
            if gone:  # deleted since the versions were read: not the customer's any more
                versions = {t: v for t, v in versions.items() if t not in gone}
            with self._lock:
                # another request may have updated, replaced or dropped it meanwhile
                held = kept = self._histories.peek(customer_id) or kept
                for summary in fresh:
                    held.put(summary, versions[summary.ticket_id])
                self._histories.put(customer_id, held)  # its size again
                # the history checked before lacked the tickets just read only: the rest need no new check
                among = versions if held is not checked else {t: versions[t] for t in stale if t in versions}
                stale, checked = _stale(held, among), held
                if not stale:
                    return held.history.facts(at, exclude)

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
