"""Alerts through the service, on SQLite and PostgreSQL: the budget comes from the settings, and the sweeper
and ingest both hold model-driven alerts to it (the rules in detail: tests/serving/store/test_budget.py)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from core.assessment import Ingested
from core.enums import Band, TicketStatus
from core.settings import Settings
from core.tickets import Event, Ticket
from serving.alerts import alert_budget
from serving.service import Service
from serving.store import AlertBudget
from serving.sweeper import Sweeper
from tests.serving.conftest import RULES_ONLY_POLICY

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def open_ticket(service: Service, tid: str, at: datetime = T0) -> Ingested:
    ticket = Ticket.model_validate({
        "ticket_id": tid, "created_at": T0.isoformat(), "channel": "email", "priority": "normal",
        "customer_id": f"C-{tid}", "customer_tier": "gold", "product": "p", "category": "c",
        "team": "billing", "language": "en", "assignee": "agent-1"})
    event = Event.model_validate({"event_id": f"{tid}-e1", "ticket_id": tid, "at": at.isoformat(),
                                  "type": "customer_message", "author_role": "customer",
                                  "body": "Hello, where is my invoice for April?"})
    return service.ingest(tid, ticket, [event])


def test_budget_from_settings() -> None:
    assert alert_budget(Settings().serving) == AlertBudget(20, {}, "UTC")
    custom = Settings(serving={"alert_budget_per_team_per_day": 5, "alert_budget_by_team": {"vip": None},
                               "alert_budget_timezone": "Europe/Oslo"}).serving
    assert alert_budget(custom) == AlertBudget(5, {"vip": None}, "Europe/Oslo")
    assert alert_budget(Settings(serving={"alert_budget_per_team_per_day": None}).serving) is None


def test_sweeper_alerts_are_held_to_the_team_budget(make_service: Callable[[], Service]) -> None:
    service = make_service()
    service.alert_budget = AlertBudget(per_day=1)
    bodies = [open_ticket(service, tid) for tid in ("B-1", "B-2", "B-3")]
    assert all(b.alerts_suppressed == [] and b.alerts_displaced == [] for b in bodies)
    # at 60 min each ticket is escalated (band at least high): three alerts without a score, one slot
    result = Sweeper(service, clock=lambda: T0 + timedelta(minutes=60)).sweep_once()
    risk = [a for a in service.store.alerts() if a.kind == "risk"]
    assert sorted(a.status for a in risk) == ["raised", "suppressed", "suppressed"]
    assert result.alerts == [a.dedup_key for a in risk if a.status == "raised"]


def test_concurrent_ingest_does_not_overshoot_the_budget(make_service: Callable[[], Service]) -> None:
    services = [make_service() for _ in range(4)]  # four instances: own engine each, one database
    for service in services:
        service.alert_budget = AlertBudget(per_day=3)
    tickets = [f"K-{i}" for i in range(12)]
    barrier, errors = threading.Barrier(len(services)), []

    def run(k: int) -> None:
        try:
            barrier.wait(timeout=30)
            for tid in tickets[k :: len(services)]:
                # a message 90 min after creation, unanswered: first response breached, the band is high
                open_ticket(services[k], tid, at=T0 + timedelta(minutes=90))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(services))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    risk = [a for a in services[0].store.alerts() if a.kind == "risk"]
    assert len(risk) == len(tickets)
    days = Counter(a.raised_at.date() for a in risk)  # wall-clock days (a run across midnight has two)
    raised = Counter(a.raised_at.date() for a in risk if a.status == "raised")
    assert raised == Counter({day: min(3, n) for day, n in days.items()})


# an immediate trigger on a plain field, and the same trigger with its condition edited (a new version)
EMAIL_TRIGGER = RULES_ONLY_POLICY + """triggers:
  - {name: by-email, when: {field: channel, operator: equal_to, value: email}, to: {group: duty}, level: 2}
