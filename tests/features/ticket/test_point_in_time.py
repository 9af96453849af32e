"""Point-in-time correctness, as properties over generated histories:
- features at t do not change when events after t are appended to the ticket;
- nor when later tickets (and later events of other tickets) of the same customer and agent are
  added to the context: a context over everything equals one that holds only what was known at t."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ticket_history import analysis

from core.tickets import Event, Ticket
from features.ticket import HistoryContext, build_features
from rules import load_policies

POLICIES = load_policies()
START = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
KINDS: list[tuple[str, str, dict[str, Any]]] = [
    ("customer_message", "customer", {"body": "it is still broken"}),
    ("agent_reply", "agent", {"body": "we are on it"}),
    ("agent_reply", "bot", {"body": "auto-reply"}),
    ("internal_note", "agent", {"body": "note"}),
    ("status_change", "agent", {"status": "pending"}),
    ("status_change", "agent", {"status": "open"}),
    ("status_change", "agent", {"status": "solved"}),
    ("status_change", "agent", {"status": "on_hold"}),
    ("priority_change", "agent", {"priority": "urgent"}),
    ("reassignment", "system", {"assignee": "agent-2"}),
    ("reassignment", "system", {"assignee": "agent-1", "team": "billing"}),
    ("escalation", "manager", {"level": 2, "escalation_type": "hierarchical"}),
    ("csat_rating", "customer", {"csat": 1}),
]

tickets_strategy = st.lists(
    st.tuples(
        st.integers(0, 60 * 24 * 7),  # created, minutes after START
        st.sampled_from(["C-1", "C-2"]),
        st.sampled_from(["email", "chat", "twitter"]),
        st.sampled_from(["normal", "high"]),
        st.lists(st.tuples(st.integers(0, 60 * 30), st.integers(0, len(KINDS) - 1)), max_size=8),
    ),
    min_size=1,
    max_size=4,
)


def make(spec: list[Any]) -> dict[str, tuple[Ticket, list[Event]]]:
    out = {}
    for i, (created_min, customer, channel, priority, steps) in enumerate(spec):
        tid = f"T{i}"
        created = START + timedelta(minutes=created_min)
        ticket = Ticket(ticket_id=tid, created_at=created, channel=channel, priority=priority,
                        customer_id=customer, customer_tier="basic", product="p", category="billing",
                        team="support", language="en", assignee="agent-1")
        events, t = [], created
        for k, (gap, kind) in enumerate(steps):
            t += timedelta(minutes=gap)
            type_, role, fields = KINDS[kind]
            events.append(Event(event_id=f"{tid}-{k}", ticket_id=tid, at=t, type=type_, author_role=role,
                                **fields))
        out[tid] = (ticket, events)
    return out


# every other event id has an analysis (most are not messages): missing ones must not matter either
ANALYSES = {f"T{i}-{k}": analysis(0.1 * (k % 4), 0.2 + 0.1 * (k % 3))
            for i in range(4) for k in range(0, 8, 2)}


def known_at(pairs: dict[str, tuple[Ticket, list[Event]]], t: datetime) -> list[tuple[Ticket, list[Event]]]:
    """What a serving store holds at t: tickets created by then, events up to then."""
    return [(ticket, [e for e in events if e.at <= t])
            for ticket, events in pairs.values() if ticket.created_at <= t]


def _nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.keys() == b.keys() and all(a[k] == b[k] or (_nan(a[k]) and _nan(b[k])) for k in a)


def diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {k: (a[k], b[k]) for k in a if not same({k: a[k]}, {k: b[k]})}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tickets_strategy, st.integers(0, 60 * 24 * 10), st.data())
def test_features_at_t_ignore_the_future(spec: list[Any], t_min: int, data: st.DataObject) -> None:
    pairs = make(spec)
    t = START + timedelta(minutes=t_min)
    tid = data.draw(st.sampled_from(sorted(pairs)))
    ticket, events = pairs[tid]
    if ticket.created_at > t:
        t = ticket.created_at
    everything = HistoryContext(pairs.values())
    as_served = HistoryContext(known_at(pairs, t))
    past = [e for e in events if e.at <= t]
    full = build_features(ticket, events, t, everything, ANALYSES, POLICIES)
    served = build_features(ticket, past, t, as_served, ANALYSES, POLICIES)
    assert same(full, served), diff(full, served)


@settings(max_examples=40, deadline=None)
@given(tickets_strategy, st.lists(st.integers(0, len(KINDS) - 1), min_size=1, max_size=5))
def test_appending_events_after_t_changes_nothing(spec: list[Any], extra: list[int]) -> None:
    pairs = make(spec)
    ticket, events = pairs["T0"]
    t = events[-1].at if events else ticket.created_at
    context = HistoryContext(pairs.values())
    before = build_features(ticket, events, t, context, ANALYSES, POLICIES)
    later = [
        Event(event_id=f"late-{k}", ticket_id=ticket.ticket_id, at=t + timedelta(minutes=k + 1),
              type=KINDS[kind][0], author_role=KINDS[kind][1], **KINDS[kind][2])
        for k, kind in enumerate(extra)
    ]
    grown = {**pairs, "T0": (ticket, events + later)}
    after = build_features(ticket, events + later, t, HistoryContext(grown.values()), ANALYSES, POLICIES)
    assert same(before, after), diff(before, after)
