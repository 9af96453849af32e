"""A ticket's history as the store reads it (serving/store/history.py), on SQLite and PostgreSQL: a page of
its events and a page of its assessments, each the `limit` latest after skipping the `offset` latest, read
with LIMIT/OFFSET — a ticket of 10,000 events is never read whole, nor sorted whole: its events are walked in
the index on (ticket, time, arrival), which a store made before it gets at start-up (migration 0011)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from core.enums import TicketStatus
from core.tickets import Event, Ticket
from serving.store import Database, Recording, Store, migrate
from serving.store.paging import Window
from tests.serving.store.test_repository import assessment, ticket

NOW = datetime(2026, 5, 4, 12, tzinfo=UTC)
START = datetime(2026, 5, 4, 9, tzinfo=UTC)


def event(n: int) -> Event:
    """Two events a minute (a tie in time is kept in the order the events arrived); every 1,000th a status
    change, to pending and back to open in turn."""
    fields: dict[str, Any] = {"type": "customer_message", "author_role": "customer", "body": f"message {n}"}
    if n % 1000 == 999:
        status = "pending" if n % 2000 == 999 else "open"
        fields = {"type": "status_change", "author_role": "agent", "status": status}
    at = START + timedelta(minutes=n // 2)
    return Event.model_validate({"event_id": f"e{n}", "ticket_id": "T-1", "at": at.isoformat(), **fields})


@pytest.fixture
def long_ticket(store: Store) -> list[str]:
    """A ticket of 10,000 events, the later half sent first (arrival order is not time order); its event ids
    in time order as the ticket's own view (the ticket cache's) orders them."""
    events = [event(n) for n in range(10_000)]
    store.append("T-1", ticket(), events[5_000:], NOW)
    store.append("T-1", None, events[:5_000], NOW)
    return [e.event_id for e in store.load("T-1").events]


def test_a_page_of_events_is_read_and_not_the_rest(
    store: Store, long_ticket: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    validate = Event.model_validate

    def counted(cls: type[Event], obj: Any, **kwargs: Any) -> Event:
        parsed.append(obj["event_id"])
        return validate(obj, **kwargs)

    monkeypatch.setattr(Event, "model_validate", classmethod(counted))
    reader = Store(store.db)  # another process's store: nothing of the ticket held in its cache
    history = reader.history("T-1", Window(2), Window(3, 5), Window(1))
    assert [e.event_id for e in history.events] == long_ticket[-8:-5]  # in time order
    assert history.events_total == 10_000
    # the page's three events and at most the status change before them: never the other 9,996
    assert set(long_ticket[-8:-5]) <= set(parsed) and len(parsed) <= 4
    assert history.status_before is TicketStatus.PENDING  # e8999, the last status change before e9992
    assert reader.tickets.get("T-1").count == 0  # nor put the ticket in the cache

    # the status before a page: its last status change before the page's first event
    def before(offset: int) -> TicketStatus:
        return store.history("T-1", Window(1), Window(10, offset), Window(1)).status_before

    assert before(9_990) is TicketStatus.NEW  # the oldest page: the ticket starts as new
    assert before(9_000) is TicketStatus.NEW  # e990..e999: its status change e999 is on the page
    assert before(8_990) is TicketStatus.PENDING  # e1000..: e999 (pending) came before
    assert before(7_990) is TicketStatus.OPEN  # e2000..: e1999 (open) came before
    older = store.history("T-1", Window(1), Window(10, 9_995), Window(1))
    assert [e.event_id for e in older.events] == long_ticket[:5]  # a short last page
    assert store.history("T-1", Window(1), Window(10, 10_000), Window(1)).events == []  # past the end: none


def test_the_latest_assessments_come_a_page_at_a_time(store: Store) -> None:
    store.append("T-1", ticket(), [event(n) for n in range(1, 5)], NOW)
    for n in range(1, 5):
        recording = Recording(assessment(), f"b{n}", n, {"status": "open"}, timedelta(hours=4), [], [])
        store.record("T-1", recording, NOW)
    first = store.history("T-1", Window(2), Window(10), Window(1))
    assert [a.assessment_id for a in first.assessments] == [3, 4]  # the latest two, in the order made
    assert first.assessments_total == 4 and first.latest is not None and first.latest.assessment_id == 4
    older = store.history("T-1", Window(2, 3), Window(10), Window(1))
    assert [a.assessment_id for a in older.assessments] == [1]
    assert older.latest is not None and older.latest.assessment_id == 4  # the ticket's, not the page's
    assert older.current.status == "open" and isinstance(older.ticket, Ticket)


def plan(store: Store, statement: str, parameters: Any) -> str:
    """The database's plan of a statement as it was sent, one step a line."""
    with store.db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return "\n".join(row.detail for row in rows)
        connection.exec_driver_sql("ANALYZE events")  # what autovacuum does on a real store
        return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))


def test_a_page_of_events_is_walked_in_the_index_and_not_sorted(store: Store, long_ticket: list[str]) -> None:
    """The page, and the status change before it, are each found by walking the ticket's events in the index
    on (ticket, time, arrival) from the latest: neither sorts the ticket's 10,000 events to pick a few."""
    sent: list[tuple[str, Any]] = []

    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    sa.event.listen(store.db.engine, "before_cursor_execute", keep)
    try:
        history = Store(store.db).history("T-1", Window(2), Window(3, 5), Window(1))
    finally:
        sa.event.remove(store.db.engine, "before_cursor_execute", keep)
    assert history.status_before is TicketStatus.PENDING  # so the status change's query ran
    ordered = [(s, p) for s, p in sent if "ORDER BY events.at DESC, events.seq DESC" in s]
    assert len(ordered) == 2  # the page and the status change before it
    for statement, parameters in ordered:
        steps = plan(store, statement, parameters)
        assert "ix_events_ticket_at_seq" in steps, steps
        assert "Sort" not in steps and "TEMP B-TREE" not in steps, steps  # PostgreSQL's, SQLite's sort


def test_a_store_made_before_the_index_gets_it_at_start_up_with_its_events(url: str) -> None:
    migrate(url, "0010")  # the store as the release before left it
    database = Database(url)
    try:
        Store(database).append("T-1", ticket(), [event(n) for n in range(3)], NOW)
        migrate(url)
        indexes = {i["name"]: i["column_names"] for i in sa.inspect(database.engine).get_indexes("events")}
        assert indexes["ix_events_ticket_at_seq"] == ["ticket_id", "at", "seq"]
        assert [e.event_id for e in Store(database).load("T-1").events] == ["e0", "e1", "e2"]
    finally:
        database.dispose()
