"""The dashboard's pages over plain HTTP: login required, wrong and non-manager keys rejected, the session
cookie's flags, the key never in a URL, the board and its JSON, the ticket page and its feedback form."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from core.tickets import Event, Ticket
from serving.app import create_app
from serving.dashboard.board import CSV_COLUMNS, CSV_HEADINGS, STEPS, helpdesk_link
from serving.wording.history import band_word
from serving.wording.labels import label
from serving.wording.timeline import code_words
from tests.serving.conftest import Server, quiet_settings
from tests.serving.dashboard.conftest import HELPDESK, HOT, INTEGRATION, MANAGER_KEY, _ticket


@pytest.fixture
def anonymous(board_server: Server) -> httpx.Client:
    with board_server.client() as c:
        yield c


@pytest.fixture
def manager(board_server: Server) -> httpx.Client:
    with board_server.client() as c:
        r = c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        assert r.status_code == 303 and r.headers["location"] == "/dashboard"
        yield c


def test_root_redirects_to_the_dashboard(anonymous: httpx.Client) -> None:
    r = anonymous.get("/")
    assert r.status_code == 307 and r.headers["location"] == "/dashboard"


@pytest.mark.parametrize("path", ["/dashboard", f"/dashboard/tickets/{HOT}"])
def test_pages_need_a_session(anonymous: httpx.Client, path: str) -> None:
    r = anonymous.get(path)
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/login"


def test_board_json_needs_a_session(anonymous: httpx.Client) -> None:
    r = anonymous.get("/dashboard/board.json")
    assert r.status_code == 401 and r.json() == {
        "error": "unauthorized",
        "detail": "log in at /dashboard/login",
    }


def test_feedback_form_needs_a_session(anonymous: httpx.Client) -> None:
    r = anonymous.post(f"/dashboard/tickets/{HOT}/feedback", data={"verdict": "useful"})
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/login"


def test_login_page_is_a_labelled_form_posting_the_key(anonymous: httpx.Client) -> None:
    r = anonymous.get("/dashboard/login")
    assert r.status_code == 200
    assert '<label for="api_key">' in r.text and 'method="post"' in r.text and 'type="password"' in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("key", "status", "message"),
    [
        ("wrong-key", 401, "That API key is not valid; check it and try again."),
        ("", 401, "Enter your manager API key."),
        (
            "dev-integration-key",
            403,
            "The key &#39;dev-integration&#39; has the integration role; the dashboard needs a manager key.",
        ),
    ],
)
def test_bad_keys_are_rejected(anonymous: httpx.Client, key: str, status: int, message: str) -> None:
    r = anonymous.post("/dashboard/login", data={"api_key": key})
    assert r.status_code == status and message in r.text
    assert "set-cookie" not in r.headers and "escalation_session" not in anonymous.cookies


def test_session_cookie_is_httponly_strict_and_holds_no_key(anonymous: httpx.Client) -> None:
    r = anonymous.post("/dashboard/login", data={"api_key": MANAGER_KEY})
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("escalation_session=")
    assert (
        "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie and "Max-Age=" in cookie
    )
    assert MANAGER_KEY not in cookie and MANAGER_KEY not in r.headers["location"]


def test_forged_or_tampered_cookie_is_refused(anonymous: httpx.Client) -> None:
    anonymous.post("/dashboard/login", data={"api_key": MANAGER_KEY})
    session_id, signature = anonymous.cookies["escalation_session"].split(".")
    flipped = session_id[:-1] + ("A" if session_id[-1] != "A" else "B")
    anonymous.cookies.clear()
    anonymous.cookies.set("escalation_session", f"{flipped}.{signature}")
    assert anonymous.get("/dashboard").status_code == 303


def test_the_cookie_holds_no_digest_of_the_key(anonymous: httpx.Client) -> None:
    anonymous.post("/dashboard/login", data={"api_key": MANAGER_KEY})
    cookie = anonymous.cookies["escalation_session"]
    assert hashlib.sha256(MANAGER_KEY.encode()).hexdigest() not in cookie
    again = httpx.post(f"{anonymous.base_url}/dashboard/login", data={"api_key": MANAGER_KEY})
    assert again.cookies["escalation_session"] != cookie  # a random id per login, not the key's fingerprint


def test_logout_ends_the_session(manager: httpx.Client) -> None:
    assert manager.get("/dashboard").status_code == 200
    cookie = manager.cookies["escalation_session"]
    r = manager.post("/dashboard/logout")
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/login"
    assert 'escalation_session=""' in r.headers["set-cookie"] and "Max-Age=0" in r.headers["set-cookie"]
    assert manager.get("/dashboard").status_code == 303
    # the old cookie, replayed (a copy kept by an attacker, another tab), is refused by the server too
    with httpx.Client(base_url=manager.base_url, cookies={"escalation_session": cookie}) as replay:
        assert replay.get("/dashboard").status_code == 303
        assert replay.get("/dashboard/board.json").status_code == 401


FORMS = [("/dashboard/login", {"api_key": MANAGER_KEY}), ("/dashboard/logout", {}),
         (f"/dashboard/tickets/{HOT}/feedback", {"verdict": "useful"}),
         (f"/dashboard/tickets/{HOT}/snooze", {"for": "1h"}), (f"/dashboard/tickets/{HOT}/unsnooze", {}),
         (f"/dashboard/tickets/{HOT}/root-cause", {"cause": "other", "owning_team": "billing"})]


@pytest.mark.parametrize("site", ["same-site", "cross-site", "bogus"])
@pytest.mark.parametrize(("path", "form"), FORMS, ids=[p.rsplit("/", 1)[-1] for p, _ in FORMS])
def test_a_form_sent_from_another_site_is_403_and_changes_nothing(
        manager: httpx.Client, path: str, form: dict[str, str], site: str) -> None:
    """SameSite=Strict lets a page of a sibling subdomain (same site, another origin) send the cookie; the
    browser's Sec-Fetch-Site says where the form came from."""
    cookie = manager.cookies["escalation_session"]
    r = manager.post(path, data=form, headers={"Sec-Fetch-Site": site})
    assert r.status_code == 403, r.text
    assert r.json() == {"error": "forbidden", "detail": (
        f"Sec-Fetch-Site: {site!r}: the dashboard takes a form only from its own pages (same-origin); open "
        "the dashboard at its own address and send the form from there")}
    assert "set-cookie" not in r.headers and manager.cookies["escalation_session"] == cookie
    assert manager.get("/dashboard").status_code == 200  # still logged in: a logout from elsewhere is refused


