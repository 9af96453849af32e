"""The next step's "due in" on the board and the ticket page counts from the page's clock (the app's), not
from the assessment's instant: the same assessment viewed 30 min later says 30 min less, and "overdue by"
once its deadline has passed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.tickets import Event, Ticket
from rules import parse_policies
from serving.app import create_app
from serving.assess.assessment import Scorers
from tests.serving.conftest import quiet_settings
from tests.serving.dashboard.conftest import MANAGER_KEY, _ticket

POLICY = """
calendars:
  always:
    timezone: UTC
    hours: 24/7
policies:
  - name: test
    calendar: always
    targets:
      first_response: {urgent: 1h, high: 1h, normal: 1h, low: 1h}
      resolution: {urgent: 1d, high: 1d, normal: 1d, low: 1d}
    reminders:
      - {before: 45m, targets: [first_response]}
    escalation:
      first_response:
        - {after: 30m, to: team_lead}
"""
CREATED = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
ASSESSED = CREATED + timedelta(minutes=20)  # its latest event: the first reply is due at 10:00, in 40 min
TICKET = "CLOCK-1"


class Clock:
    """The app's clock, set by the test."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def viewed(tmp_path: Path) -> Iterator[tuple[TestClient, Clock]]:
    # no page reuse: the clock moves between two reads a moment apart
    settings = quiet_settings(tmp_path, serving={"early_warning_cache_s": 0})
    clock = Clock(ASSESSED)
    app = create_app(settings, clock=clock)
    with TestClient(app, follow_redirects=False, base_url="http://localhost") as client:
        service = app.state.service
        service.scorers = Scorers(parse_policies(POLICY), service.scorers.analyser, None)
        events = [Event.model_validate({
            "event_id": f"{TICKET}-{i}", "ticket_id": TICKET, "at": at.isoformat(),
            "type": "customer_message", "author_role": "customer", "body": "Where is my parcel?",
        }) for i, at in enumerate((CREATED, ASSESSED))]
        ticket = Ticket.model_validate(_ticket("logistics", "gold", CREATED, ticket_id=TICKET))
        assessed = service.ingest(TICKET, ticket, events)
        assert assessed.assessed_at == ASSESSED and assessed.recommended_action.kind == "reminder"
        assert client.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        yield client, clock


def next_steps(client: TestClient) -> tuple[str, str]:
    """The next step as the ticket page and the board say it."""
    page = unescape(client.get(f"/dashboard/tickets/{TICKET}").text)
    found = re.search(r'<p class="action" id="next-step"><strong>[^<]*</strong> ([^<]*)</p>', page)
    assert found is not None
    [row] = client.get("/dashboard/board.json").json()["rows"]
    return found.group(1), row["action"]


def test_the_same_assessment_viewed_later_says_less_time_left(viewed: tuple[TestClient, Clock]) -> None:
    client, clock = viewed
    assert next_steps(client) == ("Remind agent-3 (assignee) — first reply due in 40 min",) * 2
    clock.at = ASSESSED + timedelta(minutes=30)
    assert next_steps(client) == ("Remind agent-3 (assignee) — first reply due in 10 min",) * 2


def test_a_deadline_past_by_the_pages_clock_reads_overdue(viewed: tuple[TestClient, Clock]) -> None:
    client, clock = viewed
    clock.at = ASSESSED + timedelta(minutes=40, seconds=20)
    assert next_steps(client)[0] == "Remind agent-3 (assignee) — first reply overdue since just now"
    clock.at = ASSESSED + timedelta(minutes=55)
    assert next_steps(client) == ("Remind agent-3 (assignee) — first reply overdue by 15 min",) * 2
    client.headers["Accept-Language"] = "de"
    assert next_steps(client)[0] == "Erinnern: agent-3 (Bearbeiter) — Erstantwort seit 15 Min. überfällig"


def test_snoozes_and_the_list_read_the_same_clock(viewed: tuple[TestClient, Clock]) -> None:
    """A snooze set through the API ends when the app's clock passes it, as the list reads that clock: no
    wall-clock instant mixes in (the app here lives in November 2026)."""
    client, clock = viewed
    manager = {"X-API-Key": MANAGER_KEY}
    until = ASSESSED + timedelta(hours=1)
    set_aside = client.post(f"/v1/tickets/{TICKET}/snooze", json={"until": until.isoformat()},
                            headers=manager)
    assert set_aside.status_code == 201, set_aside.text
    [item] = client.get("/v1/early-warning", headers=manager).json()["items"]
    assert item["snoozed_until"] is not None
    # the ticket's page and GET /v1/tickets/{id} read the same clock (they read the wall clock's December)
    assert 'id="snoozed"' in client.get(f"/dashboard/tickets/{TICKET}").text
    assert client.get(f"/v1/tickets/{TICKET}", headers=manager).json()["snooze"] is not None
    clock.at = until + timedelta(minutes=1)
    assert 'id="snoozed"' not in client.get(f"/dashboard/tickets/{TICKET}").text
    [item] = client.get("/v1/early-warning", headers=manager).json()["items"]
    assert item["snoozed_until"] is None
    [ended] = client.get(f"/v1/tickets/{TICKET}/snoozes", headers=manager).json()["snoozes"]
    assert ended["end_reason"] == "time_passed"
