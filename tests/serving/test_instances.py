"""Two API server processes (the real `escalation serve`, loopback) on one PostgreSQL database, ingesting the
same events at once — as a helpdesk behind a proxy does when a retried webhook reaches the other instance:
every event is stored once, no request fails, and every ticket's recorded state counts all its events."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from serving.store.tables import EventRow, TicketRow
from tests.bench_scripts import bench_module

EVENTS, TICKETS, THREADS = 120, 6, 6


def _crash_bench() -> ModuleType:
    """bench/bench_crash.py: its server start-up (loopback, rules only) and its request bodies."""
    return bench_module("bench_crash")


@pytest.fixture
def two_servers(postgres_url: str, tmp_path: Path) -> Iterator[list[str]]:
    bench = _crash_bench()
    started = []
    try:
        for _ in range(2):  # one after the other: the first migrates the empty database
            started.append(bench.start_server(postgres_url, tmp_path / "no-models"))
        yield [server.url for server in started]
    finally:
        for server in started:
            server.stop()
        from serving.store.database import Database
        from serving.store.tables import Base

        database = Database(postgres_url)  # the database is shared by this run's tests: leave it empty
        Base.metadata.drop_all(database.engine)
        with database.engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        database.dispose()


def test_two_instances_on_one_postgres_store_each_event_once(
    two_servers: list[str], postgres_url: str
) -> None:
    bench = _crash_bench()
    clients = [httpx.Client(base_url=url, timeout=60) for url in two_servers]
    answers: list[tuple[int, list[str], list[str]]] = []  # (status, event ids stored, ids found stored)

    def send(i: int, instance: int) -> None:
        tid, body = bench.request(i, TICKETS)
        r = clients[instance].post(f"/v1/tickets/{tid}/events", json=body, headers=bench.KEY)
        found = r.json() if r.status_code == 200 else {}
        answers.append((r.status_code, found.get("stored_events", []), found.get("duplicate_events", [])))

    try:
        # every event to both instances, interleaved: the same event id races itself across processes
        jobs = [(i, k) for i in range(EVENTS) for k in (0, 1)]
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(lambda job: send(*job), jobs))
    finally:
        for c in clients:
            c.close()
    assert [s for s, _, _ in answers if s != 200] == []
    stored = [e for _, ids, _ in answers for e in ids]
    duplicates = [e for _, _, ids in answers for e in ids]
    assert len(stored) == len(set(stored)) == EVENTS  # each event stored by exactly one request
    assert sorted(duplicates) == sorted(stored)  # and found already stored by the other
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as c:
            rows = c.execute(select(func.count()).select_from(EventRow)).scalar_one()
            counts = select(EventRow.ticket_id, func.count()).group_by(EventRow.ticket_id)
            per_ticket = {t: n for t, n in c.execute(counts)}
            seen = {t: n for t, n in c.execute(select(TicketRow.ticket_id, TicketRow.events_seen))}
    finally:
        engine.dispose()
    assert rows == EVENTS
    assert seen == per_ticket  # no ticket's recorded state is behind its events