@pytest.mark.parametrize("site", ["same-origin", "none", None])  # none: typed or bookmarked; None: no header
def test_a_form_from_the_dashboard_itself_or_a_client_without_the_header_is_taken(
        manager: httpx.Client, site: str | None) -> None:
    headers = {} if site is None else {"Sec-Fetch-Site": site}
    r = manager.post(f"/dashboard/tickets/{HOT}/feedback", data={"verdict": "useful"}, headers=headers)
    assert r.status_code == 303 and "recorded=" in r.headers["location"], r.text
    r = manager.post("/dashboard/logout", headers=headers)
    assert r.status_code == 303 and manager.get("/dashboard").status_code == 303


def test_failed_logins_from_one_client_are_throttled_and_others_are_not(board_server: Server) -> None:
    """uvicorn takes the client's address from X-Forwarded-For when the proxy is local, as here."""
    attacker, colleague = {"X-Forwarded-For": "198.51.100.7"}, {"X-Forwarded-For": "198.51.100.8"}
    limit = board_server.settings.dashboard.max_failed_logins
    window_s = board_server.settings.dashboard.failed_login_window_minutes * 60
    with board_server.client() as c:
        answers = [c.post("/dashboard/login", data={"api_key": f"guess-{i}"}, headers=attacker).status_code
                   for i in range(limit)]
        assert answers == [401] * limit
        r = c.post("/dashboard/login", data={"api_key": MANAGER_KEY}, headers=attacker)
        assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= window_s
        assert "Too many failed logins from your address" in r.text and "set-cookie" not in r.headers
        r = c.post("/dashboard/login", data={"api_key": MANAGER_KEY}, headers=colleague)
        assert r.status_code == 303 and "escalation_session" in r.cookies


