"""GET /v1/tickets/{id} answers the typed ticket history (serving/ticket_history.py) as the same JSON it
answered when the history was a dict: a fixed ticket's answer (its events, assessments with their ids, alerts,
a root cause and an ended snooze) is compared with the snapshot in tests/serving/snapshots/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.tickets import Event, Ticket
from rules import parse_policies
from serving.app import create_app
from serving.assess.assessment import Scorers
from serving.store.root_causes import RootCause, record_root_cause
from serving.store.tables import AlertRow
from tests.serving.conftest import RULES_ONLY_POLICY, quiet_settings

SNAPSHOT = Path(__file__).parent / "snapshots" / "ticket_history.json"
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # long past: the snooze below has ended by itself
MANAGER = {"X-API-Key": "dev-manager-key"}


def event(n: int, minutes: int, kind: str, **fields: Any) -> Event:
    at = START + timedelta(minutes=minutes)
    return Event.model_validate({"event_id": f"TH-1-e{n}", "ticket_id": "TH-1", "at": at.isoformat(),
                                 "type": kind, **fields})


@pytest.fixture
def answer(tmp_path: Path) -> Iterator[dict[str, Any]]:
    app = create_app(quiet_settings(tmp_path))
    with TestClient(app, base_url="http://localhost") as client:
        service = app.state.service
        service.scorers = Scorers(parse_policies(RULES_ONLY_POLICY), service.scorers.analyser, None)
        ticket = Ticket.model_validate({
            "ticket_id": "TH-1", "created_at": START.isoformat(), "channel": "email", "priority": "high",
            "customer_id": "C-TH", "customer_tier": "gold", "product": "invoicing",
            "category": "billing_payment", "team": "billing", "language": "en", "subject": "Charged twice",
            "assignee": "agent-7"})
        service.ingest("TH-1", ticket, [event(1, 0, "customer_message", author_role="customer",
                                              body="I was charged twice. I want a manager now!")])
        service.ingest("TH-1", None, [
            event(2, 50, "internal_note", author_role="agent", author_id="agent-7", body="checking"),
            event(3, 95, "status_change", author_role="agent", status="pending"),
        ])
        service.ingest("TH-1", None, [event(4, 130, "customer_message", author_role="customer",
                                            body="Still nothing.")])
        record_root_cause(service.store.db, RootCause("TH-1", "missing_knowledge", "billing", "refund rules",
                                                      "lead", START + timedelta(hours=3)))
        service.snooze("TH-1", START + timedelta(hours=5), "lead", START + timedelta(hours=4))
        r = client.get("/v1/tickets/TH-1", headers=MANAGER)
        assert r.status_code == 200
        yield fixed(r.json())


def fixed(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer with the instants the ingest took from the wall clock (an alert's raising and cool-down)
    named instead: checked to be instants, and 4 h apart."""
    for alert in answer["alerts"]:
        raised, cool = (datetime.fromisoformat(alert.pop(k)) for k in ("raised_at", "cooldown_until"))
        assert cool - raised == timedelta(hours=4)
        alert.update(raised_at="<when ingested>", cooldown_until="<4 h later>")
    return answer


def test_the_ticket_history_answers_the_same_json(answer: dict[str, Any]) -> None:
    assert answer["escalated"] and answer["alerts"] and len(answer["assessments"]) == 3
    assert answer["snooze"] is None and answer["snooze_history"][0]["end_reason"] == "time_passed"
    # the snapshot predates paging: one page holds all three
    assert answer.pop("assessments_page") == {"total": 3, "limit": 200, "offset": 0, "next_offset": None}
    assert answer.pop("events_page") == {"total": 4, "limit": 200, "offset": 0, "next_offset": None}
    assert answer.pop("alerts_page") == {"total": 1, "limit": 200, "offset": 0, "next_offset": None}
    assert answer.pop("root_causes_page") == {"total": 1, "limit": 200, "offset": 0, "next_offset": None}
    assert answer.pop("snooze_history_page") == {"total": 1, "limit": 200, "offset": 0, "next_offset": None}
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert list(answer) == list(expected)
    for key, value in expected.items():
        assert answer[key] == value, key


