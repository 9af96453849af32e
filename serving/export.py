"""`escalation export-history`: the live store (settings.database_url, the store `escalation serve` uses)
written out in the documented history format, so that a team retrains on what the API has seen:
`escalation train --data DIR`. Progress goes to stderr, the counts to stdout."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from core.bounds import EXPORT_BATCH_MAX
from core.errors import ConfigError, NotFoundError
from core.settings import StoreSettings, get_settings
from features.history.writer import HistoryWriter
from serving.store.database import Database
from serving.store.export import BATCH_TICKETS, Window, export_history, tickets_in


def instant(option: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f"{option} {text!r} is not an ISO 8601 instant; write e.g. 2026-06-01T00:00:00Z"
        ) from None
    if value.tzinfo is None:
        raise ConfigError(f"{option} {text!r} has no UTC offset; add one, e.g. {text}Z or {text}+01:00")
    try:
        return value.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, year 9999 west of it
        raise ConfigError(
            f"{option} {text!r} lies outside the years 1 to 9999 in UTC; give an instant within them"
        ) from None


def open_store(url: str, store: StoreSettings | None = None) -> Database:
    """The ticket store at `url` (`store`: settings.store), refused when there is none: an export never
    creates an empty store (SQLite would make the file) nor migrates one (that is `escalation serve`'s)."""
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    missing = NotFoundError(f"no ticket store at {shown}; set ESCALATION_DATABASE_URL to the store "
                            "`escalation serve` uses")
    if parsed.get_backend_name() == "sqlite" and not Path(str(parsed.database or "")).is_file():
        raise missing
    database = Database(url, store)
    if not inspect(database.engine).has_table("tickets"):
        database.dispose()
        raise missing
    return database


@click.command("export-history")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for tickets.jsonl, events.jsonl and feedback.jsonl (created; holding no history).")
@click.option("--since", help="Tickets created at or after this instant (ISO 8601 with offset).")
@click.option("--until", help="Tickets created, and their events and feedback recorded, before this instant "
                              "(default: now, when the export starts).")
@click.option("--batch", type=click.IntRange(1, EXPORT_BATCH_MAX), default=BATCH_TICKETS, show_default=True,
              help="Tickets read at a time: memory grows with it, not with the store.")
def export_history_command(out: Path, since: str | None, until: str | None, batch: int) -> None:
    """Write the store's tickets, events and managers' feedback (useful / false alarm) as a history that
    `escalation validate-data OUT` checks and `escalation train --data OUT` trains on."""
    window = Window(until=instant("--until", until) or datetime.now(UTC), since=instant("--since", since))
    if window.since is not None and window.since >= window.until:
        raise ConfigError(f"--since {since} is not before --until {window.until.isoformat()}; swap them")
    settings = get_settings()
    database = open_store(settings.database_url, settings.store)
    try:
        total = tickets_in(database, window)
        done = 0

        def progress(n: int) -> None:
            nonlocal done
            done += n
            click.echo(f"exported {done:,} of {total:,} tickets", err=True)

        with HistoryWriter(out) as writer:
            export_history(database, writer, window, batch_tickets=batch, on_batch=progress)
    finally:
        database.dispose()
    counts = writer.written
    click.echo(f"{counts['tickets']:,} tickets, {counts['events']:,} events, {counts['feedback']:,} feedback "
               f"written to {out} (until {window.until.isoformat()})")
    click.echo(f"check: escalation validate-data {out} · retrain: escalation train --data {out}")