def test_board_ranks_the_hot_ticket_first_with_its_reasons(manager: httpx.Client) -> None:
    r = manager.get("/dashboard")
    assert r.status_code == 200
    rows = r.text.split('<tr class="ticket"')[1:]
    assert f'data-ticket="{HOT}"' in rows[0]
    # SLA urgency and escalation risk are two labelled columns; the step says why the row leads
    assert '<th scope="col">SLA</th>' in r.text and '<th scope="col">Escalation risk</th>' in r.text
    assert 'data-step="1"' in rows[0] and ">Act now</td>" in rows[0]
    assert "overdue by" in rows[0] and "business hour" in rows[0] and "breached by 0" not in rows[0]
    assert re.search(r'<span class="risk-pct">(< 1|\d{1,3})%</span>', rows[0])
    # one next step, naming a person or role, and reasons in words with the number behind them on hover
    assert rows[0].count('<td class="action">') == 1 and "Escalate to level" in rows[0]
    assert "manager agent-3" not in rows[0] and "no action needed" not in rows[0]
    assert '<li title="unanswered_messages = 3.0;' in rows[0] and ">3 messages unanswered</li>" in rows[0]
    assert "money lost: “charged twice”" in rows[0]  # the signal in a manager's words
    assert "How the list is ordered" in r.text


def test_board_json_filters_sorts_and_pages(manager: httpx.Client) -> None:
    body = manager.get("/dashboard/board.json", params={"team": "logistics"}).json()
    assert body["total"] == 2 and {row["team"] for row in body["rows"]} == {"logistics"}
    assert HOT not in body["rows_html"]
    assert manager.get("/dashboard/board.json", params={"band": "critical"}).json()["total"] == 1
    assert (
        manager.get("/dashboard/board.json", params={"channel": "chat"}).json()["rows"][0]["ticket_id"]
        == "DB-MID"
    )
    by_id = manager.get("/dashboard/board.json", params={"sort": "ticket"}).json()["rows"]
    assert [row["ticket_id"] for row in by_id] == ["DB-CALM", HOT, "DB-MID"]
    unknown = manager.get("/dashboard/board.json", params={"page": "x"}).json()
    assert unknown["total"] == 3 and unknown["page"] == 1


@pytest.mark.parametrize(("name", "value", "allowed"), [
    ("band", "purple", "critical, high, medium, low"),
    ("sort", "urgency", "work, risk, due, level, ticket"),
    ("channel", "fax", "email, web, phone, chat, twitter, facebook"),
    ("priority", "asap", "urgent, high, normal, low"),
    ("breached_only", "maybe", "1, true, on, 0, false, off"),
])
@pytest.mark.parametrize("lang", ["en", "de", "no"])
def test_a_filter_or_sort_the_board_does_not_offer_is_refused_naming_it_and_its_choices(
    board_server: Server, name: str, value: str, allowed: str, lang: str
) -> None:
    """An unknown band or sort (a link typed by hand or kept from elsewhere) was dropped without a word: the
    list showed every ticket under a filter the manager believed on. The page says which parameter and what
    it may be, in the page's language; the CSV export and the list's JSON refuse it too."""
    with board_server.client() as c:
        c.headers["Accept-Language"] = lang
        assert c.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        for path in ("/dashboard", "/dashboard/board.csv"):
            r = c.get(path, params={name: value})
            assert r.status_code == 422 and r.headers["content-type"].startswith("text/html"), path
            shown = html.unescape(r.text)
            assert label("choice_refused", lang, name=name, value=repr(value), allowed=allowed) in shown
            assert f'<html lang="{lang}">' in shown and 'id="refused"' in shown
        r = c.get("/dashboard/board.json", params={name: value})
        assert r.status_code == 422 and r.json() == {
            "error": "invalid_request", "detail": f"{name}: {value!r} is not one of {allowed}"}
        assert c.get("/dashboard", params={name: ""}).status_code == 200  # the menus' "all": no filter


def test_ticket_page_shows_timeline_plot_and_records_feedback(manager: httpx.Client) -> None:
    r = manager.get(f"/dashboard/tickets/{HOT}")
    assert r.status_code == 200
    assert "<svg" in r.text and "Escalation risk over time" in r.text and 'class="deadline"' in r.text
    assert "I want to speak to a manager now" in r.text and "sentiment <strong>" in r.text
    r = manager.post(
        f"/dashboard/tickets/{HOT}/feedback", data={"verdict": "false_alarm", "comment": "known"}
    )
    assert r.status_code == 303 and r.headers["location"].startswith(f"/dashboard/tickets/{HOT}?recorded=")
    page = manager.get(r.headers["location"])
    assert "recorded: false alarm" in page.text


