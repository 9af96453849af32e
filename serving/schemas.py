"""Request and response bodies of the API (OpenAPI examples included)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from core.assessment import TicketAssessment, TicketState
from core.bounds import EVENTS_MAX, BigId, Id, Name, Note, text_bound
from core.tickets import Event, Instant, Ticket
from serving.errors import InputError

EXAMPLE_TICKET: dict[str, Any] = {
    "created_at": "2026-05-04T09:13:27Z",
    "channel": "email",
    "priority": "normal",
    "customer_id": "C-0042",
    "customer_tier": "gold",
    "customer_value": 12000,
    "product": "invoicing",
    "category": "billing_payment",
    "team": "billing",
    "language": "en",
    "subject": "Charged twice",
    "assignee": "agent-7",
}
EXAMPLE_EVENT: dict[str, Any] = {
    "event_id": "E-1001",
    "at": "2026-05-04T09:13:27Z",
    "type": "customer_message",
    "author_role": "customer",
    "body": "I was charged twice this month. This is the third time I write, I want a manager now!",
}


class EventIn(Event):
    """An event as sent: `ticket_id` may be left out (the path names the ticket)."""

    ticket_id: Id | None = None  # type: ignore[assignment]


class TicketIn(Ticket):
    """A ticket's fields as known at creation; `ticket_id` may be left out (the path names it)."""

    ticket_id: Id | None = None  # type: ignore[assignment]


class EventsRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",  # a misspelt `ticket` would store the events as if it were not sent, without a word
        json_schema_extra={"examples": [{"ticket": EXAMPLE_TICKET, "events": [EXAMPLE_EVENT]}]}
    )

    ticket: TicketIn | None = Field(default=None, description="required with the ticket's first events")
    events: list[EventIn] = Field(min_length=1, max_length=EVENTS_MAX)

    def to_domain(self, ticket_id: str) -> tuple[Ticket | None, list[Event]]:
        ticket = None
        if self.ticket is not None:
            if self.ticket.ticket_id not in (None, ticket_id):
                raise InputError(
                    f"ticket.ticket_id: {self.ticket.ticket_id!r} differs from the path's {ticket_id!r}"
                )
            ticket = Ticket.model_validate(
                {**self.ticket.model_dump(exclude_none=True), "ticket_id": ticket_id}
            )
        return ticket, _events(self.events, ticket_id)


class ScoreRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",  # a misspelt `at` would score the ticket as of its latest event, without a word
        json_schema_extra={
            "examples": [{"ticket": {"ticket_id": "T-1", **EXAMPLE_TICKET}, "events": [EXAMPLE_EVENT]}]
        }
    )

    ticket: Ticket
    events: list[EventIn] = Field(default_factory=list, max_length=EVENTS_MAX)
    at: Instant | None = Field(
        default=None, description="assess as of this instant; default: latest event"
    )

    def to_domain(self) -> list[Event]:
        if self.at is not None and self.at < self.ticket.created_at:  # its SLA would read as at creation
            raise InputError(
                f"at: {self.at.isoformat()} is before the ticket's created_at "
                f"({self.ticket.created_at.isoformat()}); give an instant from its creation on"
            )
        return _events(self.events, self.ticket.ticket_id)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",  # a misspelt alert_id would store the verdict for the ticket alone, without a word
        json_schema_extra={
            "examples": [
                {
                    "ticket_id": "T-1",
                    "alert_id": 1,
                    "verdict": "false_alarm",
                    "comment": "customer was joking",
                }
            ]
        }
    )

    ticket_id: Id
    alert_id: BigId | None = None
    assessment_id: BigId | None = None
    verdict: Literal["useful", "false_alarm"]
    comment: Note | None = None


class FeedbackOut(BaseModel):
    feedback_id: int


Cause = Annotated[str, text_bound(60, 1)]  # the store's String(60)


class RootCauseRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "cause": "missing_knowledge",
                    "owning_team": "billing",
                    "note": "refund rules for annual plans",
                }
            ]
        },
    )

    cause: Cause = Field(description="one of GET /v1/root-causes (settings)")
    owning_team: Name = Field(description="the team that owns the fix")
    note: Note | None = None


class RootCauseOut(BaseModel):
    root_cause_id: int
    ticket_id: str
    cause: str
    owning_team: str
    note: str | None
    recorded_by: str
    recorded_at: str


class RootCausesOut(BaseModel):
    causes: list[str] = Field(examples=[["agent_workload", "missing_knowledge", "product_defect"]])


class SnoozeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"until": "2026-12-04T09:00:00+01:00"}]}
    )

    until: AwareDatetime = Field(
        description="when the warning comes back by itself: ahead of now, at most 30 days ahead, with a "
        "time zone"
    )


