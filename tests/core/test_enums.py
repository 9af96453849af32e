"""The ticket statuses: open, solved and withdrawn are three separate things, and a withdrawal sticks."""

from __future__ import annotations

import pytest

from core.enums import OPEN_STATUSES, SOLVED_STATUSES, TicketStatus, status_after
from core.tickets import Event

W = TicketStatus.WITHDRAWN


def test_every_status_is_open_solved_or_withdrawn_and_only_one() -> None:
    groups = [set(OPEN_STATUSES), set(SOLVED_STATUSES), {W}]
    assert set().union(*groups) == set(TicketStatus)
    assert sum(len(g) for g in groups) == len(TicketStatus)


@pytest.mark.parametrize(
    ("current", "new", "after"),
    [
        (TicketStatus.OPEN, W, W),
        (TicketStatus.SOLVED, W, W),  # merged after its solve
        (W, TicketStatus.CLOSED, W),  # Zendesk closes the ticket it merges: still withdrawn
        (W, TicketStatus.SOLVED, W),
        (W, TicketStatus.OPEN, TicketStatus.OPEN),  # undeleted: worked on again
        (W, TicketStatus.PENDING, TicketStatus.PENDING),
        (TicketStatus.OPEN, TicketStatus.SOLVED, TicketStatus.SOLVED),
    ],
)
def test_a_withdrawn_ticket_solved_or_closed_stays_withdrawn(
    current: TicketStatus, new: TicketStatus, after: TicketStatus
) -> None:
    assert status_after(current, new) is after


def test_the_event_format_accepts_withdrawn() -> None:
    event = Event.model_validate(
        {"event_id": "e1", "ticket_id": "T1", "at": "2026-05-04T09:00:00Z", "type": "status_change",
         "author_role": "agent", "status": "withdrawn"}
    )
    assert event.status is W