def test_unknown_ticket_page_is_404(manager: httpx.Client) -> None:
    r = manager.get("/dashboard/tickets/NOPE")
    assert r.status_code == 404 and "NOPE" in r.text


def test_bad_feedback_verdict_is_422(manager: httpx.Client) -> None:
    r = manager.post(f"/dashboard/tickets/{HOT}/feedback", data={"verdict": "maybe"})
    assert r.status_code == 422 and r.json()["detail"] == "verdict: 'maybe' is not useful or false_alarm"


@pytest.mark.parametrize("alert_id", ["²", "١"])  # digits to isdigit(), not to int(): '²' was a 500
def test_an_alert_id_of_other_digits_is_422(manager: httpx.Client, alert_id: str) -> None:
    r = manager.post(f"/dashboard/tickets/{HOT}/feedback", data={"verdict": "useful", "alert_id": alert_id})
    assert r.status_code == 422 and r.json()["detail"].startswith(f"alert_id: {alert_id!r} is no alert id")


def test_kpis_page_charts_the_rates_and_names_the_model(
    manager: httpx.Client, anonymous: httpx.Client
) -> None:
    assert anonymous.get("/dashboard/kpis").status_code == 303
    r = manager.get("/dashboard/kpis", params={"period": "week"})
    assert r.status_code == 200
    for title in ("Escalation rate by week", "First-contact resolution by week", "SLA compliance by week"):
        assert title in r.text
    assert "file:escalation-risk@" in r.text  # the model version
    assert "3 tickets" in r.text
    assert "Escalations by type, by week" in r.text and "automatic: 1" in r.text  # the hot ticket's SLA
    assert '<table id="model-metrics">' in r.text  # the test metrics saved with the model
    assert "<td>0.812</td><td>0.774</td><td>0.561</td>" in r.text  # ROC-AUC: model, logreg, rules


def test_kpis_page_counts_withdrawn_tickets_apart_and_the_board_drops_them(manager: httpx.Client) -> None:
    """A ticket of 2001 answered and then merged into another (Zendesk closes it after): in no figure of the
    KPI page, said there in one line; not on the board."""
    created = datetime(2001, 3, 5, 9, tzinfo=UTC)
    events = [{"event_id": f"DB-MERGED-{i}", "at": created.replace(minute=10 * i).isoformat(), "type": kind,
               "author_role": role, **extra}
              for i, (kind, role, extra) in enumerate([
                  ("customer_message", "customer", {"body": "Where is my invoice?"}),
                  ("agent_reply", "agent", {"body": "Answered in your other ticket."}),
                  ("status_change", "agent", {"status": "withdrawn"}),
                  ("status_change", "agent", {"status": "closed"})])]
    r = manager.post("/v1/tickets/DB-MERGED/events", headers=INTEGRATION,
                     json={"ticket": _ticket("billing", "gold", created), "events": events})
    assert r.status_code == 200, r.text
    kpis = manager.get("/dashboard/kpis", params={"from": "2001-01-01", "to": "2001-12-31"}).text
    assert "0 tickets" in kpis and "1 withdrawn (merged, deleted or spam), in no figure" in kpis
    assert "withdrawn" not in manager.get("/dashboard/kpis", params={"from": "2002-01-01"}).text
    assert "DB-MERGED" not in manager.get("/dashboard").text