class SnoozeOut(BaseModel):
    ticket_id: str
    snoozed_until: str
    snoozed_by: str
    snoozed_at: str


class PastSnoozeOut(BaseModel):
    snoozed_by: str
    snoozed_at: str
    snoozed_until: str
    ended_at: str | None = Field(description="null while the snooze is in force")
    ended_by: str | None = Field(
        description="the manager who un-snoozed or snoozed again; null: it ended by itself"
    )
    end_reason: Literal[
        "time_passed", "new_breach", "higher_level", "higher_band", "unsnoozed", "replaced"
    ] | None


class SnoozeHistoryOut(BaseModel):
    ticket_id: str
    snoozes: list[PastSnoozeOut] = Field(
        description="a page of them (`page`): the `limit` latest after skipping the `offset` latest, latest "
        "first"
    )
    page: PageOut


class UnsnoozeOut(BaseModel):
    ticket_id: str
    unsnoozed: bool = Field(description="false: the ticket had no snooze")


class AlertOut(BaseModel):
    alert_id: int
    dedup_key: str = Field(description="risk:<ticket>:<band>:<instant>, or trigger:<action id>")
    ticket_id: str
    kind: Literal["risk", "trigger"]
    band: str
    risk: float | None
    reason: str = Field(description="the rules engine's note in English (logs)")
    raised_at: str
    cooldown_until: str
    team: str | None
    status: Literal["raised", "suppressed"] = Field(description="suppressed: over the team's daily budget")
    suppressed_reason: str | None


class StoredAssessmentOut(TicketAssessment):
    """An assessment as the store kept it, with its id (serving/store/records.py's `StoredAssessment`)."""

    assessment_id: int


class PageOut(BaseModel):
    """Which of the ticket's assessments (events, alerts, root causes, snoozes) the answer holds: the `limit`
    latest after skipping the `offset` latest (serving/store/paging.py's `Page`)."""

    total: int = Field(description="how many the ticket has")
    limit: int
    offset: int
    next_offset: int | None = Field(
        description="ask again with this offset (`offset`, `events_offset`, `alerts_offset`, "
        "`root_causes_offset`, `snoozes_offset`) for the older ones; null when there are none"
    )


class TicketHistoryOut(BaseModel):
    """serving/ticket_history.py's `TicketHistory` as JSON."""

    ticket: dict[str, Any] = Field(description="the ticket as sent (`Ticket`), without its empty fields")
    current: TicketState = Field(description="the ticket's status, priority, team and assignee now")
    events: list[dict[str, Any]] = Field(
        description="a page of its events (`events_page`): the `events_limit` latest after skipping the "
        "`events_offset` latest, in time order (`Event`, without empty fields), each with `analysis`: what "
        "text analysis found in a message (language, sentiment, signals), else null"
    )
    events_page: PageOut
    assessments: list[StoredAssessmentOut] = Field(
        description="a page of its assessments (`assessments_page`): the `limit` latest after skipping the "
        "`offset` latest, in the order made"
    )
    assessments_page: PageOut
    alerts: list[AlertOut] = Field(
        description="a page of its alerts (`alerts_page`): the `alerts_limit` latest after skipping the "
        "`alerts_offset` latest, in the order raised"
    )
    alerts_page: PageOut
    escalated: bool = Field(description="an escalation event, or an escalation fired by the SLA rules")
    root_causes: list[RootCauseOut] = Field(
        description="a page of those recorded for its escalation (`root_causes_page`): the "
        "`root_causes_limit` latest after skipping the `root_causes_offset` latest, oldest first; the "
        "ticket's last counts"
    )
    root_causes_page: PageOut
    snooze: SnoozeOut | None = Field(
        None, description="the snooze in force: until it ends or the ticket's situation gets worse"
    )
    snooze_history: list[PastSnoozeOut] = Field(
        default_factory=list,
        description="a page of the snoozes of the ticket's warning (`snooze_history_page`): the "
        "`snoozes_limit` latest after skipping the `snoozes_offset` latest, latest first, with how each "
        "ended",
    )
    snooze_history_page: PageOut


class ReloadOut(BaseModel):
    previous_model_version: str | None
    model_version: str | None
    previous_policy_version: str
    policy_version: str
    tickets_due_now: int  # open tickets last assessed under another policy file, made due for the next sweep


class ErrorOut(BaseModel):
    error: str
    detail: str


def _events(events: list[EventIn], ticket_id: str) -> list[Event]:
    out = []
    for i, e in enumerate(events):
        if e.ticket_id not in (None, ticket_id):
            raise InputError(
                f"events[{i}].ticket_id: {e.ticket_id!r} differs from the ticket's {ticket_id!r}"
            )
        out.append(Event.model_validate({**e.model_dump(exclude_none=True), "ticket_id": ticket_id}))
    return out