# --- its assessments come a page at a time (a ticket of thousands of events answered megabytes before) --
def page_app(tmp_path: Path, assessments: int) -> Iterator[TestClient]:
    app = create_app(quiet_settings(tmp_path, serving={"max_page_size": 3}))
    with TestClient(app, base_url="http://localhost") as client:
        service = app.state.service
        service.scorers = Scorers(parse_policies(RULES_ONLY_POLICY), service.scorers.analyser, None)
        ticket = Ticket.model_validate({
            "ticket_id": "TH-2", "created_at": START.isoformat(), "channel": "email", "priority": "high",
            "customer_id": "C-TH", "customer_tier": "gold", "product": "invoicing",
            "category": "billing_payment", "team": "billing", "language": "en", "subject": "Charged twice"})
        for n in range(assessments):
            service.ingest("TH-2", ticket if n == 0 else None, [
                Event.model_validate({"event_id": f"TH-2-e{n}", "ticket_id": "TH-2",
                                      "at": (START + timedelta(minutes=n)).isoformat(),
                                      "type": "internal_note", "author_role": "agent", "body": "checking"})])
        yield client


@pytest.fixture
def paged(tmp_path: Path) -> Iterator[TestClient]:
    yield from page_app(tmp_path, 5)


def test_the_latest_assessments_come_a_page_at_a_time(paged: TestClient) -> None:
    first = paged.get("/v1/tickets/TH-2", headers=MANAGER).json()  # no limit: the page size limit's 3
    assert [a["assessment_id"] for a in first["assessments"]] == [3, 4, 5]  # in the order made
    assert first["assessments_page"] == {"total": 5, "limit": 3, "offset": 0, "next_offset": 3}
    assert [e["event_id"] for e in first["events"]] == ["TH-2-e2", "TH-2-e3", "TH-2-e4"]  # in time order
    older = paged.get("/v1/tickets/TH-2?limit=3&offset=3", headers=MANAGER).json()
    assert [a["assessment_id"] for a in older["assessments"]] == [1, 2]
    assert older["assessments_page"] == {"total": 5, "limit": 3, "offset": 3, "next_offset": None}
    one = paged.get("/v1/tickets/TH-2?limit=1", headers=MANAGER).json()
    assert [a["assessment_id"] for a in one["assessments"]] == [5]


def test_a_page_over_the_limit_is_refused_naming_it(paged: TestClient) -> None:
    r = paged.get("/v1/tickets/TH-2?limit=4", headers=MANAGER)
    assert r.status_code == 422
    assert r.json()["detail"] == "limit: 4 is over the page size limit of 3"
    assert paged.get("/v1/tickets/TH-2?offset=-1", headers=MANAGER).status_code == 422
    r = paged.get("/v1/tickets/TH-2?events_limit=4", headers=MANAGER)
    assert r.status_code == 422
    assert r.json()["detail"] == "events_limit: 4 is over the page size limit of 3"
    r = paged.get("/v1/tickets/TH-2?events_offset=-1", headers=MANAGER)
    assert r.status_code == 422 and "events_offset" in r.json()["detail"]
    r = paged.get(f"/v1/tickets/TH-2?events_offset={2**63}", headers=MANAGER)
    assert r.status_code == 422 and "events_offset" in r.json()["detail"]


def test_the_latest_events_come_a_page_at_a_time(paged: TestClient) -> None:
    first = paged.get("/v1/tickets/TH-2", headers=MANAGER).json()  # no events_limit: the page size limit's 3
    assert [e["event_id"] for e in first["events"]] == ["TH-2-e2", "TH-2-e3", "TH-2-e4"]
    assert first["events_page"] == {"total": 5, "limit": 3, "offset": 0, "next_offset": 3}
    older = paged.get("/v1/tickets/TH-2?events_limit=3&events_offset=3", headers=MANAGER).json()
    assert [e["event_id"] for e in older["events"]] == ["TH-2-e0", "TH-2-e1"]
    assert older["events_page"] == {"total": 5, "limit": 3, "offset": 3, "next_offset": None}
    assert [a["assessment_id"] for a in older["assessments"]] == [3, 4, 5]  # each paged on its own
    one = paged.get("/v1/tickets/TH-2?events_limit=1&offset=4", headers=MANAGER).json()
    assert [e["event_id"] for e in one["events"]] == ["TH-2-e4"]
    assert [a["assessment_id"] for a in one["assessments"]] == [1]


def test_the_ticket_page_shows_the_latest_assessments(paged: TestClient) -> None:
    paged.post("/dashboard/login", data={"api_key": "dev-manager-key"})
    html = paged.get("/dashboard/tickets/TH-2").text
    assert "the latest 3 of 5 assessments" in html