def test_root_cause_form_records_corrects_and_refuses(manager: httpx.Client) -> None:
    calm = manager.get("/dashboard/tickets/DB-CALM")
    assert 'id="root-cause-later"' in calm.text and 'id="rc-cause"' not in calm.text  # not escalated
    r = manager.post("/dashboard/tickets/DB-CALM/root-cause", data={"cause": "other", "owning_team": "x"})
    assert r.status_code == 303
    refused = manager.get(r.headers["location"])
    assert "has not been escalated" in refused.text and 'id="cause-error"' in refused.text

    page = manager.get(f"/dashboard/tickets/{HOT}")
    assert '<label for="rc-cause">Root cause</label>' in page.text and 'id="rc-team"' in page.text
    r = manager.post(
        f"/dashboard/tickets/{HOT}/root-cause", data={"cause": "bad_luck", "owning_team": "billing"}
    )
    refused = manager.get(r.headers["location"])
    assert "cause: &#39;bad_luck&#39; is not a configured root cause" in refused.text
    r = manager.post(f"/dashboard/tickets/{HOT}/root-cause", data={"cause": "other", "owning_team": " "})
    assert "owning team: enter the team" in manager.get(r.headers["location"]).text

    for cause in ("agent_workload", "waiting_on_other_team"):
        r = manager.post(
            f"/dashboard/tickets/{HOT}/root-cause",
            data={"cause": cause, "owning_team": "finance-ops", "note": "refund approval queue"},
        )
        assert r.status_code == 303 and "cause_recorded=" in r.headers["location"]
    page = manager.get(r.headers["location"])
    assert "Current: <strong>waiting on other team</strong>, owned by finance-ops" in page.text
    assert "earlier record" in page.text  # the first (and any the browser test made) stay on record
    kpis = manager.get("/dashboard/kpis").text
    assert '<div id="causes">' in kpis and "waiting on other team: 1</title>" in kpis
    assert 'aria-label="Escalations by root cause and period"' in kpis  # over time, too
    assert ": 1 waiting on other team</title></rect>" in kpis
    assert "finance-ops: 1</title>" in kpis and "agent workload" not in kpis  # the correction counts
    assert "Every escalated ticket has a root cause." in kpis


def test_root_cause_form_needs_a_session(anonymous: httpx.Client) -> None:
    r = anonymous.post(f"/dashboard/tickets/{HOT}/root-cause", data={"cause": "other", "owning_team": "x"})
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/login"


def test_kpis_page_filters_by_team_and_dates_and_labels_its_bars(manager: httpx.Client) -> None:
    logistics = manager.get("/dashboard/kpis", params={"team": "logistics"}).text
    assert "2 tickets" in logistics and "Team logistics" in logistics
    assert '<option value="logistics" selected>' in logistics
    future = manager.get("/dashboard/kpis", params={"from": "2099-01-01", "to": "2099-01-31"}).text
    assert "0 tickets" in future and 'value="2099-01-01"' in future
    month = manager.get("/dashboard/kpis", params={"period": "month"}).text
    assert re.search(r'text-anchor="middle">[A-Z][a-z]{2} \d{4}</text>', month)  # "Nov 2026", not "11-01"
    assert re.search(r'<text class="axis value" [^>]*>\d{1,3}%</text>', month)  # the value on the bar
    assert month.count('<td class="meaning">') == 6  # each model metric said in one line


@pytest.mark.parametrize(("dates", "tickets"), [
    ({"to": "9999-12-31"}, 3),  # the last day a date field takes: its next day was a 500
    ({"from": "9999-12-31", "to": "9999-12-31"}, 0),
    ({"from": "0001-01-01"}, 3),
    ({"from": "0001-01-01", "to": "0001-01-02"}, 0),
])
def test_kpis_page_takes_the_far_dates_a_date_field_allows(
    manager: httpx.Client, dates: dict[str, str], tickets: int
) -> None:
    r = manager.get("/dashboard/kpis", params=dates)
    assert r.status_code == 200, r.text
    assert f"{tickets} tickets" in r.text
    assert all(f'value="{day}"' in r.text for day in dates.values())  # the days as picked


@pytest.mark.parametrize(("path", "params", "named"), [
    ("/dashboard", {"q": "a\x00"}, "q"),  # SQLite's LIKE ended the pattern at NUL: every ticket matched
    ("/dashboard/board.json", {"team": "\x00"}, "team"),  # PostgreSQL: a 500
    ("/dashboard/board.csv", {"q": "\x00"}, "q"),
    ("/dashboard/kpis", {"team": "billing\x00"}, "team"),
    ("/dashboard/tickets/DB-HOT%00", {}, "ticket_id"),
])
def test_a_nul_in_a_query_or_path_is_422_naming_it(
    manager: httpx.Client, path: str, params: dict[str, str], named: str
) -> None:
    r = manager.get(path, params=params)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(f"{named}: holds a NUL character (U+0000) at position ")


