"""`escalation seed-demo`: a populated first start. Replays a week of a ticket history into an empty store,
shifted by whole weeks and cut at now, so the dashboard first opens on a helpdesk in the middle of its week:
tickets are open because work on them goes on, a few are hot. Then sweeps once at now (the SLA clocks of the
open tickets run on to now, as the server's sweeper would make them) and records a root cause on the
escalated tickets that are already solved, as their managers would have (open ones are left for the user to
do). Does nothing when the store already has tickets. Prints the replayed tickets' escalation rate, the
figure the KPI page opens on (docs/dashboard.md has it measured against the sample's own)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from core.bounds import YEAR_DAYS
from core.enums import OPEN_STATUSES, EscalationType, EventType
from core.errors import EscalationError
from core.options import FiniteFloatRange
from core.tickets import Event, Ticket
from serving.kpis import kpi_report
from serving.service import Service
from serving.store import OpenTicketsQuery
from serving.sweeper.sweeper import Sweeper

History = list[tuple[Ticket, list[Event]]]


def open_tickets(service: Service) -> int:
    listed = service.early_warning(OpenTicketsQuery(limit=1))
    return listed.total


WEEK = timedelta(days=7)
LEAD = timedelta(days=2)  # at least this much of the history lies after the cut: its tickets are still worked


def shifted(tickets: History, now: datetime, days: float) -> History:
    """The history as a helpdesk in the middle of its week: every timestamp moved by whole weeks, so each
    event keeps its weekday and hour and the agents' replies fall in business hours as they did, with the
    cut at `now` between two and nine days before the history's end; the tickets created in the `days`
    before `now`, each with its events up to `now`. A ticket is open because work on it goes on, not
    because the history stops (shifting to end exactly at now left the last days unanswered: they breached
    and escalated on the first start)."""
    last = max(e.at for _, events in tickets for e in events)
    shift = math.ceil((now - last + LEAD) / WEEK) * WEEK
    since = now - timedelta(days=days)
    out = []
    for ticket, events in tickets:
        created = ticket.created_at + shift
        if not since <= created <= now:
            continue
        moved = ticket.model_copy(update={"created_at": created})
        kept = [e.model_copy(update={"at": e.at + shift}) for e in events if e.at + shift <= now]
        out.append((moved, kept))
    return out


# Demo root causes: the sample's escalation reasons in words of the default list (docs/dashboard.md).
DEFECT = ("bug", "crash", "absturz", "outage", "ausfall", "fault", "error", "feilkode", "down")
OTHER_TEAM = ("approval", "team needed", "buchhaltung", "network team", "developers", "utvikl")


def demo_root_cause(events: list[Event]) -> str:
    """The root cause a manager would likely record for this escalated ticket (demo data only)."""
    escalation = next(e for e in events if e.type is EventType.ESCALATION)
    reason = (escalation.reason or "").lower()
    if any(word in reason for word in OTHER_TEAM):
        return "waiting_on_other_team"
    if any(word in reason for word in DEFECT):
        return "product_defect"
    if escalation.escalation_type is EscalationType.AUTOMATIC or "breached" in reason:
        return "agent_workload" if sum(map(ord, escalation.event_id)) % 3 else "target_too_tight"
    if escalation.escalation_type is EscalationType.FUNCTIONAL:
        return "missing_knowledge"
    return "customer_expectation"


def record_demo_root_causes(service: Service, tickets: History) -> int:
    """Root causes on the escalated tickets that are no longer open; returns how many were recorded."""
    allowed, recorded = set(service.settings.serving.root_causes), 0
    for ticket, events in tickets:
        if not any(e.type is EventType.ESCALATION for e in events):
            continue
        if _still_open(service, ticket.ticket_id):
            continue
        cause = demo_root_cause(events)
        if cause not in allowed:  # a team's own list: leave it to them
            continue
        try:
            service.root_cause(ticket.ticket_id, cause, ticket.team, "recorded by seed-demo", "seed-demo")
        except EscalationError:
            continue
        recorded += 1
    return recorded


def _still_open(service: Service, ticket_id: str) -> bool:
    current = service.store.current_state(ticket_id)
    return current is not None and current["status"] in OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class Seeded:
    """What a replay left in the store: its tickets, how many are open and escalated at `now`, and the root
    causes recorded."""

    tickets: int
    open_now: int
    escalated: int
    root_causes: int

    @property
    def escalation_rate(self) -> float:
        return self.escalated / self.tickets if self.tickets else 0.0


def seed(service: Service, history: History, now: datetime, days: float) -> Seeded:
    """Replay the tickets of `history` created in the `days` before `now` (see `shifted`), event by event as
    a helpdesk sends them (the risk has a history), sweep once at `now` and record the demo root causes."""
    tickets = shifted(history, now, days)
    with click.progressbar(tickets, label=f"seed-demo: replaying {len(tickets)} tickets") as bar:
        for ticket, events in bar:
            for event in events:
                service.ingest(ticket.ticket_id, ticket, [event], now)  # received by the replay's clock
    Sweeper(service).sweep_once(now)
    causes = record_demo_root_causes(service, tickets)
    totals = kpi_report(service.store.db, period="week", start=None, end=None, team=None).totals
    return Seeded(len(tickets), open_tickets(service), totals.escalated, causes)


@click.command("seed-demo")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, path_type=Path),
    default=Path("data/sample"),
    show_default=True,
    help="the history to replay",
)
@click.option(
    "--days",
    type=FiniteFloatRange(0, YEAR_DAYS, min_open=True),
    default=7.0,
    show_default=True,
    help="replay the tickets of the last DAYS",
)
def seed_demo(data: Path, days: float) -> None:
    """Load the sample history into an empty store, replayed to end now (for `make run`)."""
    from core.settings import get_settings
    from features.history import iter_tickets, load_history
    from serving.service import build_service

    settings = get_settings()
    service, database = build_service(settings)
    try:
        known = service.store.count("tickets")
        if known:
            click.echo(f"seed-demo: the store already has {known} tickets; nothing loaded")
            return
        seeded = seed(service, list(iter_tickets(load_history(data))), datetime.now(UTC), days)
        click.echo(
            f"seed-demo: {seeded.tickets} tickets loaded, {seeded.open_now} of them open now, "
            f"{seeded.escalated} escalated ({seeded.escalation_rate:.0%}); "
            f"root causes recorded on {seeded.root_causes} solved escalated tickets"
        )
    finally:
        database.dispose()
