"""`TicketCache`: each recently active ticket's events (parsed) and message analyses, kept between requests,
so that a new message reads and validates its own events only — not the ticket's whole log again. Without it
a request cost ~0.035 ms more for every event already on the ticket (a 400-event ticket: 17.5 ms instead of
5; measured in process, docs/api.md), and long tickets are the ones that escalate.

Safe because what it holds never changes: events and analyses are append-only and immutable (one content per
id). It can only miss rows, and it notices: an entry remembers how many events it holds, and a load whose
count does not add up (an event committed late with a lower number, by another process) reads the ticket
whole again."""

from __future__ import annotations

import threading
from bisect import insort
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from core.enums import EventType
from core.lru import Lru
from core.text import MessageAnalysis
from core.tickets import Event

MB = 2**20
# Estimated bytes of one parsed event (a pydantic model, its datetime, the tuple that holds it) and of one
# analysis (language, sentiment scores, a signal, its place in the dict), besides the text itself; measured
# with tracemalloc on a ticket of twelve events as the API stores them, 18.0 KB in all
# (tests/serving/store/test_ticket_cache.py keeps the estimate within 0.8-1.5x of what an entry holds).
# They were 1,600 and 1,800 before events shared their set of given field names (core/tickets.py): a
# twice too high estimate, so the cache held half the memory its budget said.
EVENT_BYTES = 850
ANALYSIS_BYTES = 700


@dataclass(frozen=True, slots=True)
class CachedTicket:
    newest_seq: int  # the highest event number held
    count: int  # events held
    events: tuple[tuple[datetime, int, Event], ...]  # (at, seq, event), in time order (ties: arrival)
    texts: dict[str, MessageAnalysis]  # analyses held (parsed once, when read or written), by event id

    def with_events(self, rows: list[tuple[int, Event]]) -> CachedTicket:
        events = list(self.events)
        for seq, event in rows:
            insort(events, (event.at, seq, event), key=lambda item: (item[0], item[1]))
        newest = max([self.newest_seq, *(seq for seq, _ in rows)])
        return CachedTicket(newest, self.count + len(rows), tuple(events), self.texts)

    def with_texts(self, texts: Mapping[str, MessageAnalysis]) -> CachedTicket:
        if not texts:
            return self
        return CachedTicket(self.newest_seq, self.count, self.events, {**self.texts, **texts})

    def nbytes(self) -> int:
        """Estimated memory of the entry: what the byte-capped cache counts."""
        texts = sum(len(e.body or "") for _, _, e in self.events)
        return len(self.events) * EVENT_BYTES + len(self.texts) * ANALYSIS_BYTES + 2 * texts

    def unanalysed(self) -> list[str]:
        """Customer messages with a body and no analysis held: the only ones whose analysis may be new."""
        return [
            e.event_id for _, _, e in self.events
            if e.type is EventType.CUSTOMER_MESSAGE and e.body and e.event_id not in self.texts
        ]


EMPTY = CachedTicket(0, 0, (), {})


class TicketCache:
    def __init__(self, max_mb: float = 64.0) -> None:
        self._items: Lru[str, CachedTicket] = Lru(int(max_mb * MB), CachedTicket.nbytes)
        self._lock = threading.Lock()  # requests run in a thread pool

    @property
    def lru(self) -> Lru[str, CachedTicket]:
        """The held tickets, with their counts (for /metrics)."""
        return self._items

    def get(self, ticket_id: str) -> CachedTicket:
        with self._lock:
            return self._items.get(ticket_id) or EMPTY

    def forget(self, ticket_id: str) -> None:
        with self._lock:
            self._items.pop(ticket_id)

    def put(self, ticket_id: str, entry: CachedTicket) -> None:
        with self._lock:
            held = self._items.peek(ticket_id)
            if held is None or held.count <= entry.count:  # else a concurrent request stored a newer view
                self._items.put(ticket_id, entry)