def test_a_nul_in_a_form_is_refused_and_nothing_is_stored(manager: httpx.Client) -> None:
    r = manager.post(f"/dashboard/tickets/{HOT}/feedback", data={"verdict": "useful", "comment": "ok\x00"})
    assert r.status_code == 422 and r.json()["detail"].startswith("comment: holds a NUL character"), r.text
    r = manager.post(f"/dashboard/tickets/{HOT}/root-cause",
                     data={"cause": "other", "owning_team": "billing", "note": "\x00"})
    assert r.status_code == 303 and "cause_recorded" not in r.headers["location"]
    assert "note: holds a NUL character" in manager.get(r.headers["location"]).text
    assert "\x00" not in manager.get(f"/dashboard/tickets/{HOT}").text


def test_kpis_page_days_are_the_managers(tmp_path: Path) -> None:
    """A ticket created at 00:30 on 1 Dec in Oslo (23:30 UTC the day before) is December's on an Oslo
    manager's page: the date fields and the periods are days in dashboard.time_zone, as every time shown."""
    settings = quiet_settings(tmp_path, dashboard={"time_zone": "Europe/Oslo"})
    app = create_app(settings)
    created = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    with TestClient(app, follow_redirects=False, base_url="http://localhost") as client:
        app.state.service.ingest("OSLO-1", Ticket.model_validate(_ticket("billing", "gold", created,
                                                                          ticket_id="OSLO-1")), [])
        assert client.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        december = client.get("/dashboard/kpis", params={"from": "2026-12-01", "to": "2026-12-31"}).text
        november = client.get("/dashboard/kpis", params={"from": "2026-11-01", "to": "2026-11-30"}).text
        by_month = client.get("/dashboard/kpis", params={"period": "month"}).text
    assert "1 tickets" in december and "0 tickets" in november
    assert "Dec 2026</text>" in by_month and "Nov 2026" not in by_month


def test_kpis_page_offers_a_team_whose_tickets_are_all_solved(tmp_path: Path) -> None:
    """The team choice is every team with tickets, by name: refunds' only ticket is solved, and its past
    figures are what a manager picks it for."""
    app = create_app(quiet_settings(tmp_path))
    created = datetime(2026, 11, 2, 9, tzinfo=UTC)
    solved = Event.model_validate({"event_id": "R-1-1", "ticket_id": "R-1", "at": "2026-11-02T10:00:00Z",
                                   "type": "status_change", "author_role": "agent", "status": "solved"})
    with TestClient(app, follow_redirects=False, base_url="http://localhost") as client:
        for tid, team, events in (("R-1", "refunds", [solved]), ("O-1", "billing", [])):
            ticket = Ticket.model_validate(_ticket(team, "gold", created, ticket_id=tid))
            app.state.service.ingest(tid, ticket, events)
        assert client.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        page = client.get("/dashboard/kpis").text
    team_choice = page[page.index('<select name="team"'):]
    assert re.findall(r'<option value="(\w+)" >', team_choice[: team_choice.index("</select>")]) == [
        "billing", "refunds"]


