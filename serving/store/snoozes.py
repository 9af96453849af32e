"""Snoozed warnings (migration 0006): a manager sets a ticket's warning aside until an instant. The snooze
keeps the ticket's situation at that time; it holds while `until` is ahead and the situation is no worse.
Worse is a new SLA breach, a higher escalation level, or a higher band (the combined band: the model's or
the SLA's) than at snooze time — then the ticket is back in the order of work at once, by itself.

Every snooze is kept in the history (migration 0007) with how it ended: its time passed, the situation got
worse (the assessment that made it worse ends it, and the snooze stays ended when the situation improves),
a manager un-snoozed it, or another snooze replaced it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, not_, select, update
from sqlalchemy.orm import Session

from core.errors import NotFoundError
from serving.store.database import Database
from serving.store.paging import Window
from serving.store.tables import SnoozeHistoryRow, SnoozeRow, TicketRow

MAX_SNOOZE = timedelta(days=30)  # a warning set aside longer than this is no warning any more


class EndReason(StrEnum):
    """Why a snooze ended."""

    TIME_PASSED = "time_passed"
    NEW_BREACH = "new_breach"
    HIGHER_LEVEL = "higher_level"
    HIGHER_BAND = "higher_band"
    UNSNOOZED = "unsnoozed"  # by a manager
    REPLACED = "replaced"  # by another snooze


@dataclass(frozen=True, slots=True)
class SnoozeEnd:
    """When and why a snooze ended, and by whom (None: it ended by itself)."""

    at: datetime
    reason: EndReason
    by: str | None = None


@dataclass(frozen=True, slots=True)
class PastSnooze:
    """One entry of a ticket's snooze history; `end` is None while the snooze is in force."""

    ticket_id: str
    who: str
    at: datetime
    until: datetime
    end: SnoozeEnd | None = None

    def to_json(self) -> dict[str, Any]:
        end = self.end
        return {
            "snoozed_by": self.who,
            "snoozed_at": self.at.isoformat(),
            "snoozed_until": self.until.isoformat(),
            "ended_at": end.at.isoformat() if end else None,
            "ended_by": end.by if end else None,
            "end_reason": end.reason.value if end else None,
        }


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
        return self.ended(now=now, breached=breached, escalation_level=escalation_level,
                          band_rank=band_rank) is None

    def ended(
        self, *, now: datetime, breached: bool, escalation_level: int, band_rank: int
    ) -> SnoozeEnd | None:
        """How the snooze has ended by `now` for a ticket in this situation; None while it is in force."""
        if self.until <= now:
            return SnoozeEnd(self.until, EndReason.TIME_PASSED)
        if breached and not self.breached:
            return SnoozeEnd(now, EndReason.NEW_BREACH)
        if escalation_level > self.escalation_level:
            return SnoozeEnd(now, EndReason.HIGHER_LEVEL)
        if band_rank > self.band_rank:
            return SnoozeEnd(now, EndReason.HIGHER_BAND)
        return None

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
        _end(s, ticket, now, SnoozeEnd(now, EndReason.REPLACED, who))
        s.add(SnoozeRow(ticket_id=ticket_id, until=until, who=who, at=now, breached=snooze.breached,
                        escalation_level=snooze.escalation_level, band_rank=snooze.band_rank))
        s.add(SnoozeHistoryRow(ticket_id=ticket_id, who=who, at=now, until=until))
    return snooze


def clear_snooze(db: Database, ticket_id: str, who: str, now: datetime) -> bool:
    """Un-snooze the ticket; False when no snooze was in force (404 for an unknown ticket). A snooze that had
    already ended is recorded as ended then, not as un-snoozed."""
    with db.session() as s:
        ticket = s.get(TicketRow, ticket_id)
        if ticket is None:
            raise NotFoundError(f"ticket {ticket_id!r} is not known; check the id")
        return _end(s, ticket, now, SnoozeEnd(now, EndReason.UNSNOOZED, who))


def end_if_worse(s: Session, ticket_id: str, now: datetime) -> None:
    """After an assessment changed the ticket's situation: end its snooze if that ended by `now` (time passed,
    or the situation is worse than at snooze time). One primary-key read when the ticket has no snooze."""
    if s.get(SnoozeRow, ticket_id) is None:
        return
    ticket = s.get(TicketRow, ticket_id, populate_existing=True)
    if ticket is not None:
        _end(s, ticket, now, None)


def _end(s: Session, ticket: TicketRow, now: datetime, otherwise: SnoozeEnd | None) -> bool:
    """End the ticket's snooze: as it ended by itself by `now`, else with `otherwise` (None: leave a snooze
    in force alone). True when a snooze in force was ended by `otherwise`."""
    row = s.get(SnoozeRow, ticket.ticket_id)
    if row is None:
        return False
    end = domain(row).ended(now=now, breached=bool(ticket.breached), escalation_level=ticket.escalation_level,
                            band_rank=ticket.band_rank)
    final = end or otherwise
    if final is None:
        return False
    s.execute(
        update(SnoozeHistoryRow)
        .where(SnoozeHistoryRow.ticket_id == ticket.ticket_id, SnoozeHistoryRow.ended_at.is_(None))
        .values(ended_at=final.at, ended_by=final.by, end_reason=final.reason.value)
    )
    s.execute(delete(SnoozeRow).where(SnoozeRow.ticket_id == ticket.ticket_id))
    return end is None


def snooze_history(
    db: Database, ticket_id: str, now: datetime, window: Window | None = None
) -> list[PastSnooze]:
    """The ticket's snoozes, latest first, each with how it ended (a snooze whose time has passed, or whose
    ticket got worse, by `now` but that no assessment has ended yet, is shown as ended): every one, or the
    window's — the `limit` latest after skipping the `offset` latest."""
    with db.session() as s:
        ticket = s.get(TicketRow, ticket_id)
        if ticket is None:
            raise NotFoundError(f"ticket {ticket_id!r} is not known; check the id")
        current = s.get(SnoozeRow, ticket_id)
        open_end = None if current is None else domain(current).ended(
            now=now, breached=bool(ticket.breached), escalation_level=ticket.escalation_level,
            band_rank=ticket.band_rank)
        query = (
            select(SnoozeHistoryRow)
            .where(SnoozeHistoryRow.ticket_id == ticket_id)
            .order_by(SnoozeHistoryRow.at.desc(), SnoozeHistoryRow.id.desc())
        )
        if window is not None:
            query = query.limit(window.limit).offset(window.offset)
        return [_past(r, open_end) for r in s.execute(query).scalars()]


def snooze_count(db: Database, ticket_id: str) -> int:
    """How many snoozes the ticket's history holds (its pages' total)."""
    with db.session() as s:
        return int(s.execute(
            select(func.count()).select_from(SnoozeHistoryRow).where(SnoozeHistoryRow.ticket_id == ticket_id)
        ).scalar_one())


def _past(row: SnoozeHistoryRow, open_end: SnoozeEnd | None) -> PastSnooze:
    if row.ended_at is None or row.end_reason is None:
        end = open_end
    else:
        end = SnoozeEnd(row.ended_at, EndReason(row.end_reason), row.ended_by)
    return PastSnooze(row.ticket_id, row.who, row.at, row.until, end)


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