# --- and its alerts, root causes and snoozes (a ticket of thousands of alerts answered them all) ----------
@pytest.fixture
def recorded(tmp_path: Path) -> Iterator[TestClient]:
    """TH-2 with 5 alerts, 5 root causes (each correcting the one before) and 5 snoozes (each replacing the
    one before), a page size limit of 3."""
    for client in page_app(tmp_path, 1):
        service = client.app.state.service  # type: ignore[attr-defined]
        with service.store.db.session() as s:
            s.add_all(AlertRow(ticket_id="TH-2", dedup_key=f"trigger:a{n}", kind="trigger", band="high",
                               risk=None, reason="trigger", raised_at=START + timedelta(minutes=n),
                               cooldown_until=START + timedelta(minutes=n), team="billing")
                      for n in range(5))
        service.ingest("TH-2", None, [Event.model_validate({
            "event_id": "TH-2-esc", "ticket_id": "TH-2", "at": (START + timedelta(minutes=1)).isoformat(),
            "type": "escalation", "author_role": "agent", "level": 1, "escalation_type": "hierarchical"})])
        for n in range(5):
            record_root_cause(service.store.db, RootCause("TH-2", "missing_knowledge", f"team-{n}", None,
                                                          "lead", START + timedelta(hours=n)))
            at = START + timedelta(hours=n)
            service.snooze("TH-2", at + timedelta(days=1), f"lead-{n}", at)
        yield client


def test_alerts_root_causes_and_snoozes_come_a_page_at_a_time(recorded: TestClient) -> None:
    first = recorded.get("/v1/tickets/TH-2", headers=MANAGER).json()  # no limits: the page size limit's 3
    assert [a["dedup_key"] for a in first["alerts"]] == ["trigger:a2", "trigger:a3", "trigger:a4"]
    assert first["alerts_page"] == {"total": 5, "limit": 3, "offset": 0, "next_offset": 3}
    # oldest first, as before: the last is the one that counts
    assert [r["owning_team"] for r in first["root_causes"]] == ["team-2", "team-3", "team-4"]
    assert first["root_causes_page"] == {"total": 5, "limit": 3, "offset": 0, "next_offset": 3}
    # latest first, as before
    assert [p["snoozed_by"] for p in first["snooze_history"]] == ["lead-4", "lead-3", "lead-2"]
    assert first["snooze_history_page"] == {"total": 5, "limit": 3, "offset": 0, "next_offset": 3}
    older = recorded.get("/v1/tickets/TH-2", headers=MANAGER, params={
        "alerts_offset": 3, "root_causes_limit": 1, "root_causes_offset": 4, "snoozes_limit": 2,
        "snoozes_offset": 3}).json()
    assert [a["dedup_key"] for a in older["alerts"]] == ["trigger:a0", "trigger:a1"]
    assert older["alerts_page"] == {"total": 5, "limit": 3, "offset": 3, "next_offset": None}
    assert [r["owning_team"] for r in older["root_causes"]] == ["team-0"]
    assert [p["snoozed_by"] for p in older["snooze_history"]] == ["lead-1", "lead-0"]
    assert older["snooze_history_page"] == {"total": 5, "limit": 2, "offset": 3, "next_offset": None}
    assert len(older["events"]) == 2 and len(older["assessments"]) == 2  # each paged on its own
    for name in ("alerts_limit", "root_causes_limit", "snoozes_limit"):
        r = recorded.get("/v1/tickets/TH-2", headers=MANAGER, params={name: 4})
        assert r.status_code == 422 and r.json()["detail"] == f"{name}: 4 is over the page size limit of 3"
    for name in ("alerts_offset", "root_causes_offset", "snoozes_offset"):
        for wrong in (-1, 2**63):
            r = recorded.get("/v1/tickets/TH-2", headers=MANAGER, params={name: wrong})
            assert r.status_code == 422 and r.json()["detail"].startswith(f"{name}: "), r.text


def test_the_snooze_history_comes_a_page_at_a_time_on_its_own_path_too(recorded: TestClient) -> None:
    first = recorded.get("/v1/tickets/TH-2/snoozes", headers=MANAGER).json()
    assert [p["snoozed_by"] for p in first["snoozes"]] == ["lead-4", "lead-3", "lead-2"]
    assert first["page"] == {"total": 5, "limit": 3, "offset": 0, "next_offset": 3}
    older = recorded.get("/v1/tickets/TH-2/snoozes", headers=MANAGER, params={"limit": 2, "offset": 3}).json()
    assert [p["snoozed_by"] for p in older["snoozes"]] == ["lead-1", "lead-0"]
    assert older["page"] == {"total": 5, "limit": 2, "offset": 3, "next_offset": None}
    r = recorded.get("/v1/tickets/TH-2/snoozes", headers=MANAGER, params={"limit": 4})
    assert r.status_code == 422 and r.json()["detail"] == "limit: 4 is over the page size limit of 3"
