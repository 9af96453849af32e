"""How fast the managers' board answers with many open tickets: one page of 25 rows out of 10,000 open ones.

Fills a SQLite store in a temp dir with `--tickets` open tickets through the service (one customer message
each, some answered, created over the last five days, so the list holds every step of the order of work:
breached, about to breach, high risk, the rest; rules and the model when models/escalation-risk.json is
there; sentiment off — the fill is not what is measured), then starts the real server (`escalation serve`,
loopback) on that store, signs in with the development manager key and times, `--requests` times each: the
board page (`GET /dashboard`), its refresh (`/dashboard/board.json`), the API's list
(`GET /v1/early-warning?limit=25`), a filtered page (one team) and the CSV export of one team; the baseline
is `GET /healthz` timed in the same run (the machine's speed drifts). Prints p50/p99, requests/s, the
server's memory, and each kind's p50 as a ratio to the baseline's.

    .venv/bin/python bench/bench_board.py [--tickets 10000] [--requests 100]

Target (issue 17): a page of 25 rows from 10,000 open tickets in < 200 ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's packages, whatever the editable install points at
sys.path.insert(0, str(ROOT / "bench"))
from harness import ServerProcess, percentile, tree_usage  # noqa: E402

TEAMS = ("billing", "technical_support", "logistics", "accounts", "onboarding", "returns")
TEXTS = (
    "Hello, my invoice for May shows the wrong address, can you fix it?",
    "I was charged twice this month. Please refund the second payment.",
    "This is the third time I write. Nobody answers. I want to speak to a manager.",
    "Where is my parcel? The tracking number has not changed for five days.",
    "Können Sie mir bitte die Rechnung noch einmal schicken?",
    "Jeg har ikke fått svar på henvendelsen min fra forrige uke.",
)


def fill(database_url: str, tickets: int, seed: int) -> float:
    """`tickets` open tickets through the service; returns the seconds it took."""
    from core.settings import Settings
    from core.tickets import Event, Ticket
    from serving.service import build_service

    settings = Settings(database_url=database_url, serving={"sentiment": False}, sweeper={"enabled": False})
    service, database = build_service(settings)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    started = time.perf_counter()
    try:
        for i in range(tickets):
            created = now - timedelta(minutes=rng.randint(5, 5 * 24 * 60))
            tid = f"B-{i:06d}"
            ticket = Ticket.model_validate({
                "ticket_id": tid, "created_at": created, "channel": rng.choice(("email", "web", "chat")),
                "priority": rng.choice(("low", "normal", "normal", "high", "urgent")),
                "customer_id": f"C-{rng.randint(1, tickets // 3 + 1)}", "customer_tier": "gold",
                "product": "invoicing", "category": "billing_payment", "team": rng.choice(TEAMS),
                "language": "en", "subject": f"Case {i}", "assignee": f"agent-{rng.randint(1, 40)}"})
            events = [Event.model_validate({
                "event_id": f"{tid}-1", "ticket_id": tid, "at": created, "type": "customer_message",
                "author_role": "customer", "body": rng.choice(TEXTS)})]
            if rng.random() < 0.5:
                events.append(Event.model_validate({
                    "event_id": f"{tid}-2", "ticket_id": tid, "at": created + timedelta(minutes=30),
                    "type": "agent_reply", "author_role": "agent", "body": "We are looking into it."}))
            service.ingest(tid, ticket, events)
            if (i + 1) % 1000 == 0:
                print(f"  filled {i + 1:,} of {tickets:,} tickets", file=sys.stderr, flush=True)
    finally:
        database.dispose()
    return time.perf_counter() - started


def measure(client: httpx.Client, path: str, params: dict[str, str], n: int) -> tuple[list[float], float]:
    times = []
    started = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(path, params=params)
        times.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"{path}: {r.status_code}")
    return times, n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100, help="timed requests of each kind")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'board.db'}"
        took = fill(url, args.tickets, args.seed)
        print(f"store: {args.tickets:,} open tickets filled in {took:.0f} s")
        settings = {"ESCALATION_DATABASE_URL": url, "ESCALATION_SWEEPER__ENABLED": "false",
                    "ESCALATION_OUTBOX__ENABLED": "false", "ESCALATION_SERVING__SENTIMENT": "false"}
        with ServerProcess(settings, inherit_settings=True) as server, \
                httpx.Client(base_url=server.url, timeout=30) as client:
            login = client.post("/dashboard/login", data={"api_key": "dev-manager-key"})
            if login.status_code != 303:
                raise RuntimeError(f"login: {login.status_code}")
            kinds = {
                "baseline GET /healthz": ("/healthz", {}),
                "board page GET /dashboard": ("/dashboard", {}),
                "board refresh /dashboard/board.json": ("/dashboard/board.json", {}),
                "one team's page": ("/dashboard/board.json", {"team": "billing"}),
                "API GET /v1/early-warning?limit=25": ("/v1/early-warning", {"limit": "25"}),
                "CSV export, one team": ("/dashboard/board.csv", {"team": "billing"}),
            }
            client.headers["X-API-Key"] = "dev-manager-key"
            for path, params in kinds.values():  # warm-up: caches, first page compile
                measure(client, path, params, 3)
            results = {name: measure(client, path, params, args.requests)
                       for name, (path, params) in kinds.items()}
            memory = tree_usage(server.pid)[0] / 2**20
    base = percentile(results["baseline GET /healthz"][0], 50)
    print(f"{'kind':40} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>7} {'p50/baseline':>13}")
    for name, (times, rate) in results.items():
        p50 = percentile(times, 50)
        print(f"{name:40} {p50:8.1f} {percentile(times, 99):8.1f} {rate:7.1f} {p50 / base:13.1f}")
    print(f"server memory (RSS): {memory:.0f} MB; target: a page of 25 rows from {args.tickets:,} open "
          "tickets in < 200 ms")


if __name__ == "__main__":
    main()
