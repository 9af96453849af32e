"""Customer facts from the store equal the training code's (a HistoryContext over the whole history) at every
instant, and the per-customer context is reused until the customer's other tickets change — on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from core.tickets import Event
from features.ticket import HistoryContext
from serving.store import Database, Store, migrate
from serving.store.context import StoreContext
from tests.features.ticket.ticket_history import at, pairs

NOW = datetime(2026, 6, 11, tzinfo=UTC)
INSTANTS = ["06-05 14:00", "06-05 15:30", "06-08 20:00", "06-09 13:30", "06-09 14:10", "06-10 09:30"]


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    migrate(url)
    database = Database(url)
    stored = Store(database)
    for tid, (ticket, events) in pairs().items():
        stored.append(tid, ticket, events, NOW)
    yield stored
    database.dispose()


@pytest.mark.parametrize("when", INSTANTS)
def test_store_facts_equal_the_training_context(store: Store, when: str) -> None:
    training = HistoryContext(pairs().values())
    serving = StoreContext(store)
    for exclude in ("T-NO", "T-EN", "T-NEW"):
        assert serving.customer_facts("C-1", at(when), exclude) == training.customer_facts(
            "C-1", at(when), exclude
        ), (when, exclude)


def test_the_context_is_rebuilt_only_when_the_customers_other_tickets_change(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    history = store.customer_history
    monkeypatch.setattr(store, "customer_history", lambda c, x: reads.append(x) or history(c, x))
    context = StoreContext(store)
    first = context.customer_facts("C-1", at("06-10 12:00"), "T-NO")
    assert context.customer_facts("C-1", at("06-10 12:00"), "T-NO") == first
    assert reads == ["T-NO"]  # the second call reused the context
    # a message on the ticket itself does not touch its customer's *other* tickets: still reused
    store.append("T-NO", None, [_event("c3", "T-NO", "06-10 11:00", "customer_message")], NOW)
    context.customer_facts("C-1", at("06-10 12:00"), "T-NO")
    assert reads == ["T-NO"]
    # the customer's other ticket is reopened: rebuilt, and the facts say so
    store.append("T-EN", None, [_event("a12", "T-EN", "06-10 11:30", "status_change", status="open")], NOW)
    after = context.customer_facts("C-1", at("06-10 12:00"), "T-NO")
    assert reads == ["T-NO", "T-NO"]
    assert (first.open_tickets, after.open_tickets) == (0, 1)
    assert context.customer_facts("C-404", at("06-10 12:00"), "X").tickets == 0  # no history: no read
    assert reads == ["T-NO", "T-NO"]


def _event(eid: str, tid: str, when: str, kind: str, **fields: object) -> Event:
    role = "customer" if kind == "customer_message" else "agent"
    body = {"body": "Any news?"} if kind == "customer_message" else {}
    return Event.model_validate(
        {"event_id": eid, "ticket_id": tid, "at": at(when).isoformat(), "type": kind, "author_role": role,
         **body, **fields}
    )
