"""Crash durability: the API killed with SIGKILL in the middle of concurrent event writes loses no event it
acknowledged, stores none twice, and leaves no ticket with events its assessment did not see.

Starts the real server (`escalation serve`, loopback, rules-only and no sentiment so that writes are quick;
SQLite in a temp dir, or `--database URL` for PostgreSQL), sends `--events` new customer messages spread over
`--tickets` tickets from `--concurrency` threads, kills the whole server process group with SIGKILL once
`--kill-after` of them were acknowledged (200), restarts it on the same store, and sends every event again
(a client retrying; acknowledged ones come back as duplicates). Then it reads the store and prints, as one
JSON object (`--json`) or as lines:
  acknowledged before the kill, lost (acknowledged but not stored), stored twice, stored in all after the
  retry, tickets whose current state saw fewer events than they hold (lagging), 5xx answers.
Faults: `--rounds` kills, each on a fresh store. Bounded: it stops by itself.

    .venv/bin/python bench/bench_crash.py [--events 2000] [--tickets 50] [--concurrency 8]
        [--kill-after 700] [--rounds 1] [--database postgresql://…] [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from harness import ServerProcess
from sqlalchemy import create_engine, func, select

from serving.store.tables import EventRow, TicketRow

ROOT = Path(__file__).resolve().parent.parent
KEY = {"X-API-Key": "dev-integration-key"}
T0 = datetime(2026, 5, 4, 9, tzinfo=UTC)


def start_server(database_url: str, models_dir: Path) -> ServerProcess:
    """The server on `database_url`, rules only (`models_dir` empty) and no sentiment: writes are quick."""
    return ServerProcess({
        "ESCALATION_DATABASE_URL": database_url,
        "ESCALATION_PATHS__MODELS_DIR": str(models_dir),
        "ESCALATION_SERVING__SENTIMENT": "false",
        "ESCALATION_SWEEPER__ENABLED": "false",
        "ESCALATION_OUTBOX__ENABLED": "false",
    })


def request(i: int, tickets: int) -> tuple[str, dict[str, Any]]:
    tid = f"C-{i % tickets}"
    at = T0 + timedelta(minutes=i)
    body: dict[str, Any] = {
        "ticket": {
            "created_at": T0.isoformat(), "channel": "email", "priority": "normal", "customer_id": f"K-{tid}",
            "customer_tier": "gold", "product": "invoicing", "category": "billing_payment", "team": "billing",
            "language": "en",
        },
        "events": [{"event_id": f"{tid}-m{i}", "at": at.isoformat(), "type": "customer_message",
                    "author_role": "customer", "body": f"Message {i}: still waiting for the refund."}],
    }
    return tid, body


def one_round(args: argparse.Namespace, database_url: str, models_dir: Path) -> dict[str, int]:
    acked: set[str] = set()
    errors = {"5xx": 0}
    lock = threading.Lock()
    killed = threading.Event()
    server = start_server(database_url, models_dir)

    def send(client: httpx.Client, i: int) -> None:
        tid, body = request(i, args.tickets)
        try:
            r = client.post(f"/v1/tickets/{tid}/events", json=body, headers=KEY)
        except httpx.TransportError:
            return  # the kill: no answer, so not acknowledged
        with lock:
            if r.status_code == 200:
                acked.add(body["events"][0]["event_id"])
                if len(acked) >= args.kill_after and not killed.is_set():
                    killed.set()
                    server.kill()
            elif r.status_code >= 500:
                errors["5xx"] += 1

    def drive(base: str, indices: range) -> None:
        with httpx.Client(base_url=base, timeout=30) as client, ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(lambda i: send(client, i), indices))

    try:
        drive(server.url, range(args.events))
    finally:
        server.kill()
    before_kill = len(acked)
    engine = create_engine(database_url)
    with engine.connect() as c:
        stored = set(c.execute(select(EventRow.event_id)).scalars())
        rows = c.execute(select(func.count()).select_from(EventRow)).scalar_one()
    lost = len(acked - stored)
    # restart on the same store and retry everything: acknowledged events come back as duplicates
    with start_server(database_url, models_dir) as server:
        drive(server.url, range(args.events))
    with engine.connect() as c:
        after = c.execute(select(func.count()).select_from(EventRow)).scalar_one()
        per_ticket = select(EventRow.ticket_id, func.count()).group_by(EventRow.ticket_id)
        counts = {t: n for t, n in c.execute(per_ticket)}
        seen = {t: n for t, n in c.execute(select(TicketRow.ticket_id, TicketRow.events_seen))}
    engine.dispose()
    return {
        "acknowledged_before_kill": before_kill,
        "stored_at_kill": rows,
        "lost": lost,
        "stored_twice": rows - len(stored),
        "stored_after_retry": int(after),
        "lagging_tickets": sum(1 for t, n in counts.items() if seen.get(t, 0) != n),
        "5xx": errors["5xx"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--tickets", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--kill-after", type=int, default=700, help="acknowledged events before SIGKILL")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--database", help="a PostgreSQL URL (its tables are dropped); default: SQLite in a temp dir"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    if args.kill_after >= args.events:
        parser.error(f"--kill-after ({args.kill_after}) must be below --events ({args.events})")
    started = time.perf_counter()
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            if args.database:
                from serving.store.tables import Base

                engine = create_engine(args.database)
                Base.metadata.drop_all(engine)  # a fresh store each round
                with engine.begin() as c:
                    c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
                engine.dispose()
                url = args.database
            else:
                url = f"sqlite:///{Path(tmp) / f'crash-{n}.db'}"
            rounds.append(one_round(args, url, Path(tmp) / "no-models"))
            if not args.json:
                print(f"round {n + 1}: " + ", ".join(f"{k} {v}" for k, v in rounds[-1].items()), flush=True)
    total = {k: sum(r[k] for r in rounds) for k in rounds[0]}
    summary = {"rounds": args.rounds, "events_per_round": args.events, **total,
               "wall_s": round(time.perf_counter() - started, 1)}
    if args.json:
        print(json.dumps(summary))
    else:
        print("total: " + ", ".join(f"{k} {v}" for k, v in summary.items()))


if __name__ == "__main__":
    main()
