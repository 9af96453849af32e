"""KPI definitions, pure. A ticket counts in the period (day, ISO week from Monday, month) it was created in,
in a time zone: UTC for the API, the manager's on the dashboard.

- escalation rate: tickets escalated (an escalation event, or an escalation the SLA engine fired) / all
  tickets;
- first-contact resolution rate (as in `escalation describe-data`): solved tickets with exactly one reply by a
  person (agent or manager, not a bot) before the first solve and no reopen / solved tickets;
- SLA compliance: target cycles met / target cycles with a verdict (met, missed, or breached and still open),
  from each ticket's latest assessment: its targets' current cycles and the verdicts of their earlier ones (a
  resolution before a reopen, each next response); running, paused and stopped cycles have no verdict;
- escalations by type: escalated tickets with at least one escalation of that type (functional,
  hierarchical, automatic; an escalation the SLA engine fired is automatic unless its rule says otherwise),
  so a ticket escalated twice in two ways counts under both;
- escalations by root cause: escalated tickets by their current root cause (the latest a manager recorded),
  and by the team that owns the fix; `root_cause_unrecorded` counts escalated tickets still without one.
A ticket withdrawn now (merged into another ticket, deleted, spam: its status `withdrawn`) is in no figure but
`withdrawn`: it was never solved, and counting it would inflate every denominator with duplicates.
Rates are None when their denominator is 0."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.enums import SOLVED_STATUSES, AuthorRole, EscalationType, EventType, TicketStatus, status_after
from serving.kpis.figures import KpiFigures, KpiReport, KpiRow, Period

PEOPLE = (AuthorRole.AGENT.value, AuthorRole.MANAGER.value)
MET, FAILED = ("met",), ("missed", "breached")
ESCALATION_TYPES = tuple(t.value for t in EscalationType)


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
    escalation_types: frozenset[str] = frozenset()
    root_cause: str | None = None
    owning_team: str | None = None
    withdrawn: bool = False  # merged, deleted or spam now: counted in `withdrawn` only


def facts_of(
    ticket_id: str,
    created_at: datetime,
    team: str,
    events: Sequence[Mapping[str, Any]],
    targets: Iterable[Mapping[str, Any]],
    fired_types: Iterable[str | None] = (),
    root_cause: tuple[str, str] | None = None,
) -> TicketFacts:
    """One ticket's facts. `events`: in time order, each with type, author_role, status and escalation_type
    (or None); `fired_types`: the types of the escalations the SLA engine fired (None: automatic);
    `root_cause`: the current (cause, owning team)."""
    solved_at, status = _first_solve(events)
    withdrawn = status is TicketStatus.WITHDRAWN
    solved = solved_at is not None and not withdrawn
    first_contact = False
    if solved and solved_at is not None:
        replies = sum(
            1
            for e in events[:solved_at]
            if e["type"] == EventType.AGENT_REPLY.value and e["author_role"] in PEOPLE
        )
        reopened = any(
            e["type"] == EventType.STATUS_CHANGE.value and e.get("status") == TicketStatus.OPEN.value
            for e in events[solved_at + 1 :]
        )
        first_contact = replies == 1 and not reopened
    targets = list(targets)
    states = [t["state"] for t in targets]
    met = sum(s in MET for s in states) + sum(t.get("earlier_met", 0) for t in targets)
    failed = sum(s in FAILED for s in states) + sum(t.get("earlier_failed", 0) for t in targets)
    types = {t or EscalationType.AUTOMATIC.value for t in fired_types}
    types.update(
        e.get("escalation_type") or EscalationType.HIERARCHICAL.value
        for e in events
        if e["type"] == EventType.ESCALATION.value
    )
    escalated = bool(types)
    return TicketFacts(
        ticket_id,
        created_at,
        team,
        escalated=escalated,
        solved=solved,
        first_contact=first_contact,
        sla_met=met,
        sla_judged=met + failed,
        escalation_types=frozenset(types),
        root_cause=root_cause[0] if root_cause and escalated else None,
        owning_team=root_cause[1] if root_cause and escalated else None,
        withdrawn=withdrawn,
    )


def _first_solve(events: Sequence[Mapping[str, Any]]) -> tuple[int | None, TicketStatus]:
    """The position of the ticket's first solve (None: never solved) and its status after all `events`, as the
    SLA engine reads status changes (core.enums.status_after: a close after a withdrawal is no solve)."""
    status, solved_at = TicketStatus.NEW, None
    for i, e in enumerate(events):
        if e["type"] == EventType.STATUS_CHANGE.value and e.get("status"):
            status = status_after(status, TicketStatus(e["status"]))
            if solved_at is None and status in SOLVED_STATUSES:
                solved_at = i
    return solved_at, status


def period_start(at: datetime, period: Period, zone: str = "UTC") -> date:
    day = at.astimezone(ZoneInfo(zone)).date()
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def compute_kpis(
    facts: Iterable[TicketFacts], period: Period, zone: str = "UTC", *, start: datetime | None = None,
    end: datetime | None = None, team: str | None = None,
) -> KpiReport:
    """Totals and one row per (period, team), ordered by period then team; periods are days, weeks and
    months in `zone`. `start`, `end`, `team`: the scope the facts were selected by, stated in the report."""
    groups: dict[tuple[date, str], list[TicketFacts]] = {}
    everything: list[TicketFacts] = []
    for f in facts:
        groups.setdefault((period_start(f.created_at, period, zone), f.team), []).append(f)
        everything.append(f)
    rows = [
        KpiRow(period_start=start_day.isoformat(), team=group_team, **_figures(group).model_dump())
        for (start_day, group_team), group in sorted(groups.items())
    ]
    return KpiReport(
        period=period,
        from_=start.isoformat() if start else None,
        to=end.isoformat() if end else None,
        team=team,
        totals=_figures(everything),
        rows=rows,
    )


def combine(parts: Iterable[KpiFigures]) -> KpiFigures:
    """The figures of several groups together (a period's rows over its teams): counts added, rates
    recomputed from them."""
    parts = list(parts)
    return with_rates(
        tickets=sum(p.tickets for p in parts),
        escalated=sum(p.escalated for p in parts),
        solved=sum(p.solved for p in parts),
        first_contact_resolved=sum(p.first_contact_resolved for p in parts),
        sla_targets_judged=sum(p.sla_targets_judged for p in parts),
        sla_targets_met=sum(p.sla_targets_met for p in parts),
        escalations_by_type=_added(
            (p.escalations_by_type for p in parts), dict.fromkeys(ESCALATION_TYPES, 0)
        ),
        root_causes=_ranked(_added(p.root_causes for p in parts)),
        root_cause_owners=_ranked(_added(p.root_cause_owners for p in parts)),
        root_cause_unrecorded=sum(p.root_cause_unrecorded for p in parts),
        withdrawn=sum(p.withdrawn for p in parts),
    )


def with_rates(
    *, tickets: int, escalated: int, solved: int, first_contact_resolved: int, sla_targets_judged: int,
    sla_targets_met: int, escalations_by_type: dict[str, int], root_causes: dict[str, int],
    root_cause_owners: dict[str, int], root_cause_unrecorded: int, withdrawn: int,
) -> KpiFigures:
    """The figures of these counts, each rate its numerator over its denominator (None over 0)."""
    return KpiFigures(
        tickets=tickets,
        escalated=escalated,
        escalation_rate=_rate(escalated, tickets),
        solved=solved,
        first_contact_resolved=first_contact_resolved,
        first_contact_resolution_rate=_rate(first_contact_resolved, solved),
        sla_targets_judged=sla_targets_judged,
        sla_targets_met=sla_targets_met,
        sla_compliance=_rate(sla_targets_met, sla_targets_judged),
        escalations_by_type=escalations_by_type,
        root_causes=root_causes,
        root_cause_owners=root_cause_owners,
        root_cause_unrecorded=root_cause_unrecorded,
        withdrawn=withdrawn,
    )


def _figures(group: Sequence[TicketFacts]) -> KpiFigures:
    facts = [f for f in group if not f.withdrawn]
    return with_rates(
        tickets=len(facts),
        escalated=sum(f.escalated for f in facts),
        solved=sum(f.solved for f in facts),
        first_contact_resolved=sum(f.first_contact for f in facts),
        sla_targets_judged=sum(f.sla_judged for f in facts),
        sla_targets_met=sum(f.sla_met for f in facts),
        escalations_by_type={t: sum(t in f.escalation_types for f in facts) for t in ESCALATION_TYPES},
        root_causes=_counts(f.root_cause for f in facts),
        root_cause_owners=_counts(f.owning_team for f in facts),
        root_cause_unrecorded=sum(f.escalated and f.root_cause is None for f in facts),
        withdrawn=len(group) - len(facts),
    )


def _counts(values: Iterable[str | None]) -> dict[str, int]:
    """Counts of the non-None values, most frequent first (ties by name)."""
    found: dict[str, int] = {}
    for v in values:
        if v is not None:
            found[v] = found.get(v, 0) + 1
    return _ranked(found)


def _added(counts: Iterable[dict[str, int]], into: dict[str, int] | None = None) -> dict[str, int]:
    """The counts by name added up (onto `into`'s names, in their order, first)."""
    total = dict(into or {})
    for each in counts:
        for name, n in each.items():
            total[name] = total.get(name, 0) + n
    return total


def _ranked(found: dict[str, int]) -> dict[str, int]:
    """Most frequent first, ties by name."""
    return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None
