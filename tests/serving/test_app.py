"""The application's answers when its store goes away and comes back: the real server (`escalation serve`,
loopback) on PostgreSQL reached through a loopback relay that the test cuts and restores, as a database
restart or a network partition does."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from serving.store.tables import EventRow
from tests.serving.conftest import new_postgres_database

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

from bench_crash import KEY, request, start_server  # noqa: E402  (the benches' folder, as a script has it)


class Relay:
    """Forwards loopback connections to the database server while open; `cut()` closes the listener and every
    connection through it (the database is gone), `restore()` listens again on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        assert self._listener is not None
        with contextlib.suppress(OSError):  # wakes the accepting thread (close alone does not, on Linux)
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relayed(postgres_url: str) -> Iterator[tuple[str, Relay]]:
    """A new database, and its URL through a relay on loopback."""
    with new_postgres_database(postgres_url, "escalation_outage") as url:
        parsed = make_url(url)
        relay = Relay((parsed.host or "127.0.0.1", parsed.port or 5432))
        try:
            yield parsed.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False), relay
        finally:
            relay.cut()


def test_a_store_that_goes_away_is_a_503_with_retry_after_and_nothing_accepted_is_lost(
    relayed: tuple[str, Relay], postgres_url: str, tmp_path: Path
) -> None:
    url, relay = relayed
    server = start_server(url, tmp_path / "no-models")
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            tid, first = request(0, 1)
            assert client.post(f"/v1/tickets/{tid}/events", json=first, headers=KEY).status_code == 200

            relay.cut()
            _, second = request(1, 1)
            down = client.post(f"/v1/tickets/{tid}/events", json=second, headers=KEY)
            assert down.status_code == 503, down.text
            assert down.headers["Retry-After"] == "5"
            assert down.json()["error"] == "store_unavailable"
            assert "send the request again in 5 s" in down.json()["detail"]
            assert client.get("/healthz").status_code == 200  # the process answers
            ready = client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["error"] == "not_ready"
            scraped = client.get("/metrics")  # the process's own figures, and the outage, stay visible
            assert scraped.status_code == 200, scraped.text
            assert "escalation_store_up 0.0" in scraped.text and 'status="503"' in scraped.text

            relay.restore()
            assert client.get("/readyz").status_code == 200
            again = client.post(f"/v1/tickets/{tid}/events", json=second, headers=KEY)
            assert again.status_code == 200, again.text
            # the database's outage was not the ticket's failure: not counted as one
            scraped = client.get("/metrics")
            assert 'escalation_assessment_failures_total{stage="ingest"} 0.0' in scraped.text
            assert "escalation_store_up 1.0" in scraped.text
    finally:
        server.stop()
    engine = create_engine(url)
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(EventRow)).scalar_one() == 2
    engine.dispose()


def test_the_dashboard_says_in_a_page_that_the_store_does_not_answer(
    relayed: tuple[str, Relay], tmp_path: Path
) -> None:
    """The managers' pages showed the API's JSON body to a person in a browser while the store was away; now
    a page of the dashboard, still 503 with Retry-After. The list's poll (board.json) keeps its JSON."""
    url, relay = relayed
    server = start_server(url, tmp_path / "no-models")
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            tid, first = request(0, 1)
            assert client.post(f"/v1/tickets/{tid}/events", json=first, headers=KEY).status_code == 200
            login = client.post("/dashboard/login", data={"api_key": "dev-manager-key"})
            assert login.status_code == 303 and "escalation_session" in str(login.headers.get("set-cookie"))
            relay.cut()
            browser = {"Accept": "text/html", "Accept-Language": "de"}
            for path in ("/dashboard", f"/dashboard/tickets/{tid}", "/dashboard/kpis"):
                down = client.get(path, headers=browser)
                assert down.status_code == 503, (path, down.text)
                assert down.headers["Retry-After"] == "5"
                assert down.headers["content-type"].startswith("text/html")
                assert down.headers["Content-Security-Policy"].startswith("default-src 'self'")
                assert '<link rel="stylesheet" href="/dashboard/static/dashboard.css">' in down.text
                assert "Die Ticketdatenbank antwortet nicht" in down.text, down.text
                assert "in 5 Sekunden" in down.text and f'href="{path}"' in down.text
                assert "store_unavailable" not in down.text and "OperationalError" not in down.text
            posted = client.post(f"/dashboard/tickets/{tid}/feedback", data={"label": "escalated"},
                                 headers=browser)
            assert posted.status_code == 503 and posted.headers["content-type"].startswith("text/html")
            assert "Nichts von dem, was Sie gesendet haben, wurde gespeichert" in posted.text
            polled = client.get("/dashboard/board.json", headers={"Accept": "application/json"})
            assert polled.status_code == 503 and polled.json()["error"] == "store_unavailable"
            assert polled.headers["Retry-After"] == "5"
            relay.restore()
            assert client.get("/dashboard").status_code == 200
    finally:
        server.stop()


