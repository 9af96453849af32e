"""Basic statistics and invariants of a generated history (small, injected phrase banks)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from synthetic_facts import History, escalation_rate, escalation_types, reopened

from core.enums import Channel, EscalationType, Priority
from core.tickets import Event, Ticket
from synthetic.phrasebank import CATEGORIES

# The generating story aims at 12–20 % of tickets escalating (data/sample/README.md).
ESCALATION_RANGE = (0.12, 0.20)


def test_escalation_rate_is_in_the_stated_range(small_history: History) -> None:
    rate = escalation_rate(small_history)
    assert ESCALATION_RANGE[0] <= rate <= ESCALATION_RANGE[1], f"escalation rate {rate:.3f}"


def test_every_vocabulary_value_occurs(small_history: History) -> None:
    rows = [row for row, _ in small_history]
    assert {r["language"] for r in rows} == {"en", "de", "no"}
    assert {r["channel"] for r in rows} == {c.value for c in Channel}
    assert {r["category"] for r in rows} == set(CATEGORIES)
    assert {r["priority"] for r in rows} == {p.value for p in Priority}
    assert {r["customer_tier"] for r in rows} == {"basic", "business", "enterprise"}
    kinds = set().union(*(escalation_types(evs) for _, evs in small_history))
    assert kinds == {t.value for t in EscalationType}


def test_the_story_has_reopens_waits_reassignments_and_ratings(small_history: History) -> None:
    events = [e for _, evs in small_history for e in evs]
    statuses = Counter(e["status"] for e in events if e["type"] == "status_change")
    assert {"open", "pending", "on_hold", "solved", "closed"} <= set(statuses)
    types = Counter(e["type"] for e in events)
    for kind in ("reassignment", "csat_rating", "priority_change", "internal_note", "escalation"):
        assert types[kind] > 10, kind
    assert {e["author_role"] for e in events} == {"customer", "agent", "manager", "bot", "system"}
    reopen_rate = sum(reopened(evs) for _, evs in small_history) / len(small_history)
    assert 0.03 < reopen_rate < 0.3
    # Social tickets are about 8 %; some customers come back with several tickets.
    social = sum(r["channel"] in ("twitter", "facebook") for r, _ in small_history) / len(small_history)
    assert 0.04 < social < 0.13
    per_customer = Counter(r["customer_id"] for r, _ in small_history)
    assert max(per_customer.values()) >= 3


def test_outcome_columns_agree_with_the_events(small_history: History) -> None:
    for row, evs in small_history:
        ratings = [e["csat"] for e in evs if e["type"] == "csat_rating"]
        assert row["bad_csat"] == any(c <= 2 for c in ratings)
    breached = sum(row["sla_breached"] for row, _ in small_history) / len(small_history)
    assert 0.05 < breached < 0.5


def test_every_ticket_and_event_is_valid_under_the_contract(small_history: History) -> None:
    for row, evs in small_history:
        created = dt.datetime.fromtimestamp(row["created_at"], dt.UTC)
        Ticket.model_validate({**row, "created_at": created})
        for e in evs:
            Event.model_validate({**e, "at": dt.datetime.fromtimestamp(e["at"], dt.UTC)})


def test_events_are_ordered_never_early_and_uniquely_numbered(small_history: History) -> None:
    ids = [e["event_id"] for _, evs in small_history for e in evs]
    assert len(ids) == len(set(ids))
    for row, evs in small_history:
        times = [e["at"] for e in evs]
        assert times == sorted(times), row["ticket_id"]
        assert times[0] == row["created_at"] and evs[0]["type"] == "customer_message"
        assert all(e["ticket_id"] == row["ticket_id"] for e in evs)


def test_the_last_days_hold_open_tickets(small_history: History) -> None:
    last_status = {
        row["ticket_id"]: [e["status"] for e in evs if e["type"] == "status_change"]
        for row, evs in small_history
    }
    still_open = [t for t, s in last_status.items() if not s or s[-1] not in ("solved", "closed")]
    assert 10 <= len(still_open) < 0.2 * len(small_history)
