"""describe-data figures on the hand-computed history of conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from features.history import history_from_records, load_history
from features.history.summary import CsatFigures, EscalationFigures, summarize

Records = list[dict[str, str]]


def test_figures_of_the_small_history(write_history: Callable[..., Path]) -> None:
    figures = summarize(load_history(write_history("csv")))
    assert (figures.tickets, figures.events) == (3, 21)
    assert (figures.first, figures.last) == ("2024-03-04T07:15:00+00:00", "2024-03-06T07:05:00+00:00")
    assert figures.by_channel == {"email": 1, "chat": 1, "twitter": 1}
    assert figures.by_language == {"en": 1, "de": 1, "no": 1}
    assert figures.by_priority == {"high": 2, "normal": 1}
    assert figures.open_at_end == 1  # T-1002 was reopened and never solved again
    assert figures.escalation == EscalationFigures(
        tickets=2, rate=0.6667,
        rate_by_type={"functional": 0.0, "hierarchical": 0.3333, "automatic": 0.3333},
        tickets_by_max_level={"1": 1, "2": 1},
    )
    assert figures.solved_tickets == 3
    assert figures.reopen_rate == 0.3333
    # T-1001: one human reply (the bot's auto-reply does not count); T-1003: one reply, a note does
    # not count; T-1002: two replies and a reopen.
    assert figures.first_contact_resolution_rate == 0.6667
    assert figures.csat == CsatFigures(rated_tickets=2, mean=3.0, share_low=0.5)


def test_the_last_rating_of_a_ticket_counts_and_a_solve_after_reopen(tickets: Records,
                                                                   events: Records) -> None:
    events.append({**events[14], "event_id": "E-22", "at": "2024-03-07T08:00:00+01:00", "csat": "4"})
    events.append({**events[12], "event_id": "E-23", "at": "2024-03-07T09:00:00+01:00"})  # solved again
    figures = summarize(history_from_records(tickets, events))
    assert figures.csat == CsatFigures(rated_tickets=2, mean=4.5, share_low=0.0)
    assert figures.open_at_end == 0
    assert figures.reopen_rate == 0.3333  # still reopened once


def test_an_empty_history_has_no_rates(tickets: Records) -> None:
    figures = summarize(history_from_records(tickets[:1], []))
    assert figures.escalation.rate == 0.0
    assert figures.reopen_rate is None and figures.first_contact_resolution_rate is None
    assert figures.csat == CsatFigures(rated_tickets=0, mean=None, share_low=None)
    assert figures.open_at_end == 1


@pytest.mark.parametrize("status", ["solved", "closed"])
def test_solved_or_closed_both_end_a_ticket(tickets: Records, events: Records, status: str) -> None:
    events[20]["status"] = status
    assert summarize(history_from_records(tickets, events)).solved_tickets == 3


@pytest.mark.parametrize("then", [None, "closed"], ids=["merged", "merged-then-closed"])
def test_a_withdrawn_ticket_is_no_solve_and_no_first_contact_resolution(
    tickets: Records, events: Records, then: str | None
) -> None:
    """T-1001 (solved at first contact) merged into another ticket at 10:40 — Zendesk then closes it: it is
    counted as withdrawn, and neither solved nor resolved at first contact nor open."""
    merged = {**events[3], "event_id": "E-30", "at": "2024-03-04T10:40:00+01:00", "status": "withdrawn"}
    events.append(merged)
    if then:
        events.append({**merged, "event_id": "E-31", "at": "2024-03-04T10:41:00+01:00", "status": then})
    figures = summarize(history_from_records(tickets, events))
    assert (figures.withdrawn_tickets, figures.solved_tickets, figures.open_at_end) == (1, 2, 1)
    assert figures.first_contact_resolution_rate == 0.5  # T-1003 of T-1002, T-1003
    assert figures.reopen_rate == 0.5  # T-1002 of the two; the merge after T-1001's solve is no reopen
    assert figures.tickets == 3 and figures.escalation.tickets == 2  # the escalated label unchanged


def test_a_restored_ticket_is_not_withdrawn(tickets: Records, events: Records) -> None:
    merged = {**events[3], "event_id": "E-30", "at": "2024-03-04T10:40:00+01:00", "status": "withdrawn"}
    events += [merged, {**merged, "event_id": "E-31", "at": "2024-03-04T11:00:00+01:00", "status": "solved"},
               {**merged, "event_id": "E-32", "at": "2024-03-04T11:10:00+01:00", "status": "pending"}]
    figures = summarize(history_from_records(tickets, events))
    assert (figures.withdrawn_tickets, figures.open_at_end) == (0, 2)


def test_a_customer_message_after_the_solve_is_a_reopen_as_in_the_kpis(tickets: Records,
                                                                        events: Records) -> None:
    """One definition of a reopen (features.ticket.timeline, which the KPIs read too): T-1001's customer
    writes after the solve, with no status change, and T-1003 is put back to `pending`: both are reopened,
    and neither was resolved at first contact."""
    events.append({**events[0], "event_id": "E-22", "at": "2024-03-04T12:00:00+01:00", "body": "Not yet!"})
    events.append({**events[20], "event_id": "E-23", "at": "2024-03-05T16:30:00+01:00", "status": "pending"})
    figures = summarize(history_from_records(tickets, events))
    assert figures.reopen_rate == 1.0  # T-1001, T-1002 and T-1003 of three solved
    assert figures.first_contact_resolution_rate == 0.0
