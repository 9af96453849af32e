"""Engines made by the store hide SQL parameters: a database error names the statement, not the values (which
hold message bodies and customer data). A SQLite file is put in WAL mode when its engine is made, so that no
connection switches it as it opens: a switch read the file and then wrote it, and SQLite answered such a
connection "database is locked" at once, past its busy timeout, while another wrote (the switch of another
engine or worker process opening the same new file). Migrations take turns: another's in progress is waited
for, and the later ones find the schema current."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from serving.store import Database, migrate
from serving.store.database import MIGRATION_LOCK
from serving.store.writer import writer_queue
from tests.serving.conftest import new_postgres_database


def test_database_errors_do_not_carry_parameters(url: str) -> None:
    database = Database(url)
    try:
        with pytest.raises(DBAPIError) as raised, database.engine.connect() as c:
            c.execute(text("INSERT INTO no_such_table (body) VALUES (:body)"), {"body": "Zebrafish 0199"})
    finally:
        database.dispose()
    assert "no_such_table" in str(raised.value) and "Zebrafish" not in str(raised.value)


def journal_mode(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("PRAGMA journal_mode").fetchone()[0])


@pytest.fixture
def migrated(tmp_path: Path) -> Path:
    """A store file as `migrate` leaves it: Alembic's own engine creates it in rollback-journal mode."""
    path = tmp_path / "store.db"
    migrate(f"sqlite:///{path}")
    assert journal_mode(path) == "delete"
    return path


def test_a_sqlite_file_is_in_wal_mode_once_its_engine_is_made(migrated: Path) -> None:
    database = Database(f"sqlite:///{migrated}")
    try:
        assert journal_mode(migrated) == "wal"
    finally:
        database.dispose()


def test_a_connection_opened_while_another_writes_reads(migrated: Path) -> None:
    database = Database(f"sqlite:///{migrated}")
    # another instance's write in progress: it holds SQLite's write lock
    with closing(sqlite3.connect(migrated, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        other.execute("DELETE FROM tickets")
        try:
            with database.engine.connect() as connection:  # the engine's first connection
                assert connection.execute(text("SELECT count(*) FROM tickets")).scalar_one() == 0
        finally:
            other.execute("ROLLBACK")
            database.dispose()


# --- one migration at a time -----------------------------------------------------------------------------


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from serving.store.database import alembic_config

    return str(ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head())


def revision(url: str) -> str | None:
    if url.startswith("sqlite"):  # read as another process would (an engine of ours would take the turn)
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                return None
            return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    database = Database(url)
    try:
        with database.engine.connect() as c:
            if "alembic_version" not in c.dialect.get_table_names(c):
                return None
            return str(c.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
    finally:
        database.dispose()


@contextmanager
def another_migration(url: str, waiters: int = 1) -> Iterator[Callable[[], bool]]:
    """Holds what a migration holds while it runs (another instance migrating); yields whether `waiters`
    migrations of ours now wait for it."""
    if url.startswith("sqlite"):
        queue = writer_queue(Path(url.removeprefix("sqlite:///")))
        with queue:
            yield lambda: queue.waiting() == waiters
        return
    database = Database(url)
    try:
        with database.engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            pid = holder.execute(text("SELECT pg_backend_pid()")).scalar_one()
            waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                           "AND pid <> :pid")
            with database.engine.connect() as probe:
                yield lambda: probe.execute(waiting, {"pid": pid}).scalar_one() == waiters
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            holder.commit()
    finally:
        database.dispose()


def until(condition: Callable[[], bool], seconds: float = 60) -> None:
    """Wait for what another thread does to show (polled; a bound, not a timing assumption)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come about"
        time.sleep(0.02)


def test_a_migration_waits_for_one_in_progress_and_then_finds_its_work(url: str) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            migrate(url)
        except BaseException as exc:
            errors.append(exc)

    with another_migration(url) as waits:
        ours = threading.Thread(target=run)
        ours.start()
        until(waits)
        assert revision(url) is None  # it has not begun: nothing created while the other one runs
    ours.join(timeout=120)
    assert not ours.is_alive() and errors == []
    assert revision(url) == head_revision()


def test_migrations_started_together_all_succeed(url: str) -> None:
    """Several threads of one process (Alembic's context is module-wide: they take turns)."""
    barrier, errors = threading.Barrier(3), []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            migrate(url)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and revision(url) == head_revision()


@pytest.fixture
def new_postgres(postgres_url: str) -> Iterator[str]:
    """A database of its own, new and empty (the run's shared one may hold what other tests left)."""
    with new_postgres_database(postgres_url, "escalation_migrate") as url:
        yield url


def test_instances_started_together_on_postgresql_migrate_one_after_another(new_postgres: str) -> None:
    """Three processes, as three `escalation serve` instances starting at once on a new database: they all
    wait behind the lock, are let go together, and each starts (the later ones find the schema current)."""
    url = new_postgres
    code = "import sys; from serving.store import migrate; migrate(sys.argv[1])"
    with another_migration(url, waiters=3) as waits:
        starting = [subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True)
                    for _ in range(3)]
        until(waits)
    answers = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in starting]
    assert [exit_code for exit_code, _ in answers] == [0, 0, 0], answers
    assert revision(url) == head_revision()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port where connections are accepted and never answered: a database server that hangs."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
    listener.close()
    for connection in held:
        connection.close()


def test_a_postgresql_server_that_never_answers_is_given_up_on(silent_server: int) -> None:
    from core.settings import StoreSettings

    quick = StoreSettings(connect_timeout_s=1)
    url = f"postgresql+psycopg://ops:pw-s3cret@127.0.0.1:{silent_server}/escalation"
    database = Database(url, quick)
    raised: list[str] = []

    def connect() -> None:
        for attempt in (database.ping, lambda: migrate(url, store=quick)):  # a request's query, then start-up
            try:
                attempt()
            except Exception as exc:
                raised.append(f"{type(exc).__name__}: {exc}")

    trying = threading.Thread(target=connect, daemon=True)  # bounded: before, both waited for good
    trying.start()
    trying.join(30)
    database.dispose()
    assert not trying.is_alive() and len(raised) == 2
    assert raised[0].startswith("OperationalError")  # a request's: 503 (serving/app.py)
    assert raised[1].startswith(f"StoreUnavailableError: the store at postgresql+psycopg://ops:***@127.0.0.1:"
                                f"{silent_server}/escalation does not answer")


def test_a_url_option_the_driver_does_not_know_is_one_line_at_start_up(postgres_url: str) -> None:
    from sqlalchemy.engine import make_url

    from core.errors import ConfigError

    url = make_url(postgres_url).set(password="pw-s3cret").update_query_dict({"sslmod": "require"})
    with pytest.raises(ConfigError) as bad:  # it was psycopg's ProgrammingError and its traceback
        migrate(url.render_as_string(hide_password=False))
    said = str(bad.value)
    assert said.startswith("ESCALATION_DATABASE_URL: the store at postgresql+psycopg://")
    assert "pw-s3cret" not in said
    assert said.endswith(' cannot be opened (invalid connection option "sslmod"); check the URL\'s options')


def _socket_options(database: Database) -> dict[str, int]:
    """The TCP options of a connection the engine opened, read from its socket."""
    import socket

    with database.engine.connect() as connection:
        fd = connection.connection.dbapi_connection.pgconn.socket  # type: ignore[union-attr]
        with closing(socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM)) as sock:
            return {
                "keepalive": sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
                "idle": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
                "interval": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
                "count": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT),
                "user_timeout_ms": sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT),
            }


