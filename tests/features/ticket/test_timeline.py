"""Cutting at t and replaying one ticket's events."""

from __future__ import annotations

import pytest
from ticket_history import at, pairs

from core.enums import EventType, TicketStatus
from core.tickets import Event
from features.ticket.timeline import StatusStep, events_until, replay, walk_statuses

PAIRS = pairs()


def test_events_until_keeps_t_itself_and_orders_ties_by_input() -> None:
    _, events = PAIRS["T-EN"]
    kept = events_until(events[::-1], at("06-09 10:30"))
    assert [e.event_id for e in kept] == ["a1", "a2", "a3", "a4", "a5", "a6"]


def test_a_customer_message_answers_pending_and_reopens_solved() -> None:
    ticket, events = PAIRS["T-EN"]
    state = replay(ticket, events_until(events, at("06-09 10:00")))
    assert [s.value for _, s in state.statuses] == ["new", "pending", "open"]
    later = [*events, events[4].model_copy(update={"event_id": "a12", "at": at("06-10 10:00")})]
    reopened = replay(ticket, events_until(later, at("06-10 10:00")))
    assert reopened.status is TicketStatus.OPEN and reopened.reopens == 1


def test_status_spans_cover_the_life_up_to_t() -> None:
    ticket, events = PAIRS["T-EN"]
    state = replay(ticket, events_until(events, at("06-09 12:00")))
    spans = list(state.status_spans(at("06-09 12:00")))
    assert spans[0] == (TicketStatus.NEW, at("06-05 15:00"), at("06-08 09:31"))
    assert spans[-1] == (TicketStatus.OPEN, at("06-09 10:00"), at("06-09 12:00"))


def _status(event: Event, n: int, when: str, status: str) -> Event:
    """A status change on `event`'s ticket."""
    return Event.model_validate({"event_id": f"w{n}", "ticket_id": event.ticket_id, "at": at(when),
                                 "type": "status_change", "author_role": "agent", "status": status})


def test_a_withdrawal_is_no_reopen_and_a_close_after_it_leaves_it_withdrawn() -> None:
    """T-EN, solved by then, is merged into another ticket; Zendesk closes it; the customer writes again."""
    ticket, events = PAIRS["T-EN"]
    solved = replay(ticket, events_until(events, at("06-09 23:00")))
    assert solved.status is TicketStatus.SOLVED
    later = [*events, _status(events[0], 1, "06-10 09:00", "withdrawn"),
             _status(events[0], 2, "06-10 09:00", "closed"),
             events[4].model_copy(update={"event_id": "w3", "at": at("06-10 10:00")})]
    state = replay(ticket, events_until(later, at("06-10 11:00")))
    assert state.status is TicketStatus.WITHDRAWN and state.reopens == solved.reopens


def test_a_withdrawn_ticket_is_restored_by_a_working_status_without_a_reopen() -> None:
    ticket, events = PAIRS["T-EN"]
    before = replay(ticket, events_until(events, at("06-09 23:00")))
    later = [*events, _status(events[0], 1, "06-10 09:00", "withdrawn"),
             _status(events[0], 2, "06-10 09:30", "open")]
    state = replay(ticket, events_until(later, at("06-10 11:00")))
    assert state.status is TicketStatus.OPEN and state.reopens == before.reopens


SOLVE = StatusStep(EventType.STATUS_CHANGE, TicketStatus.SOLVED)
CUSTOMER = StatusStep(EventType.CUSTOMER_MESSAGE)


def _set(status: TicketStatus) -> StatusStep:
    return StatusStep(EventType.STATUS_CHANGE, status)


@pytest.mark.parametrize(("steps", "first_solve", "reopened"), [
    ([CUSTOMER, SOLVE, CUSTOMER], 1, True),  # the customer writes back: reopened without a status change
    ([CUSTOMER, SOLVE, _set(TicketStatus.PENDING)], 1, True),
    ([CUSTOMER, _set(TicketStatus.OPEN), SOLVE], 2, False),  # picked up before the solve
    ([CUSTOMER, _set(TicketStatus.CLOSED), CUSTOMER], 1, False),  # a closed ticket stays closed
    ([SOLVE, _set(TicketStatus.WITHDRAWN), _set(TicketStatus.OPEN)], 0, False),  # a restore is no reopen
    ([_set(TicketStatus.WITHDRAWN), SOLVE, CUSTOMER], None, False),  # a solve after a withdrawal is none
])
def test_walk_statuses_is_the_one_reading_of_a_reopen(steps: list[StatusStep], first_solve: int | None,
                                                      reopened: bool) -> None:
    walk = walk_statuses(steps)
    assert (walk.first_solve, walk.reopened) == (first_solve, reopened)
