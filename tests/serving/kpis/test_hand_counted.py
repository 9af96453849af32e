"""The KPIs of a hand-made week in Berlin's office hours (Mon-Fri 09:00-17:00, Europe/Berlin), across the
end of summer time (25 Oct 2026) and the end of October, each figure counted by hand in the comments, on
SQLite and PostgreSQL: by month in Berlin (the dashboard's periods) and in UTC (GET /v1/kpis)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.enums import AuthorRole, EventType, TicketStatus
from serving.app import create_app
from serving.kpis import KpiEvent, facts_of, kpi_report
from serving.service import Service
from serving.store import migrate
from serving.sweeper import Sweeper
from tests.serving.conftest import quiet_settings
from tests.serving.kpis.test_kpis import ev, figures, ticket

POLICY = """
calendars:
  office:
    timezone: Europe/Berlin
    hours:
      mon-fri: ["09:00-17:00"]
policies:
  - name: office
    calendar: office
    targets:
      first_response: {urgent: 2h, high: 2h, normal: 2h, low: 2h}
      next_response: {urgent: 4h, high: 4h, normal: 4h, low: 4h}
      resolution: {urgent: 8h, high: 8h, normal: 8h, low: 8h}
    escalation:
      first_response:
        - {after: 0m, to: team_lead}
