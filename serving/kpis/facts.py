"""One ticket's KPI facts, pure (the definitions: serving/kpis/compute.py): from its events, the SLA targets
of its latest assessment, the escalations the SLA engine fired and its current root cause."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from core.enums import AuthorRole, EscalationType, EventType, TicketStatus
from core.sla import TargetKind, TargetState
from features.ticket.timeline import walk_statuses

PEOPLE = (AuthorRole.AGENT, AuthorRole.MANAGER)
MET, FAILED = (TargetState.MET,), (TargetState.MISSED, TargetState.BREACHED)


@dataclass(frozen=True, slots=True)
class KpiEvent:
    """What the KPIs read of an event: its type, its author's role, the status it set, the escalation type
    it named."""

    type: EventType
    author_role: AuthorRole
    status: TicketStatus | None = None
    escalation_type: EscalationType | None = None


@dataclass(frozen=True, slots=True)
class TargetCycles:
    """One SLA target of a ticket's latest assessment: which target, its current cycle's state and the
    verdicts of its earlier cycles (a resolution before a reopen, each next response)."""

    target: TargetKind
    state: TargetState
    earlier_met: int = 0
    earlier_failed: int = 0


@dataclass(frozen=True, slots=True)
class TicketFacts:
    ticket_id: str
    created_at: datetime
    team: str
    escalated: bool
    solved: bool
    first_contact: bool  # solved at first contact (implies solved)
    sla_met: int
    sla_judged: int
    reopened: bool = False  # solved, and reopened after its first solve (implies solved)
    # (met, judged) of each SLA target the ticket has cycles of; sla_met and sla_judged are their sums
    sla_by_target: dict[TargetKind, tuple[int, int]] = field(default_factory=dict)
    escalation_types: frozenset[EscalationType] = frozenset()
    root_cause: str | None = None
    owning_team: str | None = None
    withdrawn: bool = False  # merged, deleted or spam now: counted in `withdrawn` only


def facts_of(
    ticket_id: str,
    created_at: datetime,
    team: str,
    events: Sequence[KpiEvent],
    targets: Iterable[TargetCycles],
    fired_types: Iterable[EscalationType | None] = (),
    root_cause: tuple[str, str] | None = None,
) -> TicketFacts:
    """One ticket's facts. `events`: in time order; `fired_types`: the types of the escalations the SLA engine
    fired (None: automatic); `root_cause`: the current (cause, owning team)."""
    walk = walk_statuses(events)  # a reopen as the features, the SLA engine and describe-data read it
    solved_at, reopened, status = walk.first_solve, walk.reopened, walk.status
    withdrawn = status is TicketStatus.WITHDRAWN
    solved = solved_at is not None and not withdrawn
    first_contact = False
    if solved and solved_at is not None:
        replies = sum(
            1 for e in events[:solved_at] if e.type is EventType.AGENT_REPLY and e.author_role in PEOPLE
        )
        first_contact = replies == 1 and not reopened
    by_target: dict[TargetKind, tuple[int, int]] = {}
    for t in targets:
        met, judged = by_target.get(t.target, (0, 0))
        t_met = (t.state in MET) + t.earlier_met
        by_target[t.target] = (met + t_met, judged + t_met + (t.state in FAILED) + t.earlier_failed)
    met = sum(m for m, _ in by_target.values())
    judged = sum(j for _, j in by_target.values())
    types = {t or EscalationType.AUTOMATIC for t in fired_types}
    types.update(
        e.escalation_type or EscalationType.HIERARCHICAL for e in events if e.type is EventType.ESCALATION
    )
    escalated = bool(types)
    return TicketFacts(
        ticket_id,
        created_at,
        team,
        escalated=escalated,
        solved=solved,
        first_contact=first_contact,
        reopened=solved and reopened,
        sla_met=met,
        sla_judged=judged,
        sla_by_target=by_target,
        escalation_types=frozenset(types),
        root_cause=root_cause[0] if root_cause and escalated else None,
        owning_team=root_cause[1] if root_cause and escalated else None,
        withdrawn=withdrawn,
    )