"""
EMAIL_TRIGGER_EDITED = EMAIL_TRIGGER.replace("operator: equal_to, value: email",
                                             "operator: in, value: [email, web]")


def test_an_edited_trigger_does_not_fire_or_alert_again(make_service: Callable[..., Service]) -> None:
    first = open_ticket(make_service(EMAIL_TRIGGER), "A-1")
    assert len(first.actions_fired) == 1 and f"trigger:{first.actions_fired[0]}" in first.alerts_raised
    edited = make_service(EMAIL_TRIGGER_EDITED)
    again = edited.reassess("A-1", T0 + timedelta(minutes=5))
    assert again is not None and again.fresh
    assert [a.rule for a in again.body.sla.actions_due] == ["by-email"]  # still holds, under a new id
    assert (again.new_actions, again.alerts) == ((), ())
    level_3 = make_service(EMAIL_TRIGGER.replace("level: 2", "level: 3"))
    raised = level_3.reassess("A-1", T0 + timedelta(minutes=10))
    assert raised is not None and len(raised.new_actions) == 1  # another level: another escalation
    assert raised.alerts == (f"trigger:{raised.new_actions[0]}",)


def test_a_ticket_solved_late_raises_no_alert(make_service: Callable[[], Service]) -> None:
    """Solving a ticket past its first-response target leaves it breached (band critical), but it is done:
    an alert to act on it was noise to the team (and counted against its budget). Only a ticket still worked
    on (new, open, pending, on hold) raises one."""
    service = make_service()
    assert open_ticket(service, "S-1").alerts_raised == []
    at = (T0 + timedelta(minutes=90)).isoformat()
    done = service.ingest("S-1", None, [
        Event.model_validate({"event_id": "S-1-e2", "ticket_id": "S-1", "at": at, "type": "agent_reply",
                              "author_role": "agent", "body": "Here it is."}),
        Event.model_validate({"event_id": "S-1-e3", "ticket_id": "S-1", "at": at, "type": "status_change",
                              "author_role": "agent", "status": "solved"}),
    ])
    assert done.band is Band.CRITICAL and done.state.status is TicketStatus.SOLVED
    assert done.alerts_raised == [] and done.alerts_suppressed == []
    assert [a for a in service.store.alerts() if a.ticket_id == "S-1"] == []
    # reopened and still late, it alerts again
    later = (T0 + timedelta(minutes=100)).isoformat()
    reopened = service.ingest("S-1", None, [
        Event.model_validate({"event_id": "S-1-e4", "ticket_id": "S-1", "at": later,
                              "type": "customer_message", "author_role": "customer",
                              "body": "It is still wrong."}),
        Event.model_validate({"event_id": "S-1-e5", "ticket_id": "S-1", "at": later, "type": "status_change",
                              "author_role": "customer", "status": "open"}),
    ])
    assert reopened.state.status is TicketStatus.OPEN
    assert reopened.band in (Band.HIGH, Band.CRITICAL) and len(reopened.alerts_raised) == 1


def test_a_per_team_budget_matches_its_team_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    # the variable's name reaches the settings lower-cased: `BILLING` never matched the team `Billing`
    monkeypatch.setenv("ESCALATION_SERVING__ALERT_BUDGET_BY_TEAM__BILLING", "50")
    monkeypatch.setenv("ESCALATION_SERVING__ALERT_BUDGET_BY_TEAM__TIER_2", "null")
    budget = alert_budget(Settings().serving)
    assert budget is not None
    assert [budget.limit(team) for team in ("Billing", "billing", "BILLING", "Tier_2", "support")] == [
        50, 50, 50, None, 20]
    assert AlertBudget(20, {"Billing": 7}).limit("BILLING") == 7  # built in code too


def test_per_team_budgets_that_differ_only_in_case_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"the teams 'Billing' and 'billing' differ only in case \(a "
                                              r"team's budget matches its name in any case\); give one"):
        Settings(serving={"alert_budget_by_team": {"Billing": 5, "billing": 6}})
