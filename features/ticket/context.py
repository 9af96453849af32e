"""What features need to know about *other* tickets at time t: the customer's own history and the
assignee's load. Training answers from a loaded history (HistoryContext); serving answers the same
questions from its store. Either way an answer at t uses only tickets created and events that
happened at or before t, and never the ticket being featurised (its own future must not leak)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """A customer's other tickets as of t (the ticket being featurised left out)."""

    tickets: int = 0  # other tickets created at or before t
    escalated: int = 0  # of those, escalated at or before t
    open_tickets: int = 0  # of those, not solved or closed at t
    last_csat: float | None = None  # the latest CSAT rating given at or before t
    median_messages: float | None = None  # median customer messages a ticket (as of t), recent tickets
    days_since_last_ticket: float | None = None  # since the latest other ticket's creation


NO_HISTORY = CustomerFacts()


class FeatureContext(Protocol):
    """Cross-ticket facts as of `at`. `exclude` is the ticket being featurised: it never counts."""

    def customer_facts(self, customer_id: str, at: datetime, exclude: str) -> CustomerFacts: ...

    def assignee_open_tickets(self, assignee: str, at: datetime, exclude: str) -> int: ...


class EmptyContext:
    """No other tickets known: a first contact, or a test that looks at one ticket only."""

    def customer_facts(self, customer_id: str, at: datetime, exclude: str) -> CustomerFacts:
        return NO_HISTORY

    def assignee_open_tickets(self, assignee: str, at: datetime, exclude: str) -> int:
        return 0
