"""KPI definitions, pure. A ticket counts in the period (day, ISO week from Monday, month) it was created in,
in a time zone: the one asked for in the API (UTC unless told), the manager's on the dashboard.

- escalation rate: tickets escalated (an escalation event, or an escalation the SLA engine fired) / all
  tickets;
- first-contact resolution rate: solved tickets with exactly one reply by a person (agent or manager, not a
  bot) before the first solve and no reopen after it / solved tickets; a reopen as the SLA engine reads it
  (a change from solved/closed to a working status, or a customer message on a solved ticket);
- SLA compliance by target: the same, for first response, next response and resolution apart;
- reopen rate: solved tickets reopened after their first solve / solved tickets (a ticket reopened twice
  counts once);
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

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.enums import EscalationType
from core.sla import TargetKind
from serving.kpis.facts import TicketFacts
from serving.kpis.figures import KpiFigures, KpiReport, KpiRow, Period, TargetFigures

ESCALATION_TYPES = tuple(EscalationType)
TARGETS = tuple(TargetKind)


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
        time_zone=zone,
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
        reopened=sum(p.reopened for p in parts),
        sla_targets_judged=sum(p.sla_targets_judged for p in parts),
        sla_targets_met=sum(p.sla_targets_met for p in parts),
        sla_by_target={
            k: (sum(p.sla_by_target[k].met for p in parts), sum(p.sla_by_target[k].judged for p in parts))
            for k in (t.value for t in TARGETS)
        },
        escalations_by_type=_added(
            (p.escalations_by_type for p in parts), {t.value: 0 for t in ESCALATION_TYPES}
        ),
        root_causes=_ranked(_added(p.root_causes for p in parts)),
        root_cause_owners=_ranked(_added(p.root_cause_owners for p in parts)),
        root_cause_unrecorded=sum(p.root_cause_unrecorded for p in parts),
        withdrawn=sum(p.withdrawn for p in parts),
    )


def with_rates(
    *, tickets: int, escalated: int, solved: int, first_contact_resolved: int, reopened: int,
    sla_targets_judged: int, sla_targets_met: int, sla_by_target: dict[str, tuple[int, int]],
    escalations_by_type: dict[str, int],
    root_causes: dict[str, int], root_cause_owners: dict[str, int], root_cause_unrecorded: int,
    withdrawn: int,
) -> KpiFigures:
    """The figures of these counts, each rate its numerator over its denominator (None over 0)."""
    return KpiFigures(
        tickets=tickets,
        escalated=escalated,
        escalation_rate=_rate(escalated, tickets),
        solved=solved,
        first_contact_resolved=first_contact_resolved,
        first_contact_resolution_rate=_rate(first_contact_resolved, solved),
        reopened=reopened,
        reopen_rate=_rate(reopened, solved),
        sla_targets_judged=sla_targets_judged,
        sla_targets_met=sla_targets_met,
        sla_compliance=_rate(sla_targets_met, sla_targets_judged),
        sla_by_target={
            k: TargetFigures(judged=judged, met=met, compliance=_rate(met, judged))
            for k, (met, judged) in sla_by_target.items()
        },
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
        reopened=sum(f.reopened for f in facts),
        sla_targets_judged=sum(f.sla_judged for f in facts),
        sla_targets_met=sum(f.sla_met for f in facts),
        sla_by_target={
            k.value: (
                sum(f.sla_by_target.get(k, (0, 0))[0] for f in facts),
                sum(f.sla_by_target.get(k, (0, 0))[1] for f in facts),
            )
            for k in TARGETS
        },
        escalations_by_type={t.value: sum(t in f.escalation_types for f in facts) for t in ESCALATION_TYPES},
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
