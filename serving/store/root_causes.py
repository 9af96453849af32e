"""Root causes of escalations (migration 0004): a manager records one per escalated ticket; a correction is a
new row and the latest one counts. A ticket is escalated when it has an escalation event or the SLA engine
fired an escalation for it — the same definition the KPIs use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.enums import EventType
from core.errors import NotFoundError
from serving.errors import ConflictError
from serving.store.database import Database
from serving.store.paging import Window
from serving.store.tables import ActionRow, EventRow, RootCauseRow, TicketRow


@dataclass(frozen=True, slots=True)
class RootCause:
    ticket_id: str
    cause: str
    owning_team: str
    note: str | None
    who: str
    at: datetime
    root_cause_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "root_cause_id": self.root_cause_id,
            "ticket_id": self.ticket_id,
            "cause": self.cause,
            "owning_team": self.owning_team,
            "note": self.note,
            "recorded_by": self.who,
            "recorded_at": self.at.isoformat(),
        }


def record_root_cause(db: Database, record: RootCause) -> RootCause:
    """Store a root cause for an escalated ticket. 404: unknown ticket; 409: not escalated (yet)."""
    with db.session() as s:
        if s.get(TicketRow, record.ticket_id) is None:
            raise NotFoundError(f"ticket {record.ticket_id!r} is not known; check the id")
        if not _escalated(s, record.ticket_id):
            raise ConflictError(
                f"ticket {record.ticket_id!r} has not been escalated (no escalation event and no escalation "
                "fired by the SLA rules): a root cause is recorded for an escalation"
            )
        row = RootCauseRow(
            ticket_id=record.ticket_id,
            cause=record.cause,
            owning_team=record.owning_team,
            note=record.note,
            who=record.who,
            at=record.at,
        )
        s.add(row)
        s.flush()
        return _domain(row)


def root_causes_of(db: Database, ticket_id: str, window: Window | None = None) -> list[RootCause]:
    """The root causes recorded for the ticket, oldest first (the last one is current): every one, or the
    window's — the `limit` latest after skipping the `offset` latest."""
    query = select(RootCauseRow).where(RootCauseRow.ticket_id == ticket_id).order_by(RootCauseRow.id.desc())
    if window is not None:
        query = query.limit(window.limit).offset(window.offset)
    with db.session() as s:
        return [_domain(r) for r in s.execute(query).scalars()][::-1]


def latest_root_causes(s: Session, ticket_ids: Sequence[str]) -> dict[str, RootCause]:
    """The current root cause of each of these tickets that has one."""
    latest = (
        select(func.max(RootCauseRow.id))
        .where(RootCauseRow.ticket_id.in_(ticket_ids))
        .group_by(RootCauseRow.ticket_id)
        .scalar_subquery()
    )
    rows = s.execute(select(RootCauseRow).where(RootCauseRow.id.in_(latest))).scalars()
    return {r.ticket_id: _domain(r) for r in rows}


def is_escalated(db: Database, ticket_id: str) -> bool:
    with db.session() as s:
        return _escalated(s, ticket_id)


def _escalated(s: Session, ticket_id: str) -> bool:
    event = s.execute(
        select(EventRow.seq)
        .where(EventRow.ticket_id == ticket_id, EventRow.type == EventType.ESCALATION.value)
        .limit(1)
    ).first()
    if event is not None:
        return True
    fired = s.execute(
        select(ActionRow.action_id)
        .where(ActionRow.ticket_id == ticket_id, ActionRow.kind == "escalate")
        .limit(1)
    ).first()
    return fired is not None


def _domain(row: RootCauseRow) -> RootCause:
    return RootCause(row.ticket_id, row.cause, row.owning_team, row.note, row.who, row.at, int(row.id))