"""
BERLIN = "Europe/Berlin"
MANAGER = {"X-API-Key": "dev-manager-key"}


def week(service: Service) -> None:
    """Times in UTC; Berlin is UTC+2 until 25 Oct, UTC+1 after. SLA verdicts (met / judged) in brackets."""
    # A, Fri 23 Oct 10:00 CEST: one reply, solved: first contact (first response, resolution: 2/2)
    service.ingest("A", ticket("A", "2026-10-23T08:00:00Z", "billing"), [
        ev("A", 1, "2026-10-23T08:00:00Z", "customer_message", "customer"),
        ev("A", 2, "2026-10-23T08:30:00Z", "agent_reply"),
        ev("A", 3, "2026-10-23T09:00:00Z", "status_change", status="solved")])
    # B, Mon 26 Oct: one reply, solved; the customer writes back, which reopens it (the SLA engine starts a
    # second resolution cycle), solved again: not first contact (3/3: first response, both resolutions)
    service.ingest("B", ticket("B", "2026-10-26T09:00:00Z", "billing"), [
        ev("B", 1, "2026-10-26T09:00:00Z", "customer_message", "customer"),
        ev("B", 2, "2026-10-26T09:30:00Z", "agent_reply"),
        ev("B", 3, "2026-10-26T09:40:00Z", "status_change", status="solved"),
        ev("B", 4, "2026-10-26T10:00:00Z", "customer_message", "customer"),
        ev("B", 5, "2026-10-26T10:30:00Z", "status_change", status="solved")])
    # C: one reply, solved, set back to pending, solved again: reopened, not first contact (3/3)
    service.ingest("C", ticket("C", "2026-10-26T10:00:00Z", "billing"), [
        ev("C", 1, "2026-10-26T10:00:00Z", "customer_message", "customer"),
        ev("C", 2, "2026-10-26T10:30:00Z", "agent_reply"),
        ev("C", 3, "2026-10-26T11:00:00Z", "status_change", status="solved"),
        ev("C", 4, "2026-10-26T11:30:00Z", "status_change", status="pending"),
        ev("C", 5, "2026-10-26T12:00:00Z", "status_change", status="solved")])
    # D (tech): escalated three times (hierarchical levels 1 and 2, then functional), one reply, solved:
    # escalated once, under both types; first contact (2/2)
    service.ingest("D", ticket("D", "2026-10-26T10:00:00Z", "tech"), [
        ev("D", 1, "2026-10-26T10:00:00Z", "customer_message", "customer"),
        ev("D", 2, "2026-10-26T10:10:00Z", "escalation", "manager", level=1, escalation_type="hierarchical"),
        ev("D", 3, "2026-10-26T10:20:00Z", "escalation", "manager", level=2, escalation_type="hierarchical"),
        ev("D", 4, "2026-10-26T10:30:00Z", "escalation", "manager", level=2, escalation_type="functional"),
        ev("D", 5, "2026-10-26T10:40:00Z", "agent_reply"),
        ev("D", 6, "2026-10-26T11:00:00Z", "status_change", status="solved")])
    # H (tech), Mon 14:00 CET: replied at once; the customer writes at 16:00, answered Tue 13:00 CET (5 office
    # hours: next response missed); solved Tue 13:30 CET, within 8 office hours (2/3); two replies
    service.ingest("H", ticket("H", "2026-10-26T13:00:00Z", "tech"), [
        ev("H", 1, "2026-10-26T13:00:00Z", "customer_message", "customer"),
        ev("H", 2, "2026-10-26T13:30:00Z", "agent_reply"),
        ev("H", 3, "2026-10-26T15:00:00Z", "customer_message", "customer"),
        ev("H", 4, "2026-10-27T12:00:00Z", "agent_reply"),
        ev("H", 5, "2026-10-27T12:30:00Z", "status_change", status="solved")])
    # F: answered, then merged into another ticket (Zendesk closes it): withdrawn, in no figure
    service.ingest("F", ticket("F", "2026-10-30T10:00:00Z", "billing"), [
        ev("F", 1, "2026-10-30T10:00:00Z", "customer_message", "customer"),
        ev("F", 2, "2026-10-30T10:30:00Z", "agent_reply"),
        ev("F", 3, "2026-10-30T10:45:00Z", "status_change", status="withdrawn"),
        ev("F", 4, "2026-10-30T10:45:00Z", "status_change", status="closed")])
    # G, Sat 31 Oct 23:30 CET (October's last day in Berlin and in UTC): answered Mon 09:30 CET, half an
    # office hour after the clock started; solved 10:00: first contact (2/2)
    service.ingest("G", ticket("G", "2026-10-31T22:30:00Z", "billing"), [
        ev("G", 1, "2026-10-31T22:30:00Z", "customer_message", "customer"),
        ev("G", 2, "2026-11-02T08:30:00Z", "agent_reply"),
        ev("G", 3, "2026-11-02T09:00:00Z", "status_change", status="solved")])
    # E (tech), Sun 1 Nov 00:30 CET (31 Oct in UTC): nobody answers; at Mon 13:00 CET its first response
    # (due 11:00 CET) is breached and the SLA engine escalates: escalated (automatic), 0/1, resolution running
    service.ingest("E", ticket("E", "2026-10-31T23:30:00Z", "tech"), [
        ev("E", 1, "2026-10-31T23:30:00Z", "customer_message", "customer")])
    Sweeper(service, clock=lambda: datetime(2026, 11, 2, 12, 0, tzinfo=UTC)).sweep_once()
    service.root_cause("D", "agent_workload", "tech", None, "dev-manager")
    service.root_cause("D", "missing_knowledge", "billing", "the refund rules", "dev-manager")  # a correction


BOTH = {"hierarchical": 1, "functional": 1}
CAUSE, OWNER = {"missing_knowledge": 1}, {"billing": 1}


def test_hand_counted_kpis_by_month_in_berlin_and_in_utc(make_service: Callable[..., Service]) -> None:
    service = make_service(POLICY)
    week(service)
    berlin = kpi_report(service.store.db, period="month", start=None, end=None, team=None, zone=BERLIN)
    # October in Berlin: A B C D G H (F withdrawn); escalated D; solved all six; first contact A D G;
    # SLA met 2+3+3+2+2+2 = 14 of 2+3+3+2+2+3 = 15; reopened B C
    # by target (met, judged): billing's first responses 4/4 and resolutions 2 (B, C: two each) + 2 = 6/6;
    # tech's first responses 2/2, next response 0/1 (H), resolutions 2/2; E's first response 0/1
    october_billing = figures(4, 0, 4, 2, 10, 10, withdrawn=1, reopened=2,  # A B C G; first contact A G
                              by_target={"first_response": (4, 4), "resolution": (6, 6)})
    tech_targets = {"first_response": (2, 2), "next_response": (0, 1), "resolution": (2, 2)}
    october_tech = figures(2, 1, 2, 1, 5, 4, BOTH, CAUSE, OWNER, by_target=tech_targets)  # D H
    november_tech = figures(1, 1, 0, 0, 1, 0, {"automatic": 1}, unrecorded=1,  # E
                            by_target={"first_response": (0, 1)})
    assert [r.model_dump() for r in berlin.rows] == [
        {"period_start": "2026-10-01", "team": "billing", **october_billing},
        {"period_start": "2026-10-01", "team": "tech", **october_tech},
        {"period_start": "2026-11-01", "team": "tech", **november_tech},
    ]
    totals = figures(7, 2, 6, 3, 16, 14, BOTH | {"automatic": 1}, CAUSE, OWNER, unrecorded=1, withdrawn=1,
                     reopened=2,
                     by_target={"first_response": (6, 7), "next_response": (0, 1), "resolution": (8, 8)})
    assert berlin.totals.model_dump() == totals
    rates = ("escalation_rate", "first_contact_resolution_rate", "reopen_rate", "sla_compliance")
    assert [getattr(berlin.totals, r) for r in rates] == [0.285714, 0.5, 0.333333, 0.875]  # 2/7 3/6 2/6 14/16
    utc = kpi_report(service.store.db, period="month", start=None, end=None, team=None)
    assert [(r.period_start, r.team, r.tickets) for r in utc.rows] == [  # E is October's in UTC
        ("2026-10-01", "billing", 4), ("2026-10-01", "tech", 3)]
    assert utc.totals == berlin.totals


def test_a_range_of_berlin_days_and_an_empty_one(make_service: Callable[..., Service]) -> None:
    service = make_service(POLICY)
    week(service)
    first, last = (datetime.fromisoformat(f"2026-{m}-01T00:00+01:00") for m in ("11", "12"))
    november = kpi_report(service.store.db, period="day", start=first, end=last, team=None, zone=BERLIN)
    assert [(r.period_start, r.team, r.tickets) for r in november.rows] == [("2026-11-01", "tech", 1)]  # E
    december = kpi_report(service.store.db, period="week", start=last, end=None, team=None, zone=BERLIN)
    assert december.rows == []
    assert december.totals.model_dump() == figures(0, 0, 0, 0, 0, 0)  # every rate null, not 0
    assert december.totals.escalation_rate is None and december.totals.sla_compliance is None


def test_get_kpis_counts_periods_in_the_time_zone_asked_for(url: str, tmp_path: Path) -> None:
    """G is created 23:30 on 31 Oct in Berlin, E an hour later: 00:30 on 1 Nov in Berlin, still 31 Oct in UTC.
    A Berlin manager's month puts E in November, as the dashboard in Berlin does; UTC stays the default."""
    migrate(url)
    app = create_app(quiet_settings(tmp_path).model_copy(update={"database_url": url}))
    with TestClient(app, base_url="http://localhost") as client:
        service = app.state.service
        late = (("G", "2026-10-31T22:30:00Z", "billing"), ("E", "2026-10-31T23:30:00Z", "tech"))
        for tid, created, team in late:
            message = ev(tid, 1, created, "customer_message", "customer")
            service.ingest(tid, ticket(tid, created, team), [message])

        def rows(query: str) -> tuple[str, list[tuple[str, str, int]]]:
            r = client.get(f"/v1/kpis?period=month{query}", headers=MANAGER)
            assert r.status_code == 200, r.text
            answer = r.json()
            return answer["time_zone"], [(w["period_start"], w["team"], w["tickets"]) for w in answer["rows"]]

        assert rows("") == ("UTC", [("2026-10-01", "billing", 1), ("2026-10-01", "tech", 1)])
        assert rows("&time_zone=Europe/Berlin") == (
            "Europe/Berlin", [("2026-10-01", "billing", 1), ("2026-11-01", "tech", 1)])
        # a Berlin November: from its first instant, E alone
        berlin_november = "&time_zone=Europe/Berlin&from=2026-11-01T00:00:00%2B01:00"
        assert rows(berlin_november) == ("Europe/Berlin", [("2026-11-01", "tech", 1)])
        for bad in ("Mars/Olympus", "Europe", "../etc/passwd"):
            r = client.get(f"/v1/kpis?time_zone={bad}", headers=MANAGER)
            assert r.status_code == 422, r.text
            assert r.json()["detail"].startswith(f"time_zone: unknown time zone '{bad}'"), r.text


