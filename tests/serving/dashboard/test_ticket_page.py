"""The ticket page of a ticket with no assessment recorded (stored before the store recorded both in one
transaction, or whose only assessment is being retried) shows its messages and says so — never a 500."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from core.tickets import Event, Ticket
from serving.store import Database, Store
from tests.serving.conftest import Server
from tests.serving.dashboard.conftest import MANAGER_KEY, _ticket


def test_a_ticket_without_an_assessment_has_a_page(board_server: Server) -> None:
    database = Database(board_server.settings.database_url)
    try:
        fields = _ticket("billing", "gold", datetime(2026, 5, 4, 9, tzinfo=UTC), ticket_id="DB-UNASSESSED")
        event = Event.model_validate({
            "event_id": "DB-UNASSESSED-e1", "ticket_id": "DB-UNASSESSED", "at": "2026-05-04T09:00:00Z",
            "type": "customer_message", "author_role": "customer", "body": "Nobody has answered me yet."})
        Store(database).append("DB-UNASSESSED", Ticket.model_validate(fields), [event], datetime.now(UTC))
    finally:
        database.dispose()
    with httpx.Client(base_url=board_server.url, timeout=30) as c:
        assert c.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        r = c.get("/dashboard/tickets/DB-UNASSESSED")
    assert r.status_code == 200
    assert 'id="not-assessed"' in r.text and "Nobody has answered me yet." in r.text
