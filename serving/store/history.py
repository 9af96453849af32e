"""A ticket's history as the store reads it for a manager: the ticket and its state now, a page of its events
with their message analyses, a page of its assessments and one of its alerts — each the `limit` latest after
skipping the `offset` latest, read with LIMIT/OFFSET, so that a ticket of 10,000 events is never read whole
(nor put in the ticket cache) —, how many of each (and of its root causes and snoozes, which their modules
page) it has, the ticket's latest assessment, and its status before the events' page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Label, and_, func, or_, select

from core.assessment import TicketAssessment, TicketState
from core.bounds import STORED
from core.enums import EventType, TicketStatus
from core.errors import NotFoundError
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from serving.store.paging import Window
from serving.store.records import StoredAlert, StoredAssessment
from serving.store.statements import ANALYSES
from serving.store.tables import AlertRow, AssessmentRow, EventRow, RootCauseRow, SnoozeHistoryRow, TicketRow

_T, _E, _AS = TicketRow.__table__.c, EventRow.__table__.c, AssessmentRow.__table__.c
_AL = AlertRow.__table__.c
# newest first, as the pages count: events by time (ties: the later arrival), assessments by the events
# they saw (ties: the later made)
_NEWEST_EVENTS = (_E.at.desc(), _E.seq.desc())
_NEWEST_ASSESSMENTS = (_AS.events_seen.desc(), _AS.id.desc())


@dataclass(frozen=True, slots=True)
class StoredHistory:
    ticket: Ticket
    current: TicketState  # the ticket's status, priority, team and assignee now
    events: list[Event]  # the events' page, in time order (ties: arrival)
    texts: dict[str, MessageAnalysis]  # the page's message analyses, by event id
    events_total: int
    status_before: TicketStatus  # the ticket's status before the page's first event
    assessments: list[StoredAssessment]  # the assessments' page, in the order made
    assessments_total: int
    latest: StoredAssessment | None  # the ticket's latest assessment; None: none recorded yet
    alerts: list[StoredAlert]  # the alerts' page, in the order raised
    alerts_total: int
    root_causes_total: int
    snoozes_total: int  # its snooze history's


def _count(ticket_of: ColumnElement[str], name: str) -> Label[int]:
    """How many rows a table has for the ticket (`ticket_of`: its ticket id column)."""
    return select(func.count()).where(ticket_of == _T.ticket_id).scalar_subquery().label(name)


def read_history(
    connection: Connection, ticket_id: str, assessments: Window, events: Window, alerts: Window
) -> StoredHistory:
    counts = (_count(_E.ticket_id, "events"), _count(_AS.ticket_id, "assessments"),
              _count(_AL.ticket_id, "alerts"), _count(RootCauseRow.__table__.c.ticket_id, "root_causes"),
              _count(SnoozeHistoryRow.__table__.c.ticket_id, "snoozes"))
    row = connection.execute(
        select(_T.fields, _T.status, _T.priority, _T.team, _T.assignee, *counts)
        .where(_T.ticket_id == ticket_id)
    ).first()
    if row is None:
        raise NotFoundError(f"ticket {ticket_id!r} is not known; check the id or send its events first")
    page = connection.execute(
        select(_E.seq, _E.at, _E.payload).where(_E.ticket_id == ticket_id)
        .order_by(*_NEWEST_EVENTS).limit(events.limit).offset(events.offset)
    ).all()[::-1]
    listed = [Event.model_validate(r.payload, context=STORED) for r in page]
    messages = [e.event_id for e in listed if e.type is EventType.CUSTOMER_MESSAGE and e.body]
    texts = {
        i: MessageAnalysis.from_dict(a) for i, a in connection.execute(ANALYSES, {"ids": messages})
    } if messages else {}
    before = status_before(connection, ticket_id, page[0].at, page[0].seq) if page else TicketStatus.NEW
    made = connection.execute(
        select(_AS.id, _AS.body).where(_AS.ticket_id == ticket_id)
        .order_by(*_NEWEST_ASSESSMENTS).limit(assessments.limit).offset(assessments.offset)
    ).all()[::-1]
    shown = [StoredAssessment(r.id, TicketAssessment.model_validate(r.body)) for r in made]
    return StoredHistory(
        ticket=Ticket.model_validate(row.fields, context=STORED),
        current=TicketState.model_validate(
            {"status": row.status, "priority": row.priority, "team": row.team, "assignee": row.assignee}
        ),
        events=listed,
        texts=texts,
        events_total=row.events,
        status_before=before,
        assessments=shown,
        assessments_total=row.assessments,
        latest=shown[-1] if assessments.offset == 0 and shown else latest_assessment(connection, ticket_id),
        alerts=alerts_page(connection, ticket_id, alerts),
        alerts_total=row.alerts,
        root_causes_total=row.root_causes,
        snoozes_total=row.snoozes,
    )


def alerts_page(connection: Connection, ticket_id: str, window: Window) -> list[StoredAlert]:
    """The `limit` latest alerts of the ticket after skipping the `offset` latest, in the order raised."""
    rows = connection.execute(
        select(AlertRow.__table__).where(_AL.ticket_id == ticket_id).order_by(_AL.id.desc())
        .limit(window.limit).offset(window.offset)
    ).all()[::-1]
    return [stored_alert(r) for r in rows]


def stored_alert(a: Any) -> StoredAlert:
    """An alert as read: an AlertRow, or a row of its table's columns."""
    return StoredAlert(
        alert_id=a.id, dedup_key=a.dedup_key, ticket_id=a.ticket_id, kind=a.kind, band=a.band, risk=a.risk,
        reason=a.reason, raised_at=a.raised_at, cooldown_until=a.cooldown_until, team=a.team,
        status=a.status, suppressed_reason=a.suppressed_reason,
    )


def status_before(connection: Connection, ticket_id: str, at: datetime, seq: int) -> TicketStatus:
    """The status the ticket's last status change before the event (`at`, `seq`) set; new when none did."""
    earlier = or_(_E.at < at, and_(_E.at == at, _E.seq < seq))
    payload = connection.execute(
        select(_E.payload)
        .where(_E.ticket_id == ticket_id, _E.type == EventType.STATUS_CHANGE.value, earlier)
        .order_by(*_NEWEST_EVENTS).limit(1)
    ).scalar()
    status = Event.model_validate(payload, context=STORED).status if payload is not None else None
    return status or TicketStatus.NEW


def latest_assessment(connection: Connection, ticket_id: str) -> StoredAssessment | None:
    row = connection.execute(
        select(_AS.id, _AS.body).where(_AS.ticket_id == ticket_id).order_by(*_NEWEST_ASSESSMENTS).limit(1)
    ).first()
    return StoredAssessment(row.id, TicketAssessment.model_validate(row.body)) if row else None
