"""A small, realistic history for hand-computed features, with the shipped default policies.

Times are Oslo local (CEST, UTC+2) in June 2026: Fri 5, Sat 6, Sun 7, Mon 8, Tue 9, Wed 10.
- T-EN (en, email, normal, customer C-1): the `standard` policy, office calendar Mon-Fri 08-16.
  Written Friday afternoon, answered Monday morning, pending, chased twice on Tuesday, reassigned,
  escalated, solved, rated 2.
- T-DE (de, chat, billing, high, customer C-2): the `billing-urgent` policy, extended calendar
  (Mon-Fri 07-20, Sat 09-13). Written on Saturday, asks for a manager, answered Monday 07:30 (late).
- T-NO (no, twitter, customer C-1 again): the `social-media` policy, 24/7. Created Monday evening.
agent-1 holds all three at first; T-EN moves to agent-2 on Tuesday 11:00.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.text import MessageAnalysis, Sentiment, SentimentLabel, Signal, SignalName
from core.tickets import Event, Ticket
from features.history import TicketHistory, history_from_records

OSLO = ZoneInfo("Europe/Oslo")


def at(text: str) -> datetime:
    """'06-09 10:30' -> 2026-06-09 10:30 Oslo time."""
    return datetime.fromisoformat(f"2026-{text}").replace(tzinfo=OSLO)


def _ticket(tid: str, created: str, **fields: Any) -> dict[str, Any]:
    return {"ticket_id": tid, "created_at": at(created).isoformat(), "customer_tier": "basic",
            "customer_value": 400.0, "product": "Nimbus Mail", "subject": "Help", "assignee": "agent-1",
            **fields}


TICKETS = [
    _ticket("T-EN", "06-05 15:00", channel="email", priority="normal", customer_id="C-1",
            category="account", team="customer_accounts", language="en"),
    _ticket("T-DE", "06-06 12:00", channel="chat", priority="high", customer_id="C-2",
            customer_tier="enterprise", customer_value=90000.0, category="billing", team="billing",
            language="de", product="Nimbus Pay"),
    _ticket("T-NO", "06-08 20:00", channel="twitter", priority="normal", customer_id="C-1",
            category="account", team="customer_accounts", language="no"),
]

_E: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    ("a1", "T-EN", "06-05 15:00", "customer_message", "customer", {"body": "My account is locked."}),
    ("a2", "T-EN", "06-05 15:01", "agent_reply", "bot", {"body": "We got your message."}),
    ("a3", "T-EN", "06-08 09:30", "agent_reply", "agent", {"body": "Unlocked, please try again."}),
    ("a4", "T-EN", "06-08 09:31", "status_change", "agent", {"status": "pending"}),
    ("a5", "T-EN", "06-09 10:00", "customer_message", "customer", {"body": "Still locked."}),
    ("a6", "T-EN", "06-09 10:30", "customer_message", "customer", {"body": "HELLO?? Third time I write!"}),
    ("a7", "T-EN", "06-09 11:00", "reassignment", "system", {"assignee": "agent-2"}),
    ("a8", "T-EN", "06-09 13:00", "escalation", "manager",
     {"level": 1, "escalation_type": "hierarchical", "reason": "customer chased twice"}),
    ("a9", "T-EN", "06-09 14:00", "agent_reply", "agent", {"body": "Fixed for good now."}),
    ("a10", "T-EN", "06-09 14:05", "status_change", "agent", {"status": "solved"}),
    ("a11", "T-EN", "06-10 09:00", "csat_rating", "customer", {"csat": 2}),
    ("b1", "T-DE", "06-06 12:00", "customer_message", "customer", {"body": "Ich wurde doppelt belastet."}),
    ("b2", "T-DE", "06-06 12:30", "customer_message", "customer",
     {"body": "Hallo? Ich will mit Ihrem Vorgesetzten sprechen."}),
    ("b3", "T-DE", "06-08 07:30", "agent_reply", "agent", {"body": "Wir erstatten den Betrag."}),
    ("b4", "T-DE", "06-08 07:45", "priority_change", "agent", {"priority": "urgent"}),
    ("c1", "T-NO", "06-08 20:00", "customer_message", "customer", {"body": "Elendig service."}),
    ("c2", "T-NO", "06-08 20:45", "agent_reply", "agent", {"body": "Beklager! Vi ser på det."}),
]
EVENTS = [
    {"event_id": eid, "ticket_id": tid, "at": at(when).isoformat(), "type": kind, "author_role": role,
     **fields}
    for eid, tid, when, kind, role, fields in _E
]


def history() -> TicketHistory:
    return history_from_records(TICKETS, EVENTS)


def pairs() -> dict[str, tuple[Ticket, list[Event]]]:
    tickets = {t["ticket_id"]: Ticket.model_validate(t) for t in TICKETS}
    return {tid: (t, [Event.model_validate(e) for e in EVENTS if e["ticket_id"] == tid])
            for tid, t in tickets.items()}


def analysis(pos: float, neg: float, *signals: SignalName) -> MessageAnalysis:
    scores = {SentimentLabel.POSITIVE: pos, SentimentLabel.NEGATIVE: neg,
              SentimentLabel.NEUTRAL: round(1 - pos - neg, 6)}
    label = max(scores, key=lambda k: scores[k])
    return MessageAnalysis("en", Sentiment(label, scores), tuple(Signal(s, "x", 0, 1) for s in signals))


ANALYSES = {
    "a1": analysis(0.3, 0.2),  # polarity 0.1, neutral
    "a5": analysis(0.1, 0.6),  # -0.5, negative
    "a6": analysis(0.0, 0.9, SignalName.SHOUTING, SignalName.REPEATED_CONTACT),  # -0.9, negative
    "b1": analysis(0.05, 0.55, SignalName.FINANCIAL_HARM),
    "b2": analysis(0.0, 0.8, SignalName.MANAGER_REQUEST),
    "c1": analysis(0.0, 0.7, SignalName.INSULT),
}
