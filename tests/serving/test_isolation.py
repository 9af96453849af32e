"""A poisoned ticket cannot form, and a failing one is isolated, on SQLite and PostgreSQL: an assessment
that fails stores nothing of its request (events and assessment commit together), a request racing another
on the same ticket re-assesses with its events, and a ticket whose sweep fails is retried with backoff while
every other ticket's reminders and escalations fire. Faults are injected where our own code runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

import serving.service
from core.tickets import Event, Ticket
from serving.isolation import Isolation
from serving.service import Service
from serving.store import Store
from serving.store.tables import ActionRow, TicketRow
from serving.sweeper import Sweeper

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def ticket(tid: str) -> Ticket:
    return Ticket.model_validate({
        "ticket_id": tid, "created_at": T0.isoformat(), "channel": "email", "priority": "normal",
        "customer_id": f"C-{tid}", "customer_tier": "gold", "product": "p", "category": "c",
        "team": "billing", "language": "en", "assignee": "agent-1"})


def message(tid: str, n: int, minutes: int = 0) -> Event:
    return Event.model_validate({
        "event_id": f"{tid}-e{n}", "ticket_id": tid, "at": (T0 + timedelta(minutes=minutes)).isoformat(),
        "type": "customer_message", "author_role": "customer", "body": f"Where is my invoice? ({n})"})


Poisoned = Callable[[Ticket, Sequence[Event]], bool]


def fail_assessing(monkeypatch: pytest.MonkeyPatch, poisoned: Poisoned) -> None:
    real = serving.service.assess

    def assess(ticket: Ticket, events: Sequence[Event], *args: Any, **kwargs: Any) -> Any:
        if poisoned(ticket, events):
            raise OverflowError("date value out of range")  # as the calendar raised for year 9999
        return real(ticket, events, *args, **kwargs)

    monkeypatch.setattr(serving.service, "assess", assess)


def ticket_row(service: Service, tid: str) -> TicketRow:
    with service.store.db.session() as s:
        row = s.get(TicketRow, tid)
        assert row is not None
        return row


def test_a_failed_assessment_stores_nothing_and_the_ticket_goes_on(
    make_service: Callable[[], Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service()
    service.ingest("P-1", ticket("P-1"), [message("P-1", 1)])
    fail_assessing(monkeypatch, lambda _t, events: any(e.event_id == "P-1-e2" for e in events))
    with pytest.raises(OverflowError):
        service.ingest("P-1", None, [message("P-1", 2, 5)])
    assert service.store.count("events") == 1 and service.store.count("assessments") == 1
    assert service.isolation.failed_total["ingest"] == 1
    # the next message is assessed and stored as if the failed one had never come
    later = service.ingest("P-1", None, [message("P-1", 3, 10)])
    assert later.stored_events == ["P-1-e3"]
    assert [e.event_id for e in service.store.load("P-1").events] == ["P-1-e1", "P-1-e3"]
    assert ticket_row(service, "P-1").events_seen == 2


def test_a_failure_while_recording_rolls_the_events_back(
    make_service: Callable[[], Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database error in the recording (on PostgreSQL it aborts the transaction) undoes the append too."""
    service = make_service()
    service.ingest("P-1", ticket("P-1"), [message("P-1", 1)])

    def broken(self: Store, s: Session, *args: Any, **kwargs: Any) -> Any:
        s.execute(text("INSERT INTO tickets (ticket_id) VALUES (NULL)"))  # a real IntegrityError

    monkeypatch.setattr(Store, "_record", broken)
    with pytest.raises(Exception, match=r"(?i)null"):
        service.ingest("P-1", None, [message("P-1", 2, 5)])
    assert [e.event_id for e in service.store.load("P-1").events] == ["P-1-e1"]
    assert service.store.count("events") == 1


