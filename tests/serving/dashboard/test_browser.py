"""End to end: a real headless Chromium against the real server on loopback. Log in, see the seeded hot
ticket on top with its reason, the rows in the order of work with one next step each (the same on the
ticket's page), watch the list refresh in place, filter by team, open the ticket, mark a false
alarm and see it recorded, record the escalation's root cause and find it on the KPI page; a screenshot of
each page lands in test-artifacts/."""

from __future__ import annotations

import json
from pathlib import Path

from serving.store import Database
from serving.store.tables import FeedbackRow, RootCauseRow
from tests.serving.conftest import Server
from tests.serving.dashboard.browser import Page
from tests.serving.dashboard.conftest import HOT, MANAGER_KEY

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def log_in(page: Page, url: str, key: str) -> None:
    page.goto(f"{url}/dashboard")
    page.wait_for(
        "location.pathname === '/dashboard/login' && !!document.querySelector('#api_key')",
        what="the login form",
    )
    page.type("#api_key", key)
    page.click("form[action='/dashboard/login'] button[type=submit]")


def test_manager_reviews_and_marks_a_false_alarm(browser: Page, board_server: Server) -> None:
    url = board_server.url
    log_in(browser, url, MANAGER_KEY)
    browser.wait_for(
        "location.pathname === '/dashboard' && document.querySelectorAll('tr.ticket').length > 0",
        what="the board",
    )
    assert "api_key" not in browser.evaluate("location.href") and MANAGER_KEY not in browser.evaluate(
        "location.href"
    )
    assert browser.evaluate("document.cookie") == ""  # HttpOnly: the session is out of the script's reach

    top = browser.evaluate("document.querySelector('tr.ticket').dataset.ticket")
    assert top == HOT
    first_row = browser.evaluate("document.querySelector('tr.ticket').innerText")
    assert "Act now" in first_row and "3 messages unanswered" in first_row and "charged twice" in first_row

    # the order of work: the rows' steps never go back up the list, and the page says how it orders
    steps = browser.evaluate("[...document.querySelectorAll('tr.ticket')].map(r => Number(r.dataset.step))")
    assert steps[0] == 1 and steps == sorted(steps) and len(steps) == 3
    assert browser.evaluate("document.querySelector('#order-of-work').open")
    assert "breached or an escalation is under way" in browser.evaluate(
        "document.querySelector('#order-of-work').innerText"
    )
    # one next step per ticket: one cell, one sentence, no level below the ticket's own
    actions = browser.evaluate(
        "[...document.querySelectorAll('tr.ticket')].map(r => ({n: r.querySelectorAll('td.action').length,"
        " text: r.querySelector('td.action').innerText, level: r.querySelector('.level')?.innerText || ''}))"
    )
    for a in actions:
        assert a["n"] == 1 and ";" not in a["text"] and "no action needed" not in a["text"]
    hot_action = actions[0]["text"]
    hot_level = int(actions[0]["level"].rsplit(" ", 1)[-1])
    assert hot_action.startswith(f"Escalate to level {hot_level}:")
    # the reason's number is one hover away
    assert browser.evaluate("document.querySelector('tr.ticket .why li[title]').title").startswith(
        "unanswered_messages = 3"
    )

    # live update: the list is swapped in place by the poll; a marker on window survives (no full reload)
    browser.evaluate("window.__sameDocument = true")
    browser.wait_for(
        "!!document.querySelector('#board').dataset.refreshed", what="a poll to refresh the list"
    )
    assert browser.evaluate("window.__sameDocument === true")
    browser.screenshot(ARTIFACTS / "dashboard-board.png")

    # filter by team: choosing it applies at once
    browser.evaluate(
        "const s = document.querySelector('#f-team'); s.value = 'logistics';"
        "s.dispatchEvent(new Event('change', {bubbles: true}))"
    )
    browser.wait_for(
        "location.search.includes('team=logistics') && document.readyState === 'complete'",
        what="the team filter to apply",
    )
    teams = browser.evaluate("[...document.querySelectorAll('tr.ticket')].map(r => r.cells[6].innerText)")
    assert teams and set(teams) == {"logistics"}
    assert browser.evaluate(f"!document.querySelector('tr[data-ticket={json.dumps(HOT)}]')")

    # open the hot ticket from the unfiltered list
    browser.goto(f"{url}/dashboard")
    browser.click(f"tr[data-ticket={json.dumps(HOT)}] a")
    browser.wait_for(
        f"location.pathname === '/dashboard/tickets/{HOT}' && !!document.querySelector('svg.plot')",
        what="the ticket page",
    )
    assert "I want to speak to a manager now" in browser.evaluate(
        "document.querySelector('.timeline').innerText"
    )
    # the ticket page recommends what the board does, once
    assert browser.evaluate("document.querySelector('#next-step').innerText") == f"Next step: {hot_action}"
    assert browser.evaluate("document.querySelectorAll('#next-step').length") == 1

    browser.click("#fb-false")
    notice = browser.wait_for("document.querySelector('#recorded')?.innerText", what="the feedback notice")
    assert "recorded: false alarm" in notice
    browser.screenshot(ARTIFACTS / "dashboard-ticket.png")

    feedback_id = int(browser.evaluate("new URLSearchParams(location.search).get('recorded')"))

    # the escalated ticket's root cause, chosen from the configured list, then counted on the KPI page
    browser.evaluate("document.querySelector('#rc-cause').value = 'missing_knowledge'")
    browser.evaluate("document.querySelector('#rc-team').value = 'finance-ops'")
    browser.click("#rc-save")
    notice = browser.wait_for(
        "document.querySelector('#cause-recorded')?.innerText", what="the root-cause notice"
    )
    assert "recorded" in notice
    assert "missing knowledge" in browser.evaluate("document.querySelector('#root-cause').innerText")
    cause_id = int(browser.evaluate("new URLSearchParams(location.search).get('cause_recorded')"))
    browser.goto(f"{url}/dashboard/kpis")
    browser.wait_for("!!document.querySelector('#causes svg')", what="the root-cause chart")
    assert "missing knowledge" in browser.evaluate("document.querySelector('#causes').textContent")
    browser.screenshot(ARTIFACTS / "dashboard-kpis.png")

    database = Database(board_server.settings.database_url)
    try:
        with database.session() as s:
            row = s.get(FeedbackRow, feedback_id)
            assert row is not None
            assert (row.ticket_id, row.verdict, row.who) == (HOT, "false_alarm", "dev-manager")
            cause = s.get(RootCauseRow, cause_id)
            assert cause is not None
            recorded = (cause.ticket_id, cause.cause, cause.owning_team)
            assert recorded == (HOT, "missing_knowledge", "finance-ops")
    finally:
        database.dispose()


