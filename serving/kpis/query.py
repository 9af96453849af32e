"""The KPI facts read from the store: tickets created in [start, end) (and of one team), their events in
order, their latest assessment's SLA targets, the escalations the SLA engine fired for them and their current
root cause."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.enums import AuthorRole, EscalationType, EventType, TicketStatus
from core.sla import TargetKind, TargetState
from serving.errors import InputError
from serving.kpis.compute import compute_kpis
from serving.kpis.facts import KpiEvent, TargetCycles, TicketFacts, facts_of
from serving.kpis.figures import KpiReport, Period
from serving.store.database import Database
from serving.store.root_causes import latest_root_causes
from serving.store.tables import ActionRow, AssessmentRow, EventRow, TicketRow

CHUNK = 500  # ids per IN (...) list


def load_facts(
    db: Database, start: datetime | None, end: datetime | None, team: str | None
) -> list[TicketFacts]:
    where = []
    if start is not None:
        where.append(TicketRow.created_at >= start)
    if end is not None:
        where.append(TicketRow.created_at < end)
    if team is not None:
        where.append(TicketRow.team == team)
    with db.session() as s:
        tickets = s.execute(
            select(TicketRow.ticket_id, TicketRow.created_at, TicketRow.team, AssessmentRow.body)
            .outerjoin(AssessmentRow, AssessmentRow.id == TicketRow.last_assessment_id)
            .where(*where)
            .order_by(TicketRow.created_at, TicketRow.ticket_id)
        ).all()
        ids = [t.ticket_id for t in tickets]
        events: dict[str, list[KpiEvent]] = {i: [] for i in ids}
        fired: dict[str, list[EscalationType | None]] = {}
        causes: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(ids):
            for tid, kind, role, payload in s.execute(
                select(EventRow.ticket_id, EventRow.type, EventRow.author_role, EventRow.payload)
                .where(EventRow.ticket_id.in_(chunk))
                .order_by(EventRow.at, EventRow.seq)
            ):
                status, escalation_type = payload.get("status"), payload.get("escalation_type")
                events[tid].append(KpiEvent(
                    EventType(kind),
                    AuthorRole(role),
                    TicketStatus(status) if status else None,
                    EscalationType(escalation_type) if escalation_type else None,
                ))
            for tid, escalation_type in s.execute(
                select(ActionRow.ticket_id, ActionRow.escalation_type).where(
                    ActionRow.ticket_id.in_(chunk), ActionRow.kind == "escalate"
                )
            ):
                fired.setdefault(tid, []).append(EscalationType(escalation_type) if escalation_type else None)
            causes.update(
                {tid: (r.cause, r.owning_team) for tid, r in latest_root_causes(s, chunk).items()}
            )
    return [
        facts_of(
            t.ticket_id,
            t.created_at,
            t.team,
            events[t.ticket_id],
            _targets(t.body),
            fired.get(t.ticket_id, ()),
            causes.get(t.ticket_id),
        )
        for t in tickets
    ]


def kpi_teams(db: Database) -> list[str]:
    """The KPI page's team choice: every team with tickets in the store, by name. A team whose tickets are all
    solved is one whose past figures a manager looks up; the index on `tickets.team` (migration 0009) keeps
    this a walk over the distinct names rather than over the tickets."""
    with db.session() as s:
        return list(s.execute(select(TicketRow.team).distinct().order_by(TicketRow.team)).scalars())


def kpi_report(
    db: Database, *, period: Period, start: datetime | None, end: datetime | None, team: str | None,
    zone: str = "UTC",
) -> KpiReport:
    """GET /v1/kpis: the figures for tickets created in [start, end), by period (in `zone`) and team."""
    if start is not None and end is not None and end <= start:
        raise InputError(f"to: {end.isoformat()} is not after from ({start.isoformat()}); give a later `to`")
    return compute_kpis(load_facts(db, start, end, team), period, zone, start=start, end=end, team=team)


def _targets(body: Mapping[str, Any] | None) -> list[TargetCycles]:
    """The SLA targets of a stored assessment (its JSON as answered; no assessment yet: none)."""
    return [
        TargetCycles(
            TargetKind(t["target"]), TargetState(t["state"]), t.get("earlier_met", 0),
            t.get("earlier_failed", 0),
        )
        for t in (body or {}).get("sla", {}).get("targets", [])
    ]


def _chunks(ids: Sequence[str]) -> list[Sequence[str]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