def test_a_new_ticket_whose_first_assessment_fails_is_not_created(
    make_service: Callable[[], Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service()
    fail_assessing(monkeypatch, lambda t, _events: t.ticket_id == "P-2")
    with pytest.raises(OverflowError):
        service.ingest("P-2", ticket("P-2"), [message("P-2", 1)])
    assert service.store.count("tickets") == 0 and service.store.count("events") == 0


def test_events_another_request_stored_meanwhile_are_assessed_too(
    make_service: Callable[[], Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    service, other = make_service(), make_service()  # two instances on one store
    service.ingest("P-1", ticket("P-1"), [message("P-1", 1)])
    real = service.store.view_with
    views: list[int] = []

    def read_then_race(*args: Any) -> Any:
        view = real(*args)
        if not views:  # between this request's read and its write, another request stores an event
            other.ingest("P-1", None, [message("P-1", 2, 5)])
        views.append(len(view.events))
        return view

    monkeypatch.setattr(service.store, "view_with", read_then_race)
    body = service.ingest("P-1", None, [message("P-1", 3, 10)])
    assert views == [2, 3]  # the stale view was dropped and the ticket read again
    assert body.stored_events == ["P-1-e3"]
    assert ticket_row(service, "P-1").events_seen == 3
    assert service.store.count("events") == 3


def test_a_ticket_that_others_keep_writing_to_is_assessed_under_its_lock_with_every_event(
    make_service: Callable[[], Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    # every optimistic read is overtaken by another request's write, whatever the number of tries; the
    # last resort holds the ticket's lock, so its assessment counts the events the ticket then holds
    service, other = make_service(), make_service()
    service.ingest("P-1", ticket("P-1"), [message("P-1", 1)])
    real = service.store.view_with
    raced: list[int] = []

    def read_then_race(*args: Any) -> Any:
        view = real(*args)
        raced.append(len(raced) + 2)
        other.ingest("P-1", None, [message("P-1", raced[-1], len(raced))])
        return view

    monkeypatch.setattr(service.store, "view_with", read_then_race)
    body = service.ingest("P-1", None, [message("P-1", 99, 60)])
    assert len(raced) == serving.service.INGEST_TRIES - 1 and body.stored_events == ["P-1-e99"]
    held = service.store.count("events")
    assert held == 2 + len(raced)
    assert ticket_row(service, "P-1").events_seen == held  # not behind its events


def test_a_failing_ticket_does_not_stop_the_sweep_and_is_retried_with_backoff(
    make_service: Callable[[], Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service()
    for tid in ("S-BAD", "S-OK"):
        service.ingest(tid, ticket(tid), [message(tid, 1)])
    broken = {"on": True}
    real_record = Store._record

    def record(self: Store, s: Session, ticket_id: str, *args: Any, **kwargs: Any) -> Any:
        if ticket_id == "S-BAD" and broken["on"]:  # a real database error, as a 300-character team gave
            s.execute(text("INSERT INTO tickets (ticket_id) VALUES (NULL)"))
        return real_record(self, s, ticket_id, *args, **kwargs)

    monkeypatch.setattr(Store, "_record", record)
    now = T0 + timedelta(minutes=55)  # both tickets' reminders are due (at 50 min)
    first = Sweeper(service, clock=lambda: now).sweep_once()
    assert first.failed == ["S-BAD"] and first.assessed == ["S-OK"]
    assert fired(service) == [("S-OK", "reminder")]
    # isolated: due again after 30 s, not at once, and counted
    assert ticket_row(service, "S-BAD").next_due_at == now + timedelta(seconds=30)
    assert service.isolation.isolated() == 1 and service.isolation.failed_total["sweep"] == 1
    retry = Sweeper(service, clock=lambda: now + timedelta(seconds=31)).sweep_once()
    assert retry.failed == ["S-BAD"]
    assert ticket_row(service, "S-BAD").next_due_at == now + timedelta(seconds=31 + 60)  # twice as long
    broken["on"] = False
    later = T0 + timedelta(minutes=65)
    healed = Sweeper(service, clock=lambda: later).sweep_once()
    assert "S-BAD" in healed.assessed and healed.failed == []
    assert ("S-BAD", "escalate") in fired(service) and service.isolation.isolated() == 0


def fired(service: Service) -> list[tuple[str, str]]:
    with service.store.db.session() as s:
        query = select(ActionRow.ticket_id, ActionRow.kind).order_by(ActionRow.ticket_id, ActionRow.due_at)
        rows = s.execute(query)
        return [(t, k) for t, k in rows]


def test_backoff_doubles_up_to_the_cap() -> None:
    isolation = Isolation(retry_base_s=30, retry_max_s=100)
    waits = [(isolation.retry_at("T", T0) - T0).total_seconds() for _ in range(4)]
    assert waits == [30, 60, 100, 100]
    isolation.recovered("T")
    assert isolation.isolated() == 0 and (isolation.retry_at("T", T0) - T0).total_seconds() == 30


def test_the_failure_log_names_the_ticket_and_not_the_message(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise ValueError("customer wrote: my card 4111 was charged twice")
    except ValueError as exc:
        Isolation(30, 3600).failed("T-9", "sweep", exc)
    assert "T-9" in caplog.text and "ValueError" in caplog.text and "4111" not in caplog.text


def test_failures_and_isolated_tickets_are_in_the_metrics() -> None:
    from prometheus_client import generate_latest

    from serving.metrics import Metrics

    isolation = Isolation(30, 3600)
    try:
        raise OverflowError("date value out of range")
    except OverflowError as exc:
        isolation.failed("T-1", "sweep", exc)
    isolation.retry_at("T-1", T0)
    text = generate_latest(Metrics(lambda: None, 1.0, lambda: isolation).registry).decode()
    assert 'escalation_assessment_failures_total{stage="sweep"} 1.0' in text
    assert 'escalation_assessment_failures_total{stage="ingest"} 0.0' in text
    assert "escalation_tickets_isolated 1.0" in text