def test_manager_snoozes_the_top_ticket_and_searches(browser: Page, board_server: Server) -> None:
    """Snoozing the top ticket moves it to the end of the list (marked with who and until when), un-snoozing
    brings it back on top; the search box narrows the list."""
    url = board_server.url
    log_in(browser, url, MANAGER_KEY)
    top = "document.querySelector('tr.ticket').dataset.ticket"
    last = "[...document.querySelectorAll('tr.ticket')].at(-1)"
    browser.wait_for(f"location.pathname === '/dashboard' && {top} === {json.dumps(HOT)}", what="the board")
    try:
        browser.evaluate("document.querySelector('tr.ticket details.snooze').open = true;"
                         " delete document.querySelector('#board').dataset.refreshed")
        # the poll swaps the rows; the menu the manager opened stays open
        browser.wait_for("!!document.querySelector('#board').dataset.refreshed", what="a poll")
        assert browser.evaluate("document.querySelector('tr.ticket details.snooze').open")
        browser.click("tr.ticket details.snooze button[value='1h']")
        browser.wait_for(
            f"document.readyState === 'complete' && {top} !== {json.dumps(HOT)}"
            f" && {last}.dataset.ticket === {json.dumps(HOT)}",
            what="the snoozed ticket at the end",
        )
        note = browser.evaluate(f"{last}.querySelector('.snoozed-note').innerText")
        assert note.startswith("snoozed by dev-manager until")
        assert browser.evaluate(f"{last}.classList.contains('snoozed')")
        browser.screenshot(ARTIFACTS / "dashboard-snoozed.png")
        browser.click("tr.ticket.snoozed form.unsnooze button")
        browser.wait_for(
            f"document.readyState === 'complete' && {top} === {json.dumps(HOT)}"
            " && !document.querySelector('tr.ticket.snoozed')",
            what="the ticket back on top",
        )
    finally:
        with board_server.client() as c:
            c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
            c.post(f"/dashboard/tickets/{HOT}/unsnooze")

    browser.type("#f-search", "db-mid")
    browser.evaluate("document.querySelector('form.filters').submit()")
    browser.wait_for(
        "location.search.includes('q=db-mid') && document.querySelectorAll('tr.ticket').length === 1"
        " && document.querySelector('tr.ticket').dataset.ticket === 'DB-MID'",
        what="the search's one match",
    )
    assert browser.evaluate("document.querySelector('#f-search').value") == "db-mid"
