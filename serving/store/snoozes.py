"""Snoozed warnings (migration 0006): a manager sets a ticket's warning aside until an instant. The snooze
keeps the ticket's situation at that time; it holds while `until` is ahead and the situation is no worse.
Worse is a new SLA breach, a higher escalation level, or a higher band (the combined band: the model's or
the SLA's) than at snooze time — then the ticket is back in the order of work at once, by itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, not_, select

from core.errors import NotFoundError
from serving.store.database import Database
from serving.store.tables import SnoozeRow, TicketRow

MAX_SNOOZE = timedelta(days=30)  # a warning set aside longer than this is no warning any more


@dataclass(frozen=True, slots=True)
class Snooze:
    """Who set the ticket's warning aside, when, until when, and the situation it was set aside in."""

    ticket_id: str
    until: datetime
    who: str
    at: datetime
    breached: bool = False
    escalation_level: int = 0
    band_rank: int = -1

    def holds(self, *, now: datetime, breached: bool, escalation_level: int, band_rank: int) -> bool:
        """The snooze is in force at `now` for a ticket in this situation; `holding` says the same in SQL."""
        worse = (breached and not self.breached) or escalation_level > self.escalation_level \
            or band_rank > self.band_rank
        return self.until > now and not worse

    def to_json(self) -> dict[str, Any]:
        return {
            "ticket_id": self.ticket_id,
            "snoozed_until": self.until.isoformat(),
            "snoozed_by": self.who,
            "snoozed_at": self.at.isoformat(),
        }


def holding(now: datetime) -> ColumnElement[bool]:
    """The joined snooze row is in force at `now` for the joined ticket's current situation."""
    worse = (
        (TicketRow.breached.is_(True) & SnoozeRow.breached.is_(False))
        | (TicketRow.escalation_level > SnoozeRow.escalation_level)
        | (TicketRow.band_rank > SnoozeRow.band_rank)
    )
    return and_(SnoozeRow.until > now, not_(worse))


def record_snooze(db: Database, ticket_id: str, until: datetime, who: str, now: datetime) -> Snooze:
    """Snooze the ticket's warning until `until`, replacing any earlier snooze; 404 for an unknown ticket."""
    with db.session() as s:
        ticket = s.get(TicketRow, ticket_id)
        if ticket is None:
            raise NotFoundError(f"ticket {ticket_id!r} is not known; check the id")
        snooze = Snooze(ticket_id, until, who, now, bool(ticket.breached), ticket.escalation_level,
                        ticket.band_rank)
        s.execute(delete(SnoozeRow).where(SnoozeRow.ticket_id == ticket_id))
        s.add(SnoozeRow(ticket_id=ticket_id, until=until, who=who, at=now, breached=snooze.breached,
                        escalation_level=snooze.escalation_level, band_rank=snooze.band_rank))
    return snooze


def clear_snooze(db: Database, ticket_id: str) -> bool:
    """Un-snooze the ticket; False when it had no snooze (404 for an unknown ticket)."""
    with db.session() as s:
        if s.get(TicketRow, ticket_id) is None:
            raise NotFoundError(f"ticket {ticket_id!r} is not known; check the id")
        deleted = s.connection().execute(delete(SnoozeRow).where(SnoozeRow.ticket_id == ticket_id))
        return bool(deleted.rowcount)


def snooze_of(db: Database, ticket_id: str, now: datetime) -> Snooze | None:
    """The ticket's snooze in force at `now`, or None (none set, ended, or the situation got worse)."""
    with db.session() as s:
        row = s.execute(
            select(SnoozeRow)
            .join(TicketRow, TicketRow.ticket_id == SnoozeRow.ticket_id)
            .where(SnoozeRow.ticket_id == ticket_id, holding(now))
        ).scalar_one_or_none()
        return domain(row) if row is not None else None


def domain(row: SnoozeRow) -> Snooze:
    return Snooze(
        row.ticket_id, row.until, row.who, row.at, row.breached, row.escalation_level, row.band_rank
    )