HOLD_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


def test_a_sqlite_file_another_process_keeps_locked_is_a_503_with_retry_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from serving.store import database
    from tests.serving.conftest import quiet_settings
    from tests.serving.conftest import start_server as start_in_thread

    monkeypatch.setattr(database, "SQLITE_BUSY_S", 0.5)  # the wait for another writer, shortened
    settings = quiet_settings(tmp_path)
    served = start_in_thread(settings)
    server = next(served)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            tid, first = request(0, 1)
            assert client.post(f"/v1/tickets/{tid}/events", json=first, headers=KEY).status_code == 200
            path = make_url(settings.database_url).database
            holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
            try:
                assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
                _, second = request(1, 1)
                locked = client.post(f"/v1/tickets/{tid}/events", json=second, headers=KEY)
                assert locked.status_code == 503, locked.text
                assert locked.headers["Retry-After"] == "5" and locked.json()["error"] == "store_unavailable"
            finally:
                holder.communicate("release\n", timeout=30)
            again = client.post(f"/v1/tickets/{tid}/events", json=second, headers=KEY)
            assert again.status_code == 200 and again.json()["stored_events"] == ["C-0-m1"]
    finally:
        served.close()


def test_a_sqlite_schema_fault_stays_a_500_not_a_store_outage(tmp_path: Path) -> None:
    """SQLite names a missing table or column an OperationalError too: that is a fault to look up (500 with a
    ref), not a database to wait for."""
    import sqlite3

    from tests.serving.conftest import quiet_settings
    from tests.serving.conftest import start_server as start_in_thread

    settings = quiet_settings(tmp_path)
    served = start_in_thread(settings)
    server = next(served)
    try:
        with sqlite3.connect(str(make_url(settings.database_url).database)) as c:
            c.execute("DROP TABLE events")  # the schema broken behind the server's back
        with httpx.Client(base_url=server.url, timeout=60) as client:
            tid, first = request(0, 1)
            broken = client.post(f"/v1/tickets/{tid}/events", json=first, headers=KEY)
        assert broken.status_code == 500 and broken.json()["error"] == "internal_error", broken.text
        assert "Retry-After" not in broken.headers
    finally:
        served.close()


def test_a_transaction_the_server_ended_is_a_503_not_a_500(postgres_url: str, tmp_path: Path) -> None:
    """A server process paused mid-transaction past settings.store.idle_in_transaction_s finds, once woken,
    its transaction ended by PostgreSQL (psycopg's IdleInTransactionSessionTimeout, an InternalError, not an
    OperationalError): the connection is gone, as in a restart — 503 with Retry-After, not a 500."""
    from fastapi.testclient import TestClient
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from core.settings import StoreSettings
    from serving.app import create_app
    from serving.store import Database
    from tests.serving.conftest import quiet_settings

    paused = Database(postgres_url, StoreSettings(idle_in_transaction_s=1))
    watcher = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    alive = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
    try:
        with paused.engine.connect() as connection:
            connection.begin()
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            for _ in range(100):  # polled from beside, at most 10 s: the server ends it after 1 s idle
                with watcher.connect() as w:
                    if not w.execute(alive, {"pid": pid}).scalar_one():
                        break
                threading.Event().wait(0.1)
            with pytest.raises(DBAPIError) as woke:  # the paused process, woken
                connection.execute(text("SELECT 1"))
    finally:
        paused.dispose()
        watcher.dispose()
    ended = woke.value
    assert type(ended).__name__ == "InternalError"

    def woken(*args: object, **kwargs: object) -> None:  # that process's request, going on
        raise ended

    with TestClient(create_app(quiet_settings(tmp_path)), raise_server_exceptions=False,
                    base_url="http://localhost") as client:
        client.app.state.service.ingest = woken  # type: ignore[attr-defined]
        tid, body = request(0, 1)
        answer = client.post(f"/v1/tickets/{tid}/events", json=body, headers=KEY)
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5" and answer.json()["error"] == "store_unavailable"