def test_postgresql_connections_probe_a_silent_network_and_give_up_on_it(postgres_url: str) -> None:
    """A network that dropped without a reset left a request waiting on its dead connection for the OS
    default (Linux first probes an idle connection after two hours): every connection now has TCP keepalive
    from settings.store (its defaults: a silent peer is given up on after 30 + 3 × 10 s), and so does a
    migration's."""
    from core.settings import StoreSettings
    from serving.store.database import connect_args

    defaults = Database(postgres_url)
    try:
        assert _socket_options(defaults) == {"keepalive": 1, "idle": 30, "interval": 10, "count": 3,
                                             "user_timeout_ms": 60_000}
    finally:
        defaults.dispose()
    own = StoreSettings(connect_timeout_s=4, keepalives_idle_s=17, keepalives_interval_s=5,
                        keepalives_count=2)
    tuned = Database(postgres_url, own)
    try:
        assert _socket_options(tuned) == {"keepalive": 1, "idle": 17, "interval": 5, "count": 2,
                                          "user_timeout_ms": 27_000}
    finally:
        tuned.dispose()
    assert connect_args(postgres_url, own) == {"connect_timeout": 4, "keepalives": 1, "keepalives_idle": 17,
                                               "keepalives_interval": 5, "keepalives_count": 2,
                                               "tcp_user_timeout": 27_000,
                                               "options": "-c idle_in_transaction_session_timeout=60000"}
    # an option the URL names itself is the URL's
    named = f"{postgres_url}?keepalives_idle=99"
    assert "keepalives_idle" not in connect_args(named, own)
    from_url = Database(named, own)
    try:
        assert _socket_options(from_url)["idle"] == 99
    finally:
        from_url.dispose()


def test_sqlite_connections_take_no_network_options(tmp_path: Path) -> None:
    from serving.store.database import connect_args

    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert connect_args(url) == {}
    database = Database(url)
    try:
        database.ping()
    finally:
        database.dispose()


def test_a_transaction_left_idle_gives_its_locks_back(postgres_url: str) -> None:
    """A process that stops mid-transaction holding a lock — paused (SIGSTOP, a frozen VM, a long GC) or cut
    off by a network that sends no reset — kept it until PostgreSQL saw the connection gone (its own
    keepalive: two hours by default), and every request on that ticket, or alert of that team, waited on it
    (a SIGKILLed process's locks go at once: its socket closes). Each connection now ends a transaction left
    idle past settings.store.idle_in_transaction_s (60 s by default) and its locks go; the stalled process,
    woken, gets a 503."""
    from sqlalchemy import create_engine

    from core.settings import StoreSettings
    from serving.store.database import store_down

    defaults = Database(postgres_url)
    try:
        with defaults.engine.connect() as c:
            assert c.execute(text("SHOW idle_in_transaction_session_timeout")).scalar_one() == "1min"
    finally:
        defaults.dispose()
    stalled = Database(postgres_url, StoreSettings(idle_in_transaction_s=1))
    watcher = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    held_by = text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND locktype = 'advisory'")
    try:
        with stalled.engine.connect() as connection:
            connection.begin()
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            connection.execute(text("SELECT pg_advisory_xact_lock(4242)"))
            # here the process stalls: nothing more is sent on its connection
            held = 1
            for _ in range(200):  # polled, at most 20 s
                with watcher.connect() as w:
                    held = w.execute(held_by, {"pid": pid}).scalar_one()
                if not held:
                    break
                threading.Event().wait(0.1)
            assert held == 0
            with pytest.raises(DBAPIError) as woke:  # the process, woken: its request gets a 503
                connection.execute(text("SELECT 1"))
            assert store_down(woke.value)
    finally:
        stalled.dispose()
        watcher.dispose()
