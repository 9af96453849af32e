"""A ticket's history, typed: the ticket as sent, its state now, a page of its events with their text
analysis, a page of the assessments the store kept, a page each of its alerts, root causes and snooze history
(serving/store/paging.py), and its snooze in force.
The service builds it from the store; the ticket page words its typed fields and GET /v1/tickets/{id}
answers `to_json()`."""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass
from typing import Any

from core.assessment import TicketState
from core.enums import TicketStatus
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from serving.store.codec import event_payload
from serving.store.paging import Page
from serving.store.records import StoredAlert, StoredAssessment
from serving.store.root_causes import RootCause
from serving.store.snoozes import PastSnooze, Snooze


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One event of the ticket and, for a message, what text analysis found in it (None: not analysed)."""

    event: Event
    analysis: MessageAnalysis | None = None

    def to_json(self) -> dict[str, Any]:
        return event_payload(self.event) | {"analysis": self.analysis.to_dict() if self.analysis else None}


@dataclass(frozen=True, slots=True)
class TicketHistory:
    ticket: Ticket
    current: TicketState  # the ticket's status, priority, team and assignee now
    events: list[HistoryEvent]  # a page of them (events_page), in time order
    assessments: list[StoredAssessment]  # a page of them (assessments_page), in the order they were made
    alerts: list[StoredAlert]  # a page of them (alerts_page), in the order raised
    escalated: bool  # an escalation event, or an escalation fired by the SLA rules
    root_causes: list[RootCause]  # a page of them (root_causes_page), oldest first; the ticket's last counts
    snooze: Snooze | None  # in force now
    snooze_history: list[PastSnooze]  # a page of them (snooze_history_page), latest first
    assessments_page: Page | None = None  # None: every assessment is in `assessments`
    events_page: Page | None = None  # None: every event is in `events`
    alerts_page: Page | None = None  # None: every alert is in `alerts`, and so on
    root_causes_page: Page | None = None
    snooze_history_page: Page | None = None
    status_before: TicketStatus = TicketStatus.NEW  # the ticket's status before the first event of `events`
    newest: StoredAssessment | None = None  # the ticket's latest assessment, on an older page too

    @property
    def latest(self) -> StoredAssessment | None:
        """The ticket's latest assessment, whichever page `assessments` is; None while a failing first one is
        retried."""
        if self.newest is not None:
            return self.newest
        return self.assessments[-1] if self.assessments else None

    def to_json(self) -> dict[str, Any]:
        """GET /v1/tickets/{id}'s answer."""
        return {
            "ticket": self.ticket.model_dump(mode="json", exclude_none=True),
            "current": self.current.model_dump(mode="json"),
            "events": [e.to_json() for e in self.events],
            "events_page": (self.events_page or whole(self.events)).to_json(),
            "assessments": [a.to_json() for a in self.assessments],
            "assessments_page": (self.assessments_page or whole(self.assessments)).to_json(),
            "alerts": [a.to_json() for a in self.alerts],
            "alerts_page": (self.alerts_page or whole(self.alerts)).to_json(),
            "escalated": self.escalated,
            "root_causes": [r.to_json() for r in self.root_causes],
            "root_causes_page": (self.root_causes_page or whole(self.root_causes)).to_json(),
            "snooze": self.snooze.to_json() if self.snooze else None,
            "snooze_history": [p.to_json() for p in self.snooze_history],
            "snooze_history_page": (self.snooze_history_page or whole(self.snooze_history)).to_json(),
        }


def whole(items: Sized) -> Page:
    """The page of a history built with all its items."""
    return Page(len(items), len(items))
