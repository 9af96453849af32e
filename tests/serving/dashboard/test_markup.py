"""Markup in what customers, integrations and managers send is shown as text on every page, never run: a
ticket whose subject, team, assignee, tier and messages are HTML, and a root cause whose team and note are,
rendered by the board, its polled rows, the ticket page and the KPI page of a real server."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from markupsafe import escape

from tests.serving.conftest import Server, quiet_settings, start_server
from tests.serving.dashboard.conftest import INTEGRATION, MANAGER_KEY


def marked(field: str) -> str:
    """A text that would run a script if a page took it as HTML; `field` tells which one leaked."""
    return f'<script>alert("{field}")</script><img src=x onerror="alert(\'{field}\')">'


TICKET = "XSS-1"
FIELDS = ("subject", "team", "assignee", "customer_tier", "body", "reason", "owning_team", "note")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    for started in start_server(quiet_settings(tmp_path_factory.mktemp("markup"))):
        created = datetime.now(UTC) - timedelta(days=7)
        ticket = {"created_at": created.isoformat(), "channel": "email", "priority": "high",
                  "customer_id": "C-X", "customer_tier": marked("customer_tier"), "product": "invoicing",
                  "category": "billing_payment", "team": marked("team"), "language": "en",
                  "subject": marked("subject"), "assignee": marked("assignee")}
        escalated = (created + timedelta(hours=1)).isoformat()
        events = [{"event_id": "XSS-1-0", "at": created.isoformat(), "type": "customer_message",
                   "author_role": "customer", "body": marked("body")},
                  {"event_id": "XSS-1-1", "at": escalated, "type": "escalation", "author_role": "agent",
                   "level": 1, "escalation_type": "hierarchical", "reason": marked("reason")}]
        with started.client() as c:
            r = c.post(f"/v1/tickets/{TICKET}/events", headers=INTEGRATION,
                       json={"ticket": ticket, "events": events})
            assert r.status_code == 200, r.text
        yield started


@pytest.fixture
def manager(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        assert c.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        yield c


def escaped_in(text: str, value: str) -> bool:
    """Whether `value` is in `text` as Jinja escapes it (&lt; &#34; &#39;) or the SVG charts do."""
    return str(escape(value)) in text or html.escape(value) in text


def test_every_text_is_escaped_on_every_page(manager: httpx.Client) -> None:
    r = manager.post(f"/dashboard/tickets/{TICKET}/root-cause", data={
        "cause": "other", "owning_team": marked("owning_team"), "note": marked("note")})
    assert r.status_code == 303 and "cause_recorded=" in r.headers["location"], r.headers.get("location")
    paths = ("/dashboard", f"/dashboard/tickets/{TICKET}", "/dashboard/kpis")
    pages = {path: manager.get(path) for path in paths}
    pages["rows_html"] = manager.get("/dashboard/board.json")
    shown: dict[str, set[str]] = {}
    for name, r in pages.items():
        assert r.status_code == 200, (name, r.text[:300])
        text = r.json()["rows_html"] if name == "rows_html" else r.text
        assert "<script>alert(" not in text and "<img src=x" not in text, name
        shown[name] = {f for f in FIELDS if escaped_in(text, marked(f))}
    # each text reached a page, so its escaping was seen: not a page that left it out
    on_ticket = {"subject", "team", "assignee", "body", "owning_team", "note"}  # tier, reason: not shown
    assert shown[f"/dashboard/tickets/{TICKET}"] >= on_ticket, shown
    assert {"team", "assignee"} <= shown["/dashboard"] and {"team", "assignee"} <= shown["rows_html"], shown
    assert "owning_team" in shown["/dashboard/kpis"], shown


def test_a_reflected_message_in_a_link_is_text(manager: httpx.Client) -> None:
    """The ticket page shows the root-cause form's refusal from its link (`cause_error`): a crafted link's
    markup stays text."""
    r = manager.get(f"/dashboard/tickets/{TICKET}", params={"cause_error": marked("cause_error"),
                                                           "verdict": marked("verdict")})
    assert r.status_code == 200 and "<script>alert(" not in r.text and "<img src=x" not in r.text
    assert escaped_in(r.text, marked("cause_error"))
