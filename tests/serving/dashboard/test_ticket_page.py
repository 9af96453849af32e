"""The ticket page of a ticket with no assessment recorded (stored before the store recorded both in one
transaction, or whose only assessment is being retried) shows its messages and says so — never a 500; the
ticket page of a ticket of more assessments and events than a page links to the older and newer ones, and of
more alerts than a page says how many it shows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.tickets import Event, Ticket
from serving.store import AlertCandidate, Database, Recording, Store
from serving.wording.labels import label
from tests.serving.conftest import Server, quiet_settings, start_server
from tests.serving.dashboard.browser import Page as BrowserPage
from tests.serving.dashboard.conftest import MANAGER_KEY, _ticket
from tests.serving.dashboard.test_browser import ARTIFACTS, log_in
from tests.serving.store.test_repository import assessment

START = datetime(2026, 5, 4, 9, tzinfo=UTC)
INTEGRATION = "dev-integration-key"


@pytest.fixture
def unshared_server(tmp_path: Path) -> Iterator[Server]:
    """A server of the test's own: a ticket stored on the dashboard's shared server would be on its board and
    in its KPIs for every test after, which count its seeded tickets."""
    yield from start_server(quiet_settings(tmp_path))


def test_a_ticket_without_an_assessment_has_a_page(unshared_server: Server) -> None:
    database = Database(unshared_server.settings.database_url)
    try:
        fields = _ticket("billing", "gold", datetime(2026, 5, 4, 9, tzinfo=UTC), ticket_id="DB-UNASSESSED")
        event = Event.model_validate({
            "event_id": "DB-UNASSESSED-e1", "ticket_id": "DB-UNASSESSED", "at": "2026-05-04T09:00:00Z",
            "type": "customer_message", "author_role": "customer", "body": "Nobody has answered me yet."})
        Store(database).append("DB-UNASSESSED", Ticket.model_validate(fields), [event], datetime.now(UTC))
    finally:
        database.dispose()
    with logged_in(unshared_server) as c:
        r = c.get("/dashboard/tickets/DB-UNASSESSED")
    assert r.status_code == 200
    assert 'id="not-assessed"' in r.text and "Nobody has answered me yet." in r.text



def raise_alert(store: Store, tid: str, n: int) -> None:
    """An assessment of the ticket `n` hours after START, with its own alert (its own dedup key)."""
    at = START + timedelta(hours=n)
    alert = AlertCandidate(f"risk:{tid}:{n}", "risk", "high", 0.7, "entered high")
    store.record(tid, Recording(assessment(tid, "high", 0.7, at), f"basis-{n}", 1, {"status": "open"},
                                timedelta(0), alerts=[alert]), at)


def test_a_ticket_of_more_alerts_than_a_page_says_how_many_it_shows(tmp_path: Path) -> None:
    """The page shows the latest page of alerts (serving.max_page_size): it says so, as for events."""
    tid, shown = "DB-ALERTS", 'id="alerts-shown"'
    for server in start_server(quiet_settings(tmp_path, serving={"max_page_size": 3})):
        database = Database(server.settings.database_url)
        store = Store(database)
        event = Event.model_validate({"event_id": f"{tid}-e1", "ticket_id": tid, "at": START.isoformat(),
                                      "type": "customer_message", "author_role": "customer",
                                      "body": "Hello?"})
        ticket = Ticket.model_validate(_ticket("billing", "gold", START, ticket_id=tid))
        store.append(tid, ticket, [event], START)
        try:
            for n in range(3):
                raise_alert(store, tid, n)
            with logged_in(server) as c:
                assert shown not in c.get(f"/dashboard/tickets/{tid}").text  # all of them: nothing to say
            raise_alert(store, tid, 3)
            for lang in ("en", "de", "no"):
                with logged_in(server, lang) as c:
                    html = c.get(f"/dashboard/tickets/{tid}").text
                said = label("alerts_latest", lang, shown=3, total=4)
                assert f'<p class="muted" {shown}>{said}</p>' in html, lang
        finally:
            database.dispose()

# --- a ticket of more assessments and events than a page: links to the older and newer ones -----------------
PAGED = "DB-PAGED"
BODIES = ["First: I was charged twice.", "Second: still waiting.", "Third: anyone there?"]


def paged_event(n: int) -> dict[str, Any]:
    """e0, e2, e4: customer messages; e1 puts the ticket on pending, e3 back to open."""
    at = (START + timedelta(minutes=10 * n)).isoformat()
    if n % 2:
        return {"event_id": f"{PAGED}-e{n}", "at": at, "type": "status_change", "author_role": "agent",
                "status": "pending" if n == 1 else "open"}
    return {"event_id": f"{PAGED}-e{n}", "at": at, "type": "customer_message", "author_role": "customer",
            "body": BODIES[n // 2]}


@pytest.fixture(scope="module")
def paged_server(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Server]:
    """A server whose pages hold 3 items, with a ticket of 5 events sent one at a time (5 assessments)."""
    tmp = tmp_path_factory.mktemp("paged")
    settings = quiet_settings(tmp, paths={"models_dir": models_dir}, serving={"max_page_size": 3})
    for server in start_server(settings):
        with server.client() as c:
            for n in range(5):
                body: dict[str, Any] = {"events": [paged_event(n)]}
                if n == 0:
                    body["ticket"] = _ticket("billing", "gold", START, ticket_id=PAGED)
                r = c.post(f"/v1/tickets/{PAGED}/events", json=body, headers={"X-API-Key": INTEGRATION})
                assert r.status_code == 200, r.text
        yield server


@contextmanager
def logged_in(server: Server, lang: str = "en") -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30, headers={"Accept-Language": lang}) as client:
        assert client.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        yield client


def link(html: str, name: str) -> str | None:
    """The href of the page's link `name` (older-assessments, newer-events …); None: the page has none."""
    found = re.search(rf'<a [^>]*id="{name}"[^>]*href="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


def plotted(html: str) -> int:
    """How many assessments the risk plot draws."""
    return len(re.findall(r'<circle class="risk"', html))


def test_the_ticket_page_links_to_older_and_newer_assessments(paged_server: Server) -> None:
    with logged_in(paged_server) as c:
        first = c.get(f"/dashboard/tickets/{PAGED}").text
        assert plotted(first) == 3 and "the latest 3 of 5 assessments" in first
        assert link(first, "newer-assessments") is None
        older_href = link(first, "older-assessments")
        assert older_href == f"/dashboard/tickets/{PAGED}?offset=3"
        older = c.get(older_href)
        assert older.status_code == 200
        assert plotted(older.text) == 2 and "2 of 5 assessments, older than the 3 latest" in older.text
        assert link(older.text, "older-assessments") is None
        assert link(older.text, "newer-assessments") == f"/dashboard/tickets/{PAGED}"
        # the summary is the ticket's latest assessment on every page, not the page's last
        risk = re.compile(r'<dd id="risk">.*?</dd>', re.S)
        assert risk.findall(older.text) == risk.findall(first)
        assert BODIES[2] in older.text  # its events are still the latest page


def test_the_ticket_page_links_to_older_and_newer_events(paged_server: Server) -> None:
    with logged_in(paged_server) as c:
        first = c.get(f"/dashboard/tickets/{PAGED}").text
        assert BODIES[2] in first and BODIES[1] in first and BODIES[0] not in first
        assert "The latest 3 of 5 events." in first
        # the page starts after e1 (pending): its status change e3 came from pending, not from new
        assert re.search(r'class="status-change">pending → open<', first)
        older_href = link(first, "older-events")
        assert older_href == f"/dashboard/tickets/{PAGED}?events_offset=3"
        older = c.get(older_href).text
        assert BODIES[0] in older and BODIES[2] not in older
        assert "2 of 5 events, older than the 3 latest." in older
        assert link(older, "newer-events") == f"/dashboard/tickets/{PAGED}"
        assert plotted(older) == 3  # its assessments are still the latest page
        both = link(c.get(f"/dashboard/tickets/{PAGED}?offset=3").text, "older-events")
        assert both == f"/dashboard/tickets/{PAGED}?offset=3&events_offset=3"  # each keeps the other's page


def test_the_page_links_are_in_the_readers_language(paged_server: Server) -> None:
    for lang in ("de", "no"):
        with logged_in(paged_server, lang) as c:
            html = c.get(f"/dashboard/tickets/{PAGED}").text
        for name in ("older_assessments", "older_events"):
            assert f">{label(name, lang)}</a>" in html, (lang, name)
        assert label("older_events", lang) != label("older_events", "en")


def test_a_bad_page_offset_is_refused_naming_it(paged_server: Server) -> None:
    with logged_in(paged_server) as c:
        for query, name in (("offset=abc", "offset"), ("events_offset=-1", "events_offset"),
                            (f"offset={2**63}", "offset")):
            r = c.get(f"/dashboard/tickets/{PAGED}?{query}")
            assert r.status_code == 422 and f"{name}: " in r.text, query
        past = c.get(f"/dashboard/tickets/{PAGED}?offset=30&events_offset=30")  # past the end: the oldest
        assert past.status_code == 200 and plotted(past.text) == 2 and BODIES[0] in past.text
    with httpx.Client(base_url=paged_server.url, timeout=30) as anonymous:  # the manager's session only
        r = anonymous.get(f"/dashboard/tickets/{PAGED}?offset=3")
        assert r.status_code == 303 and r.headers["location"].startswith("/dashboard/login")


def test_a_manager_pages_through_older_assessments_and_events_in_the_browser(
    browser: BrowserPage, paged_server: Server
) -> None:
    url = paged_server.url
    log_in(browser, url, MANAGER_KEY)
    browser.wait_for("location.pathname === '/dashboard'", what="the board")
    browser.goto(f"{url}/dashboard/tickets/{PAGED}")
    points = "document.querySelectorAll('svg.plot circle.risk').length"
    timeline = "document.querySelector('.timeline').innerText"
    assert browser.evaluate(points) == 3 and BODIES[0] not in browser.evaluate(timeline)
    risk = browser.evaluate("document.querySelector('#risk').innerText")

    browser.click("#older-assessments")
    browser.wait_for(f"location.search === '?offset=3' && {points} === 2", what="the older assessments")
    assert browser.evaluate("document.querySelector('#risk').innerText") == risk  # still the latest
    assert "older than the 3 latest" in browser.evaluate("document.querySelector('#plot-latest').innerText")
    browser.click("#older-events")
    browser.wait_for(
        f"location.search === '?offset=3&events_offset=3' && {timeline}.includes({json.dumps(BODIES[0])})",
        what="the older events",
    )
    assert BODIES[2] not in browser.evaluate(timeline) and browser.evaluate(points) == 2
    browser.screenshot(ARTIFACTS / "dashboard-ticket-older.png")

    browser.click("#newer-assessments")
    browser.wait_for(f"location.search === '?events_offset=3' && {points} === 3", what="the newer ones")
    browser.click("#newer-events")
    browser.wait_for(
        f"location.pathname === '/dashboard/tickets/{PAGED}' && location.search === '' "
        f"&& {timeline}.includes({json.dumps(BODIES[2])})",
        what="the latest page again",
    )
