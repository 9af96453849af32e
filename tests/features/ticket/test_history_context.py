"""As-of customer history and assignee load, by hand; the ticket's own future never counts."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from ticket_history import at, pairs

from core.tickets import Event
from features.ticket import CustomerFacts, CustomerHistory, HistoryContext, TicketSummary
from features.ticket.history_context import DAY_US as DAY
from features.ticket.history_context import summarise, to_us

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


def _random_summary(rng: random.Random, ticket_id: str, created: int) -> TicketSummary:
    """A ticket's summary with facts at random instants after its creation (µs, over ~10 days)."""
    s = TicketSummary(ticket_id, "C-1", created)
    instants = sorted(created + rng.randrange(10 * DAY) for _ in range(rng.randrange(0, 6)))
    s.messages = instants[: rng.randrange(len(instants) + 1)]
    s.first_escalation = created + rng.randrange(10 * DAY) if rng.random() < 0.4 else None
    s.csat = [(created + rng.randrange(10 * DAY), rng.randrange(1, 6)) for _ in range(rng.randrange(0, 3))]
    start = created
    for _ in range(rng.randrange(0, 3)):
        end = start + rng.randrange(1, 3 * DAY)
        s.open_spans.append((start, end))
        start = end + rng.randrange(1, DAY)
    return s


def test_a_history_kept_up_to_date_one_ticket_at_a_time_answers_as_one_built_at_once() -> None:
    """Serving keeps a customer's history and replaces the summaries of the tickets that changed; every
    answer must equal the training code's history built from the same summaries in one go — at every
    instant, each ticket left out in turn, after every change (new tickets, tickets that grew, equal
    creation instants, ties in every index)."""
    rng = random.Random(5)
    kept = CustomerHistory()
    current: dict[str, TicketSummary] = {}
    base = 1_780_000_000_000_000
    for step in range(120):
        ticket_id = f"T-{rng.randrange(25)}"
        created = current[ticket_id].created if ticket_id in current else base + rng.randrange(4) * DAY
        current[ticket_id] = _random_summary(rng, ticket_id, created)
        kept.put(current[ticket_id])
        if step % 6:
            continue
        built = CustomerHistory(current.values())
        assert len(kept) == len(built) == len(current)
        for t in range(base - DAY, base + 16 * DAY, DAY // 3):
            when = datetime.fromtimestamp(t / 1e6, UTC)
            for exclude in (*list(current)[:4], "T-none"):
                assert kept.facts(when, exclude) == built.facts(when, exclude), (step, t, exclude)


def test_a_withdrawn_ticket_is_not_open_for_its_customer_or_assignee() -> None:
    """T-EN merged into another ticket before its solve: its open stretch ends at the merge, as at a solve."""
    ticket, events = PAIRS["T-EN"]
    merge = Event.model_validate({"event_id": "w1", "ticket_id": ticket.ticket_id, "at": at("06-09 11:00"),
                                  "type": "status_change", "author_role": "agent", "status": "withdrawn"})
    s = summarise(ticket, [e for e in events if e.at < at("06-09 11:00")] + [merge])
    assert [end for _, end in s.open_spans] == [to_us(at("06-09 11:00"))]