def test_a_reassigned_ticket_counts_under_its_team_now(make_service: Callable[..., Service]) -> None:
    """Created in billing, handed to tech and solved there: tech's ticket in every figure (docs/api.md)."""
    service = make_service(POLICY)
    service.ingest("R", ticket("R", "2026-10-26T09:00:00Z", "billing"), [
        ev("R", 1, "2026-10-26T09:00:00Z", "customer_message", "customer"),
        ev("R", 2, "2026-10-26T09:10:00Z", "reassignment", team="tech"),
        ev("R", 3, "2026-10-26T09:30:00Z", "agent_reply"),
        ev("R", 4, "2026-10-26T09:40:00Z", "status_change", status="closed")])
    report = kpi_report(service.store.db, period="week", start=None, end=None, team="tech", zone=BERLIN)
    assert [(r.team, r.tickets, r.first_contact_resolved) for r in report.rows] == [("tech", 1, 1)]
    assert kpi_report(service.store.db, period="week", start=None, end=None, team="billing").rows == []


S, C, R = EventType.STATUS_CHANGE, EventType.CUSTOMER_MESSAGE, EventType.AGENT_REPLY
CLOSE = KpiEvent(S, AuthorRole.AGENT, TicketStatus.CLOSED)


@pytest.mark.parametrize(
    ("after_the_solve", "reopened"),
    [
        ([KpiEvent(C, AuthorRole.CUSTOMER)], True),  # the customer writes back: a helpdesk reopens it
        ([KpiEvent(S, AuthorRole.AGENT, TicketStatus.PENDING)], True),
        ([CLOSE, KpiEvent(C, AuthorRole.CUSTOMER)], False),  # a closed ticket stays closed
        ([CLOSE, KpiEvent(S, AuthorRole.AGENT, TicketStatus.OPEN)], True),
        ([KpiEvent(R, AuthorRole.AGENT)], False),  # a reply after the solve reopens nothing
    ],
)
def test_what_reopens_a_solved_ticket(after_the_solve: list[KpiEvent], reopened: bool) -> None:
    """Whatever the policy's `customer_message_resumes`: the KPIs take no policy (docs/api.md)."""
    solved = [KpiEvent(C, AuthorRole.CUSTOMER), KpiEvent(R, AuthorRole.AGENT),
              KpiEvent(S, AuthorRole.AGENT, TicketStatus.SOLVED)]
    facts = facts_of("T", datetime(2026, 10, 26, 9, tzinfo=UTC), "billing", solved + after_the_solve, [])
    assert (facts.solved, facts.reopened, facts.first_contact) == (True, reopened, not reopened)
