"""How long the store takes to read a page of a long ticket's events, with the events' index on (ticket, time,
arrival) of migration 0011 and without it (the store as migration 0010 left it).

Fills a store with one ticket of `--events` events (two a minute, every 1,000th a status change; the later
half sent first, so arrival order is not time order), then times `Store.history` (a page of events, the
status before it, a page of assessments, the counts) and the events' page statement alone (as Store.history
sends it), `--reads` times each, for the first page (offset 0), a middle one and the last one, 200 events
each: first at the head revision, then downgraded to 0010, in the same run (the machine's speed drifts).
Prints the median and best time per page and revision. SQLite in a temp dir; `--url` also an empty
PostgreSQL database, left empty again. `--other-tickets` adds tickets of 10 events each to the store (the
events table of a store in use holds many tickets').

    .venv/bin/python bench/bench_ticket_page.py [--events 10000] [--reads 20] \\
        [--other-tickets 0] [--url postgresql+psycopg://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's packages, whatever the editable install points at

import sqlalchemy as sa  # noqa: E402
from alembic import command  # noqa: E402

from core.tickets import Event, Ticket  # noqa: E402
from serving.store import Database, Store, migrate  # noqa: E402
from serving.store.database import alembic_config  # noqa: E402
from serving.store.paging import Window  # noqa: E402
from serving.store.tables import Base  # noqa: E402

START = datetime(2026, 5, 4, 9, tzinfo=UTC)
PAGE = 200
BEFORE_INDEX = "0010"


def ticket() -> Ticket:
    return Ticket.model_validate({
        "ticket_id": "T-1", "created_at": START.isoformat(), "channel": "email", "priority": "normal",
        "customer_id": "C-1", "customer_tier": "gold", "product": "p", "category": "billing_payment",
        "team": "billing", "language": "en", "assignee": "a-1"})


def event(n: int, ticket_id: str = "T-1") -> Event:
    fields: dict[str, str] = {"type": "customer_message", "author_role": "customer", "body": f"message {n}"}
    if n % 1000 == 999:
        fields = {"type": "status_change", "author_role": "agent",
                  "status": "pending" if n % 2000 == 999 else "open"}
    at = START + timedelta(minutes=n // 2)
    return Event.model_validate({"event_id": f"{ticket_id}-e{n}", "ticket_id": ticket_id,
                                 "at": at.isoformat(), **fields})


def page_statement(store: Store, offset: int) -> tuple[str, Any]:
    """The events' page statement and its parameters as Store.history sends them."""
    sent: list[tuple[str, Any]] = []

    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    sa.event.listen(store.db.engine, "before_cursor_execute", keep)
    try:
        store.history("T-1", Window(1), Window(PAGE, offset), Window(1))
    finally:
        sa.event.remove(store.db.engine, "before_cursor_execute", keep)
    return next((s, p) for s, p in sent if "FROM events" in s and "OFFSET" in s)


def timed(store: Store, offset: int, reads: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each read of the page at `offset`: Store.history, and its events' statement alone."""
    whole, alone = [], []
    statement, parameters = page_statement(store, offset)
    for _ in range(reads):
        began = time.perf_counter()
        store.history("T-1", Window(1), Window(PAGE, offset), Window(1))
        whole.append((time.perf_counter() - began) * 1000)
        with store.db.engine.connect() as connection:
            began = time.perf_counter()
            connection.exec_driver_sql(statement, parameters).all()
            alone.append((time.perf_counter() - began) * 1000)
    return whole, alone


def fill(store: Store, events: int, other_tickets: int) -> None:
    made = [event(n) for n in range(events)]
    store.append("T-1", ticket(), made[events // 2:], START)
    store.append("T-1", None, made[:events // 2], START)
    for t in range(other_tickets):
        tid = f"O-{t}"
        store.append(tid, ticket().model_copy(update={"ticket_id": tid}), [event(n, tid) for n in range(10)],
                     START)


def measure(url: str, events: int, reads: int, other_tickets: int) -> None:
    migrate(url)
    database = Database(url)
    try:
        fill(Store(database), events, other_tickets)
        pages = {"first": 0, "middle": (events // 2) // PAGE * PAGE, "last": events - PAGE}
        for label, revision in (("with the index (0011)", None), ("without (0010)", BEFORE_INDEX)):
            if revision is not None:
                command.downgrade(alembic_config(url), revision)
            if database.engine.dialect.name == "postgresql":
                with database.engine.begin() as c:
                    c.exec_driver_sql("ANALYZE events")  # what autovacuum does on a real store
            for name, offset in pages.items():
                whole, alone = timed(Store(database), offset, reads)
                print(f"  {database.engine.dialect.name:10s} {label:22s} {name:6s} page (offset {offset:>5}):"
                      f" history median {statistics.median(whole):6.1f} ms, best {min(whole):6.1f} ms;"
                      f" its page statement median {statistics.median(alone):6.1f} ms,"
                      f" best {min(alone):6.1f} ms", flush=True)
    finally:
        Base.metadata.drop_all(database.engine)
        with database.engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--reads", type=int, default=20)
    parser.add_argument("--other-tickets", type=int, default=0)
    parser.add_argument("--url", action="append", default=[],
                        help="an empty database (SQLite is always timed)")
    args = parser.parse_args()
    print(f"one ticket of {args.events:,} events among {args.other_tickets:,} others of 10;"
          f" a {PAGE}-event page, {args.reads} reads each")
    with tempfile.TemporaryDirectory(prefix="bench-ticket-page-") as tmp:
        for url in [f"sqlite:///{Path(tmp) / 'store.db'}", *args.url]:
            measure(url, args.events, args.reads, args.other_tickets)


if __name__ == "__main__":
    main()