def test_the_list_exports_as_csv_in_the_order_of_work_with_the_filters(manager: httpx.Client) -> None:
    """The codes variant: the columns' codes as headings, codes and ISO instants as values, for scripts."""
    r = manager.get("/dashboard/board.csv", params={"format": "codes"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    disposition = r.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="early-warning-\d{8}-\d{4}\.csv"', disposition)
    header, *rows = list(csv.reader(io.StringIO(r.text)))
    assert tuple(header) == CSV_COLUMNS and len(rows) == 3
    column = dict(zip(header, zip(*rows, strict=True), strict=True))
    board = manager.get("/dashboard/board.json").json()["rows"]
    assert list(column["ticket_id"]) == [row["ticket_id"] for row in board]  # the board's order
    assert list(column["order"]) == ["1", "2", "3"] and column["ticket_id"][0] == HOT
    assert column["helpdesk_url"][0] == HELPDESK.replace("{ticket_id}", HOT)
    assert abs(float(column["risk"][0]) - board[0]["risk"]) < 1e-4  # four decimals, not the page's rounding
    assert column["step"][0] == "act_now" and column["breached"][0] == "true"
    assert set(column["priority"]) <= {"low", "normal", "high", "urgent"} and column["tier"][0] == "gold"
    assert set(column["channel"]) == {"email", "web", "chat"}
    assert all(due == "" or datetime.fromisoformat(due).tzinfo for due in column["sla_due"])
    team = manager.get("/dashboard/board.csv", params={"team": "logistics", "format": "codes"})
    logistics = list(csv.reader(io.StringIO(team.text)))
    assert len(logistics) == 3 and HOT not in {row[1] for row in logistics}


def test_an_export_format_by_another_name_is_422_naming_the_field(manager: httpx.Client) -> None:
    """A script asking for `format=code` must not get the page's words in its place without a word."""
    r = manager.get("/dashboard/board.csv", params={"format": "code"})
    assert r.status_code == 422 and not r.headers["content-type"].startswith("text/csv")
    assert "format: 'code' is not one of words, codes" in html.unescape(r.text)
    assert manager.get("/dashboard/board.csv", params={"format": "words"}).status_code == 200


@pytest.mark.parametrize("lang", ["en", "de", "no"])
def test_the_export_speaks_the_pages_language(board_server: Server, lang: str) -> None:
    """By default the headings and the values that are codes (step, band, yes/no, priority, channel, tier)
    are words in the page's language, and the risk has the language's decimal sign."""
    with board_server.client() as c:
        c.headers["Accept-Language"] = lang
        c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        r = c.get("/dashboard/board.csv")
        codes = list(csv.reader(io.StringIO(c.get("/dashboard/board.csv", params={"format": "codes"}).text)))
    assert r.headers["content-language"] == lang
    header, *rows = list(csv.reader(io.StringIO(r.text)))
    assert header == [label(CSV_HEADINGS[column], lang) for column in CSV_COLUMNS]
    hot = dict(zip(header, rows[0], strict=True))
    coded = dict(zip(codes[0], codes[1], strict=True))
    assert hot[label("col_ticket", lang)] == HOT
    assert hot[label("col_step", lang)] == STEPS[lang][1]
    assert hot[label("csv_breached", lang)] == label("yes", lang)
    assert hot[label("band", lang)] == band_word(coded["band"], lang)
    assert hot[label("csv_model_band", lang)] == band_word(coded["risk_band"], lang)
    assert hot[label("csv_sla_band", lang)] == band_word(coded["sla_band"], lang)
    assert hot[label("priority", lang)] == code_words("priority", "high", lang)
    assert hot[label("col_tier", lang)] == code_words("tier", "gold", lang)
    assert hot[label("channel", lang)] == code_words("channel", "email", lang)
    decimal = "." if lang == "en" else ","
    assert hot[label("col_risk", lang)] == coded["risk"].replace(".", decimal)


def test_the_export_needs_a_session(anonymous: httpx.Client) -> None:
    r = anonymous.get("/dashboard/board.csv")
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/login"


def test_the_board_and_the_ticket_page_link_the_helpdesk(manager: httpx.Client) -> None:
    link = HELPDESK.replace("{ticket_id}", HOT)
    assert f'href="{link}"' in manager.get("/dashboard").text
    assert 'id="helpdesk-link" href="' + link in manager.get(f"/dashboard/tickets/{HOT}").text


def test_a_helpdesk_url_needs_the_ticket_id_and_http() -> None:
    with pytest.raises(ValueError, match="an http\\(s\\) URL with \\{ticket_id\\}"):
        Settings(dashboard={"helpdesk_ticket_url": "helpdesk.example/{ticket_id}"})
    with pytest.raises(ValueError, match="where the ticket's id goes"):
        Settings(dashboard={"helpdesk_ticket_url": "https://helpdesk.example/tickets"})


def test_the_dashboard_links_a_helpdesk_ticket_by_its_own_id() -> None:
    template = "https://acme.zendesk.com/agent/tickets/{helpdesk_ticket_id}?ours={ticket_id}"
    assert helpdesk_link(template, "zendesk-35436") == \
        "https://acme.zendesk.com/agent/tickets/35436?ours=zendesk-35436"
    assert helpdesk_link(template, "T 1") == "https://acme.zendesk.com/agent/tickets/T%201?ours=T%201"
    Settings(dashboard={"helpdesk_ticket_url": template.split("?")[0]})  # either placeholder will do
