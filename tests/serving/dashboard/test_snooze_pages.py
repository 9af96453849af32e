"""Snoozing from the dashboard over plain HTTP (the board's and the ticket page's forms), and the board's
search with the filters and in the CSV export. Every test that snoozes un-snoozes: the server is shared."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from tests.serving.conftest import Server
from tests.serving.dashboard.conftest import HOT, MANAGER_KEY


@pytest.fixture
def manager(board_server: Server) -> Iterator[httpx.Client]:
    with board_server.client() as c:
        r = c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        assert r.status_code == 303
        try:
            yield c
        finally:
            for ticket_id in (HOT, "DB-MID"):
                c.post(f"/dashboard/tickets/{ticket_id}/unsnooze")


def board_ids(manager: httpx.Client, **params: str) -> list[str]:
    return [row["ticket_id"] for row in manager.get("/dashboard/board.json", params=params).json()["rows"]]


def test_a_snoozed_ticket_leaves_the_top_and_comes_back_when_unsnoozed(manager: httpx.Client) -> None:
    assert board_ids(manager)[0] == HOT
    r = manager.post(f"/dashboard/tickets/{HOT}/snooze", data={"for": "1h", "back": "/dashboard?sort=work"})
    assert r.status_code == 303 and r.headers["location"] == "/dashboard?sort=work"
    assert board_ids(manager)[-1] == HOT
    row = manager.get("/dashboard/board.json").json()["rows"][-1]
    assert row["snoozed_by"] == "dev-manager"
    until = datetime.fromisoformat(row["snoozed_until"])
    assert timedelta(minutes=59) < until - datetime.now(until.tzinfo) <= timedelta(hours=1)
    board = manager.get("/dashboard").text
    hot_row = board.split(f'data-ticket="{HOT}"')[1].split("</tr>")[0]
    assert "snoozed by dev-manager until" in hot_row and "Un-snooze" in hot_row
    assert 'class="ticket snoozed"' in board and "snoozed (1)</span>, at the end" in board
    assert manager.get("/dashboard/board.json").json()["snoozed"] == 1
    page = manager.get(f"/dashboard/tickets/{HOT}").text
    assert 'id="snoozed">Snoozed by dev-manager until' in page
    r = manager.post(f"/dashboard/tickets/{HOT}/unsnooze", data={"back": f"/dashboard/tickets/{HOT}"})
    assert r.status_code == 303 and r.headers["location"] == f"/dashboard/tickets/{HOT}"
    assert board_ids(manager)[0] == HOT
    assert manager.get("/dashboard/board.json").json()["snoozed"] == 0
    page = manager.get(f"/dashboard/tickets/{HOT}").text
    assert 'id="snoozed"' not in page
    # the snooze stays in the ticket's history, latest first, with who ended it
    latest = page.split('<ol id="snooze-history">')[1].split("</li>")[0]
    assert "dev-manager snoozed it at" in latest and "un-snoozed by dev-manager at" in latest


def test_the_ticket_page_snoozes_until_a_time_in_the_managers_zone(manager: httpx.Client) -> None:
    until = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")  # the dashboard's zone is UTC
    r = manager.post(f"/dashboard/tickets/{HOT}/snooze", data={"for": "", "until": until})
    assert r.status_code == 303 and r.headers["location"] == f"/dashboard/tickets/{HOT}"
    history = manager.get(f"/dashboard/tickets/{HOT}").text
    assert "Snoozed by dev-manager until" in history
    r = manager.post(f"/dashboard/tickets/{HOT}/snooze", data={"for": "tomorrow"})
    assert r.status_code == 303


@pytest.mark.parametrize(
    ("form", "status", "detail"),
    [
        ({"for": "1d"}, 422, "for: &#39;1d&#39; is not a snooze choice"),
        ({"for": "", "until": "2020-01-01T09:00"}, 422, "until: 2020-01-01T09:00:00+00:00 is not ahead"),
        ({"for": "", "until": "2099-01-01T09:00"}, 422, "until: 2099-01-01T09:00:00+00:00 is more than 30"),
        ({"for": "", "until": "soon"}, 422, "until: &#39;soon&#39; is no date and time"),
    ],
)
def test_bad_snooze_input_is_422_naming_the_field(
    manager: httpx.Client, form: dict[str, str], status: int, detail: str
) -> None:
    r = manager.post(f"/dashboard/tickets/{HOT}/snooze", data=form)
    assert r.status_code == status and detail in r.text, r.text
    assert board_ids(manager)[0] == HOT


def test_snoozing_an_unknown_ticket_is_404_and_back_stays_on_the_dashboard(manager: httpx.Client) -> None:
    r = manager.post("/dashboard/tickets/NOPE/snooze", data={"for": "1h"})
    assert r.status_code == 404 and "ticket &#39;NOPE&#39; is not known" in r.text
    r = manager.post("/dashboard/tickets/DB-MID/snooze", data={"for": "1h", "back": "https://elsewhere.example/"})
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/tickets/DB-MID"


def test_snooze_forms_need_a_session(board_server: Server) -> None:
    with board_server.client() as anonymous:
        for action in ("snooze", "unsnooze"):
            r = anonymous.post(f"/dashboard/tickets/{HOT}/{action}", data={"for": "1h"})
            assert r.status_code == 303 and r.headers["location"] == "/dashboard/login"
    with board_server.client() as c:
        c.post("/dashboard/login", data={"api_key": MANAGER_KEY})
        assert board_ids(c)[0] == HOT


def test_the_search_finds_ids_customers_and_subjects_with_the_filters(manager: httpx.Client) -> None:
    assert board_ids(manager, q="charged TWICE") == [HOT]
    assert board_ids(manager, q="db-m") == ["DB-MID"]
    assert sorted(board_ids(manager, q="C-D")) == sorted(["DB-CALM", HOT, "DB-MID"])
    assert board_ids(manager, q="dashboard test", team="logistics", sort="ticket") == ["DB-CALM", "DB-MID"]
    assert board_ids(manager, q="nothing like this") == []
    board = manager.get("/dashboard", params={"q": "charged"}).text
    assert 'value="charged"' in board and "q=charged" in board  # kept in the form, the export and the pager
    export = manager.get("/dashboard/board.csv", params={"q": "dashboard test", "team": "logistics",
                                                          "format": "codes"})
    header, *rows = list(csv.reader(io.StringIO(export.text)))
    assert {row[header.index("ticket_id")] for row in rows} == {"DB-CALM", "DB-MID"}
    assert header[-2:] == ["snoozed_until", "snoozed_by"]
