"""The store reads a ticket's events once: a later load reads only what is new, gives what a fresh store
reads (order, analyses), and notices a row it would have missed (a lower event number committed late) —
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from core.tickets import Event
from serving.store import Store
from serving.store.codec import event_payload
from serving.store.tables import EventRow
from serving.store.ticket_cache import CachedTicket
from tests.serving.store.test_repository import event, ticket

NOW = datetime(2026, 5, 4, 12, tzinfo=UTC)


def _validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    validate = Event.model_validate

    def counting(data: object, *args: object, **kwargs: object) -> Event:
        made = validate(data, *args, **kwargs)  # type: ignore[arg-type]
        seen.append(made.event_id)
        return made

    monkeypatch.setattr(Event, "model_validate", counting)
    return seen


def _fresh(cached: Store, ticket_id: str) -> tuple[list[str], dict[str, object]]:
    loaded = Store(cached.db).load(ticket_id)  # another store: no cache
    return [e.event_id for e in loaded.events], dict(loaded.texts)


def test_a_new_message_reads_only_the_new_event(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append("T-1", ticket(), [event(f"e{n}", at=f"2026-05-04T09:{n:02d}:00Z") for n in range(30)], NOW)
    store.load("T-1")
    new = event("e30", at="2026-05-04T09:45:00Z")
    seen = _validations(monkeypatch)
    store.append("T-1", None, [new], NOW)
    stored = store.load("T-1")
    assert seen == ["e30"]
    assert [e.event_id for e in stored.events] == [f"e{n}" for n in range(31)]


def test_cached_loads_equal_a_fresh_read(store: Store) -> None:
    store.append("T-1", ticket(), [event("a", at="2026-05-04T09:00:00Z")], NOW)
    store.load("T-1")
    # an event that arrives late but happened earlier goes in its place in time; analyses saved later appear
    store.append("T-1", None, [event("c", at="2026-05-04T09:30:00Z")], NOW)
    store.append("T-1", None, [event("b", at="2026-05-04T09:10:00Z")], NOW)
    store.save_analyses({"a": {"lang": "en", "sentiment": None, "signals": []}}, None)
    loaded = store.load("T-1")
    assert [e.event_id for e in loaded.events] == ["a", "b", "c"]
    assert (["a", "b", "c"], loaded.texts) == _fresh(store, "T-1")
    assert set(loaded.texts) == {"a"}


def test_a_lower_event_number_committed_late_is_not_missed(store: Store) -> None:
    store.append("T-1", ticket(), [event("a", at="2026-05-04T09:00:00Z")], NOW)
    # numbers as two writers can commit them: 1000 first (this store reads it), then 900
    _insert(store, 1000, event("late-high", at="2026-05-04T09:20:00Z"))
    assert [e.event_id for e in store.load("T-1").events] == ["a", "late-high"]
    _insert(store, 900, event("late-low", at="2026-05-04T09:10:00Z"))
    assert [e.event_id for e in store.load("T-1").events] == ["a", "late-low", "late-high"]
    assert _fresh(store, "T-1")[0] == ["a", "late-low", "late-high"]


def _insert(into: Store, seq: int, e: Event) -> None:
    with into.db.session() as s:
        s.execute(
            insert(EventRow.__table__).values(
                seq=seq, event_id=e.event_id, ticket_id="T-1", at=e.at, type=e.type.value,
                author_role=e.author_role.value, body=e.body, payload=event_payload(e), received_at=NOW,
            )
        )


def test_the_cache_is_bounded_by_bytes_not_by_tickets() -> None:
    from serving.store.ticket_cache import EMPTY, TicketCache

    def entry(events: int, body: str) -> CachedTicket:
        return EMPTY.with_events([(n, event(f"e{n}", body)) for n in range(1, events + 1)])

    short, long = entry(2, "Hi"), entry(200, "x" * 2_000)
    assert long.nbytes() > 100 * short.nbytes()  # the estimate grows with the events and their text
    cache = TicketCache(max_mb=long.nbytes() * 1.5 / 2**20)
    for n in range(50):
        cache.put(f"S-{n}", short)
    cache.put("L-1", long)
    cache.put("L-2", long)  # two long tickets do not fit: the older entries go first
    assert cache.get("L-1") == EMPTY and cache.get("L-2") is long
    assert cache._items.bytes <= long.nbytes() * 1.5


def test_the_byte_estimate_is_close_to_what_an_entry_holds() -> None:
    """The cache is capped by its estimate: far above the real size it would hold too few tickets, far below
    it would let the process grow past its budget. Measured on a ticket as the API stores them: twelve
    events, the customer messages analysed (read back from the store's JSON)."""
    import gc
    import json
    import tracemalloc

    from core.bounds import STORED
    from core.text import MessageAnalysis
    from serving.store.ticket_cache import EMPTY

    body = "Hi team, invoice 48213 shows the wrong amount, we were charged 412 EUR instead of 260. Thanks."
    analysis = json.dumps({
        "lang": "en",
        "sentiment": {"label": "negative", "scores": {"negative": 0.71, "neutral": 0.22, "positive": 0.07}},
        "signals": [{"name": "financial_harm", "evidence": "we were charged", "start": 47, "end": 62}],
    })
    payloads = [json.dumps(event_payload(event(f"T-{t}-e{n}", body))) for t in range(200) for n in range(12)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        entries = []
        for t in range(200):
            stored = [json.loads(p) for p in payloads[t * 12:(t + 1) * 12]]
            rows = [(n, Event.model_validate(p, context=STORED)) for n, p in enumerate(stored)]
            entry = EMPTY.with_events(rows)
            texts = {e.event_id: MessageAnalysis.from_dict(json.loads(analysis)) for _, e in rows[:9]}
            entries.append(entry.with_texts(texts))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    estimated = sum(e.nbytes() for e in entries)
    assert 0.8 * held <= estimated <= 1.5 * held, (held / len(entries), estimated / len(entries))
