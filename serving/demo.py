"""`escalation seed-demo`: a populated first start. Replays the most recent days of a ticket history into an
empty store, every timestamp shifted so that the history ends now, so a realistic set of tickets is open (and
some are about to breach) when the dashboard first opens. Does nothing when the store already has tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from core.tickets import Event, Ticket
from serving.service import Service

History = list[tuple[Ticket, list[Event]]]


def open_tickets(service: Service) -> int:
    listed = service.early_warning(
        team=None, channel=None, priority=None, min_risk=None, breached_only=False, limit=1, offset=0
    )
    return int(listed["total"])


def shifted(tickets: History, now: datetime, days: float) -> History:
    """The tickets created in the history's last `days`, with every timestamp moved by (now - last event)."""
    last = max(e.at for _, events in tickets for e in events)
    shift = now - last
    since = last - timedelta(days=days)
    out = []
    for ticket, events in tickets:
        if ticket.created_at < since:
            continue
        moved = ticket.model_copy(update={"created_at": ticket.created_at + shift})
        out.append((moved, [e.model_copy(update={"at": e.at + shift}) for e in events]))
    return out


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
    "--days", type=float, default=7.0, show_default=True, help="replay the tickets of the last DAYS"
)
def seed_demo(data: Path, days: float) -> None:
    """Load the sample history into an empty store, replayed to end now (for `make run`)."""
    from core.settings import get_settings
    from features.history import iter_tickets, load_history
    from serving.app import build_service

    settings = get_settings()
    service, database = build_service(settings)
    try:
        known = service.store.count("tickets")
        if known:
            click.echo(f"seed-demo: the store already has {known} tickets; nothing loaded")
            return
        tickets = shifted(list(iter_tickets(load_history(data))), datetime.now(UTC), days)
        with click.progressbar(tickets, label=f"seed-demo: replaying {len(tickets)} tickets") as bar:
            for ticket, events in bar:
                for event in events:  # one at a time, as a helpdesk sends them: the risk has a history
                    service.ingest(ticket.ticket_id, ticket, [event])
        click.echo(f"seed-demo: {len(tickets)} tickets loaded, {open_tickets(service)} of them open now")
    finally:
        database.dispose()
