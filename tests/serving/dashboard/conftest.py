"""Dashboard fixtures: its own server (the board ranks every open ticket, so no other test's tickets) seeded
with open tickets dated relative to now, and a headless Chromium driven over the DevTools protocol."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from tests.serving.conftest import Server, start_server
from tests.serving.dashboard.browser import Chromium, Page

INTEGRATION = {"X-API-Key": "dev-integration-key"}
MANAGER_KEY = "dev-manager-key"
HOT = "DB-HOT"  # the seeded ticket that must lead the board
HELPDESK = "https://helpdesk.example/agent/tickets/{ticket_id}"  # the team's helpdesk (never called)


def _ticket(team: str, tier: str, created: datetime, **changes: Any) -> dict[str, Any]:
    return {
        "created_at": created.isoformat(),
        "channel": "email",
        "priority": "normal",
        "customer_id": "C-D",
        "customer_tier": tier,
        "customer_value": 5000.0,
        "product": "invoicing",
        "category": "billing_payment",
        "team": team,
        "language": "en",
        "subject": "Dashboard test",
        "assignee": "agent-3",
    } | changes


def seed(server: Server) -> None:
    now = datetime.now(UTC)
    hot_start = now - timedelta(days=7)  # a week: breached on any weekday (3 days: not over a weekend)
    hot_messages = [
        "I was charged twice for my subscription, please refund.",
        "Still no answer. This is the third time I write about the double charge.",
        "This is unacceptable. I want to speak to a manager now or I will cancel and tell everyone!",
    ]
    tickets = {
        HOT: (
            _ticket("billing", "gold", hot_start, priority="high", subject="Charged twice"),
            # the last a day ago: by then a week's unanswered first reply has climbed to level 2
            [(hot_start + timedelta(days=3 * i), text) for i, text in enumerate(hot_messages)],
        ),
        "DB-CALM": (
            _ticket("logistics", "standard", now - timedelta(minutes=20), channel="web"),
            [(now - timedelta(minutes=20), "Could you tell me when my parcel ships? Thanks!")],
        ),
        "DB-MID": (
            _ticket("logistics", "silver", now - timedelta(hours=5), channel="chat"),
            [(now - timedelta(hours=5), "My delivery is late, any news?")],
        ),
    }
    with server.client() as c:
        for ticket_id, (fields, messages) in tickets.items():
            events = [
                {
                    "event_id": f"{ticket_id}-{i}",
                    "at": at.isoformat(),
                    "type": "customer_message",
                    "author_role": "customer",
                    "body": text,
                }
                for i, (at, text) in enumerate(messages)
            ]
            r = c.post(
                f"/v1/tickets/{ticket_id}/events",
                headers=INTEGRATION,
                json={"ticket": fields, "events": events},
            )
            r.raise_for_status()


@pytest.fixture(scope="package")
def board_server(
    tmp_path_factory: pytest.TempPathFactory,
    models_dir: Path,
    sentiment_model: object,
    sentiment_settings: dict[str, object],
) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("dashboard") / "escalation.db"
    settings = Settings(
        database_url=f"sqlite:///{db}",
        paths={"models_dir": models_dir},
        sentiment=sentiment_settings,
        sweeper={"enabled": False},
        dashboard={"poll_s": 1, "helpdesk_ticket_url": HELPDESK},
    )
    for started in start_server(settings):
        seed(started)
        yield started


@pytest.fixture(scope="package")
def chromium_path() -> str:
    """Debian's Chromium. Missing: skip locally, but FAIL in CI (.ci/run installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if Settings().ci:
            pytest.fail("Chromium is not installed in CI; .ci/run should have installed the Debian package")
        pytest.skip(
            "Chromium is not installed (apt-get install -y chromium); the e2e dashboard tests need it"
        )
    return found


@pytest.fixture
def browser(chromium_path: str, tmp_path: Path) -> Iterator[Page]:
    chromium = Chromium(chromium_path, tmp_path / "profile")
    try:
        yield chromium.page
    finally:
        chromium.close()
