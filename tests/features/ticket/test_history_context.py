"""As-of customer history and assignee load, by hand; the ticket's own future never counts."""

from __future__ import annotations

import pytest
from ticket_history import at, pairs

from features.ticket import CustomerFacts, HistoryContext
from features.ticket.history_context import summarise

PAIRS = pairs()
CONTEXT = HistoryContext(PAIRS.values())


def test_customer_facts_at_the_second_ticket_see_the_first_as_it_was() -> None:
    # T-NO at creation: C-1's T-EN exists (pending, not yet escalated, not yet rated)
    facts = CONTEXT.customer_facts("C-1", at("06-08 20:00"), exclude="T-NO")
    assert facts == CustomerFacts(tickets=1, escalated=0, open_tickets=1, last_csat=None, median_messages=1.0,
                                  days_since_last_ticket=pytest.approx(77 / 24))


def test_customer_facts_later_see_escalation_solve_and_rating() -> None:
    facts = CONTEXT.customer_facts("C-1", at("06-10 10:00"), exclude="T-NO")
    assert (facts.tickets, facts.escalated, facts.open_tickets) == (1, 1, 0)
    assert facts.last_csat == 2.0 and facts.median_messages == 3.0


def test_the_ticket_itself_is_never_part_of_its_customers_history() -> None:
    # After T-EN is escalated, solved and rated, T-EN's own facts still show only T-NO.
    facts = CONTEXT.customer_facts("C-1", at("06-10 10:00"), exclude="T-EN")
    assert (facts.tickets, facts.escalated, facts.open_tickets, facts.last_csat) == (1, 0, 1, None)
    assert facts.median_messages == 1.0


def test_unknown_customer_or_assignee_has_no_history() -> None:
    assert CONTEXT.customer_facts("C-404", at("06-10 10:00"), exclude="X") == CustomerFacts()
    assert CONTEXT.assignee_open_tickets("agent-404", at("06-10 10:00"), exclude="X") == 0


@pytest.mark.parametrize(
    ("when", "exclude", "expected"),
    [
        ("06-05 15:00", "T-EN", 0),  # only T-EN exists
        ("06-06 12:00", "T-DE", 1),  # T-EN (agent-1)
        ("06-08 20:00", "T-NO", 2),  # T-EN pending still counts as open, T-DE
        ("06-09 11:00", "T-NO", 1),  # T-EN moved to agent-2 at 11:00
        ("06-09 11:00", "nobody", 2),  # T-DE and T-NO
    ],
)
def test_assignee_open_tickets_as_of_t(when: str, exclude: str, expected: int) -> None:
    assert CONTEXT.assignee_open_tickets("agent-1", at(when), exclude=exclude) == expected


def test_agent_2_holds_t_en_until_it_is_solved() -> None:
    assert CONTEXT.assignee_open_tickets("agent-2", at("06-09 14:04"), exclude="T-NO") == 1
    assert CONTEXT.assignee_open_tickets("agent-2", at("06-09 14:05"), exclude="T-NO") == 0


def test_summary_spans_split_at_reassignment_and_end_at_solve() -> None:
    s = summarise(*PAIRS["T-EN"])
    assert [who for who, _, _ in s.assigned_spans] == ["agent-1", "agent-2"]
    assert len(s.open_spans) == 1  # the reassignment does not end the open stretch
    assert s.open_spans[0][1] == s.assigned_spans[1][2]
