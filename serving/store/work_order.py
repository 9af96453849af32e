"""The order of work: which open ticket a manager acts on first, and why. One definition, used by the
early-warning list's default sort (in the query) and by the board to say why a row stands where it does.

1. act now — an SLA target is breached or an escalation is under way (level 1 or more): the highest
   escalation level first, a breached one before one escalated by a trigger, then the highest risk;
2. about to breach — an SLA deadline falls within `due_soon` (a setting): the soonest deadline first;
3. high predicted risk — the model's warning is high or critical: the highest risk first;
4. watch — everything else: the highest risk first.

Within a step, ties go to the soonest SLA deadline and then the ticket id, so paging is stable."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any

from sqlalchemy import case

from core.enums import Band
from serving.store.tables import TicketRow


class WorkStep(IntEnum):
    ACT_NOW = 1
    ABOUT_TO_BREACH = 2
    HIGH_RISK = 3
    WATCH = 4


def work_step(
    *, breached: bool, escalation_level: int, sla_due_at: datetime | None, band: str | None,
    now: datetime, due_soon: timedelta,
) -> WorkStep:
    """The step of one ticket; the query's `work_order` says the same in SQL."""
    if breached or escalation_level >= 1:
        return WorkStep.ACT_NOW
    if sla_due_at is not None and sla_due_at <= now + due_soon:
        return WorkStep.ABOUT_TO_BREACH
    # not breached and not escalated, so the SLA's own band is at most medium: high comes from the model
    if band is not None and Band(band).rank >= Band.HIGH.rank:
        return WorkStep.HIGH_RISK
    return WorkStep.WATCH


def work_order(now: datetime, due_soon: timedelta) -> tuple[Any, ...]:
    """ORDER BY terms of the order of work at `now`."""
    step = case(
        ((TicketRow.breached.is_(True)) | (TicketRow.escalation_level >= 1), int(WorkStep.ACT_NOW)),
        (TicketRow.sla_due_at <= now + due_soon, int(WorkStep.ABOUT_TO_BREACH)),
        (TicketRow.band_rank >= Band.HIGH.rank, int(WorkStep.HIGH_RISK)),
        else_=int(WorkStep.WATCH),
    )
    # in step 1 the level leads; elsewhere every level is 0, and step 2 sorts on the deadline before risk
    level = case((step == int(WorkStep.ACT_NOW), TicketRow.escalation_level), else_=0)
    deadline_first = case((step == int(WorkStep.ABOUT_TO_BREACH), TicketRow.sla_due_at), else_=None)
    return (
        step.asc(),
        level.desc(),
        TicketRow.breached.desc(),
        deadline_first.asc().nulls_last(),
        TicketRow.risk.desc().nulls_last(),
        TicketRow.sla_due_at.asc().nulls_last(),
        TicketRow.ticket_id,
    )
