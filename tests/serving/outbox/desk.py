"""A service that writes back to one fake helpdesk, and the outbox worker that delivers what it enqueues: the
write-back tests' stage (tests/serving/outbox/test_writeback*.py), with their tickets and messages."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from core.settings import Settings
from core.tickets import Event, Ticket
from helpdesks.writeback import HelpdeskClient, clients_from
from rules import parse_policies
from serving.outbox import OutboxWorker, sinks_from
from serving.outbox.writeback import writeback_sinks
from serving.service import Service
from serving.store import Database, Store
from serving.store.tables import DeliveryRow
from tests.serving.conftest import RULES_ONLY_POLICY

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
OUTBOX = {"log": True, "max_attempts": 6, "backoff_base_s": 10, "backoff_max_s": 60}


def wb(refs: list[str]) -> list[str]:
    """The write-backs among a worker pass's refs (the log sink delivers the actions and alerts)."""
    return [r for r in refs if r.startswith("writeback:")]


class Desk:
    """A service with write-back to one fake helpdesk, and the outbox worker that delivers it."""

    def __init__(self, url: str, models_dir: Path, writeback: dict[str, object], **outbox: object) -> None:
        self.settings = Settings.model_validate({
            "database_url": url, "paths": {"models_dir": models_dir}, "serving": {"sentiment": False},
            "writeback": writeback, "outbox": {**OUTBOX, **outbox}})
        self.db = Database(url)
        self.service = Service(self.settings, Store(self.db), parse_policies(RULES_ONLY_POLICY), None)
        self.clients: dict[str, HelpdeskClient] = clients_from(self.settings.writeback)
        self.http = httpx.Client(timeout=5)
        sinks = [*sinks_from(self.settings.outbox, self.http),
                 *writeback_sinks(self.settings.writeback, self.clients, self.db)]
        self.worker = OutboxWorker(self.db, sinks, self.settings.outbox, rng=random.Random(3))

    def close(self) -> None:
        for client in self.clients.values():
            client.close()
        self.http.close()
        self.db.dispose()

    def writebacks(self) -> list[DeliveryRow]:
        with self.db.session() as s:
            return list(s.execute(select(DeliveryRow).where(DeliveryRow.kind == "writeback")
                                  .order_by(DeliveryRow.id)).scalars())


def ticket(ticket_id: str) -> Ticket:
    return Ticket.model_validate({
        "ticket_id": ticket_id, "created_at": T0.isoformat(), "channel": "email", "priority": "normal",
        "customer_id": "C-1", "customer_tier": "gold", "product": "p", "category": "c", "team": "billing",
        "language": "en", "assignee": "agent-1"})


def message(ticket_id: str, n: int, minutes: float, body: str) -> Event:
    return Event.model_validate({
        "event_id": f"{ticket_id}-e{n}", "ticket_id": ticket_id,
        "at": (T0 + timedelta(minutes=minutes)).isoformat(), "type": "customer_message",
        "author_role": "customer", "body": body})


FIRST = "Hello, where is my invoice for April?"
ANGRY = "Third time I write! I want a manager."  # an hour later: the first reply is overdue
