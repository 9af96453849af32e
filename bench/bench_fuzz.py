"""API fuzzing from the app's own OpenAPI schema: no request may answer 5xx, and every answer must match the
schema. Prints the requests sent, the 5xx answers and the schema violations for the store.

Starts the real app on a loopback port (uvicorn in a thread; SQLite in a temp dir, or `--database URL` for
PostgreSQL, whose tables are dropped first; rules-only unless `--models-dir` holds a model, sentiment off
unless `--sentiment`), reads GET /openapi.json and, for every operation, lets schemathesis generate
`--examples` requests from it (data that fits the schema and data that does not, in equal measure) under a
fixed `--seed`. Each request carries the key of one role (integration, manager, admin), a wrong key or none.
Half the requests to POST /v1/tickets/{id}/events get a valid body instead (a ticket with its first events,
or more events for a ticket of a small pool): those reach the assessment and the store, which schema-shaped
bodies rarely do. Bounded: it stops by itself.

    .venv/bin/python bench/bench_fuzz.py [--examples 500] [--seed 15] [--database postgresql://…]
        [--models-dir DIR [--sentiment] [--sentiment-head FILE]] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's packages, whatever the editable install points at

from harness import free_port, wait_ready  # noqa: E402

from core.settings import Settings  # noqa: E402
from serving.app import create_app  # noqa: E402

KEYS = {"integration": "dev-integration-key", "manager": "dev-manager-key", "admin": "dev-admin-key",
        "wrong key": "not-a-key", "no key": None}
INGEST = ("POST", "/v1/tickets/{ticket_id}/events")
START = datetime(2026, 5, 4, 9, tzinfo=UTC)


@dataclass
class Figures:
    requests: int = 0
    server_errors: int = 0
    violations: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    first_failures: list[str] = field(default_factory=list)

    def failed(self, line: str) -> None:
        if len(self.first_failures) < 10:
            self.first_failures.append(line[:600])


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The app on a free loopback port until the block ends."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="critical", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_ready(url, lambda: None if thread.is_alive() else "the server thread died during start-up", 60)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)


# --- valid ingests: what the schema alone cannot say (a ticket with its first events, per-type fields) ----
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=300)
IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:@+~-]{0,30}", fullmatch=True)
TICKETS = [f"FZ-{i}" for i in range(8)]


@st.composite
def event(draw: st.DrawFn, n: int) -> dict[str, Any]:
    at = (START + timedelta(minutes=draw(st.integers(0, 60 * 24 * 30)))).isoformat()
    kind = draw(st.sampled_from(["customer_message", "agent_reply", "status_change", "internal_note"]))
    out: dict[str, Any] = {"event_id": f"{draw(IDS)}-{n}", "at": at, "type": kind}
    if kind == "customer_message":
        return out | {"author_role": "customer", "body": draw(TEXT)}
    if kind == "status_change":
        return out | {"author_role": "agent", "status": draw(st.sampled_from(["open", "pending", "solved"]))}
    return out | {"author_role": "agent", "body": draw(TEXT)}


@st.composite
def valid_ingest(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    ticket_id = draw(st.sampled_from(TICKETS) | IDS)
    events = [draw(event(n)) for n in range(draw(st.integers(1, 4)))]
    ticket = {
        "created_at": START.isoformat(), "channel": draw(st.sampled_from(["email", "web", "chat", "phone"])),
        "priority": draw(st.sampled_from(["low", "normal", "high", "urgent"])), "customer_id": draw(IDS),
        "customer_tier": "gold", "customer_value": draw(st.floats(0, 1e12)), "product": "p",
        "category": "billing_payment", "team": draw(st.sampled_from(["billing", "support", "x" * 200])),
        "language": draw(st.sampled_from(["en", "de", "no"])), "subject": draw(TEXT),
        "region": draw(st.none() | st.integers(-(2**63), 2**63 - 1) | TEXT),
    }
    return ticket_id, {"ticket": ticket, "events": events} if draw(st.booleans()) else {"events": events}


def fuzz(url: str, examples: int, fixed_seed: int) -> Figures:
    """Every operation of the app's schema, `examples` requests each."""
    figures = Figures()
    schema = schemathesis.openapi.from_dict(httpx.get(f"{url}/openapi.json", timeout=30).json())
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                          operation.as_strategy(GenerationMode.NEGATIVE))
        ingest = (operation.method.upper(), operation.path) == INGEST
        valid = valid_ingest() if ingest else st.none()

        @seed(fixed_seed)
        @settings(max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=cases, role=st.sampled_from(sorted(KEYS)), replace=valid, use_valid=st.booleans())
        def one(case: Any, role: str, replace: tuple[str, dict[str, Any]] | None, use_valid: bool) -> None:
            if replace is not None and use_valid:
                case.path_parameters = {"ticket_id": replace[0]}
                case.body = replace[1]
                role = "integration"
            headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "x-api-key"}
            if KEYS[role] is not None:
                headers["X-API-Key"] = KEYS[role]
            case.headers = headers
            response = case.call(base_url=url, session=session, timeout=60)
            figures.requests += 1
            figures.by_status[response.status_code] = figures.by_status.get(response.status_code, 0) + 1
            where = f"{case.method} {case.formatted_path} ({role})"
            if response.status_code >= 500:
                figures.server_errors += 1
                figures.failed(f"{where}: {response.status_code} {response.text[:300]}")
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except AssertionError as exc:  # schemathesis' Failure
                figures.violations += 1
                figures.failed(f"{where}: schema violation: {str(exc)[:300]}")
            except BaseExceptionGroup as group:  # several failures at once
                figures.violations += 1
                figures.failed(f"{where}: schema violation: {str(group.exceptions[0])[:300]}")

        one()
    session.close()
    return figures


def fresh_store(database: str | None, tmp: Path) -> str:
    if database is None:
        return f"sqlite:///{tmp / 'fuzz.db'}"
    from serving.store.tables import Base

    engine = create_engine(database)
    Base.metadata.drop_all(engine)
    with engine.begin() as c:
        c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()
    return database


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=500, help="generated requests per operation")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--database", help="a PostgreSQL URL (its tables are dropped); default: SQLite")
    parser.add_argument("--models-dir", type=Path, help="escalation model (and exported encoder)")
    parser.add_argument("--sentiment", action="store_true", help="the sentiment model (needs --models-dir)")
    parser.add_argument("--sentiment-head", type=Path, help="a sentiment head file, if none is packaged")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sentiment = {"head_path": args.sentiment_head} if args.sentiment_head else {}
        settings = Settings.model_validate({
            "database_url": fresh_store(args.database, Path(tmp)),
            "paths": {"models_dir": args.models_dir or Path(tmp) / "no-models"},
            "serving": {"sentiment": args.sentiment, "max_body_bytes": 200_000, "max_events": 20},
            "sentiment": sentiment,
            "sweeper": {"enabled": False}, "outbox": {"enabled": False}, "logging": {"level": "CRITICAL"},
        })
        with serve(settings) as url:
            figures = fuzz(url, args.examples, args.seed)
    store = "postgresql" if args.database else "sqlite"
    summary = {"store": store, **asdict(figures), "wall_s": round(time.perf_counter() - started, 1)}
    if args.json:
        print(json.dumps(summary))
        return
    print(f"{store}: {figures.requests} requests sent, {figures.server_errors} 5xx, "
          f"{figures.violations} schema violations ({summary['wall_s']} s)")
    print("by status: " + ", ".join(f"{k} {v}" for k, v in sorted(figures.by_status.items())))
    for line in figures.first_failures:
        print("  " + line)


if __name__ == "__main__":
    main()
