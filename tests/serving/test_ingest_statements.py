"""What one new message costs the database: the SQL statements and commits of `Service.ingest`, bounded, on
SQLite and PostgreSQL. A regression guard on counts, not on time: a change that adds a round trip to every
message fails here. And the ticket cache that makes the count low answers as the tables do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from core.settings import Settings
from core.tickets import Event, Ticket
from rules import DEFAULT_POLICY_FILE, load_policies
from serving.service import Service
from serving.store import Database, Store, migrate

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
# A message on a known ticket, with the model loaded: the ticket and its event count (1), the customer's
# other tickets with the assignee's load (1) for the features; then one transaction: the ticket's row lock
# (PostgreSQL only), the event, the analysis, the assessment and the ticket's state with its event count (4).
# Due actions, alerts and deliveries, and re-reading a customer's other ticket that changed, add a few.
READS, WRITES = 2, 4
SOMETIMES = 3


def ticket(ticket_id: str, customer: str = "C-1") -> Ticket:
    return Ticket.model_validate({
        "ticket_id": ticket_id, "created_at": START, "channel": "email", "priority": "normal",
        "customer_id": customer, "customer_tier": "gold", "product": "portal", "category": "account_access",
        "team": "accounts", "language": "en", "assignee": "agent-1", "subject": "Cannot log in",
    })


def message(ticket_id: str, i: int, customer: bool = True) -> Event:
    return Event.model_validate({
        "event_id": f"{ticket_id}-e{i}", "ticket_id": ticket_id, "at": START + timedelta(minutes=7 * i),
        "type": "customer_message" if customer else "agent_reply",
        "author_role": "customer" if customer else "agent",
        "body": f"Message {i}: the reset link never arrives, please help." if customer else "We are on it.",
    })


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.commits = 0

    def reset(self) -> None:
        self.statements, self.commits = [], 0


@pytest.fixture
def counted(url: str, models_dir: Path) -> Iterator[tuple[Service, Counter]]:
    """A service with the model loaded (phrase analysis, no sentiment encoder: it sends no SQL) and a count of
    every statement and commit its engine sends."""
    migrate(url)
    settings = Settings.model_validate({"database_url": url, "paths": {"models_dir": models_dir},
                                        "serving": {"sentiment": False}})
    database = Database(url)
    counter = Counter()

    def statement(_c: Any, _cursor: Any, sql: str, *_: Any) -> None:
        counter.statements.append(sql)

    def commit(_c: Any) -> None:
        counter.commits += 1

    event.listen(database.engine, "before_cursor_execute", statement)
    event.listen(database.engine, "commit", commit)
    service = Service(settings, Store(database), load_policies(DEFAULT_POLICY_FILE), None)
    assert service.scorers.model is not None  # the features' reads are part of what is counted
    yield service, counter
    database.dispose()


def test_a_message_on_a_known_ticket_is_a_few_statements_and_one_commit(
    counted: tuple[Service, Counter],
) -> None:
    service, counter = counted
    service.ingest("S-1", ticket("S-1"), [message("S-1", 0)])
    service.ingest("S-2", ticket("S-2"), [message("S-2", 0)])  # the customer has another ticket
    dialect = service.store.db.engine.dialect.name
    lock = 0 if dialect == "sqlite" else 1
    counts = []
    for i in range(1, 9):
        counter.reset()
        service.ingest("S-1", None, [message("S-1", i, customer=i % 3 != 0)])
        counts.append(len(counter.statements))
        assert counter.commits == 1, counter.statements  # the reads commit nothing; one write transaction
    typical = sorted(counts)[len(counts) // 2]
    assert typical <= READS + WRITES + lock, (counts, counter.statements)
    assert max(counts) <= READS + WRITES + lock + SOMETIMES, counts


def test_the_cached_view_is_the_stored_one(counted: tuple[Service, Counter], url: str) -> None:
    """After messages written through the ticket cache, the ticket as the cache holds it is the ticket as a
    store with an empty cache reads it from the tables: the same events in the same order, the same
    analyses."""
    service, _ = counted
    service.ingest("S-1", ticket("S-1"), [message("S-1", 0)])
    for i in range(1, 6):
        service.ingest("S-1", None, [message("S-1", i, customer=i != 3)])
    cached = service.store.load("S-1")
    other = Database(url)
    try:
        fresh = Store(other).load("S-1")
    finally:
        other.dispose()
    assert [e.event_id for e in cached.events] == [e.event_id for e in fresh.events]
    assert cached.events == fresh.events
    assert cached.texts == fresh.texts
    assert (cached.ticket, cached.band) == (fresh.ticket, fresh.band)
