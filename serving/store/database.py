"""Engine, sessions and start-up migrations. `migrate(url)` runs Alembic's `upgrade head` with the
migration environment shipped inside this package, so a fresh database (SQLite file or PostgreSQL) gets
the schema at start-up and an old one is brought up to date."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigError
from core.settings import StoreSettings
from serving.errors import StoreUnavailableError
from serving.store.writer import WriterQueue, writer_queue

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# PostgreSQL advisory lock that a migration's transaction holds (migrations/env.py): the first 8 bytes of
# sha256("escalation store migrations"), a fixed number no other lock of the database uses
MIGRATION_LOCK = 2322778541149528924
_MIGRATING = threading.Lock()  # Alembic keeps the running migration in a module-wide context: one per process
# The kinds of error a store that does not answer raises (`store_down` tells which of them are that); a broken
# connection may raise any DBAPIError (`store_down`: connection_invalidated)
STORE_ERRORS = (OperationalError, InterfaceError, PoolTimeoutError)
# SQLite's OperationalError also names faults of ours (no such table, a syntax error): only these are the file
# being unavailable
SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "unable to open database file",
                      "disk i/o error", "database or disk is full")
SQLITE_BUSY_S = 30.0  # a SQLite writer waits this long for another process's write lock


def store_down(exc: BaseException) -> bool:
    """Whether `exc` says the store did not answer — the server is down or restarting, a connection broke, the
    pool found none free in time, a SQLite file stayed locked past the busy timeout — rather than a fault to
    look up. Not the request's fault and not the ticket's: 503, retry later."""
    if isinstance(exc, InterfaceError | PoolTimeoutError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        # the connection broke, whatever its kind: the server ended it (its idle-in-transaction timeout is an
        # InternalError), or it went away mid-statement
        return True
    if not isinstance(exc, OperationalError):
        return False
    if isinstance(exc.orig, sqlite3.OperationalError):
        return any(said in str(exc.orig).lower() for said in SQLITE_UNAVAILABLE)
    return True  # psycopg: connection failures, shutdowns, timeouts, deadlocks; its faults are other kinds


def connect_args(url: str, store: StoreSettings | None = None) -> dict[str, Any]:
    """The driver's connection arguments for `url`, the engine's and the migrations' alike. PostgreSQL: the
    connect timeout and TCP keepalive of `store` (settings.store; its defaults when None), each unless the URL
    names it. A server that accepts a connection and never answers (overloaded, mid-failover, a pooler without
    a backend), or a network that went silent without a reset, would hold the request's thread for good (the
    OS default: hours), and with a few of them the whole process; the request gets its 503 instead."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return {}
    store = store or StoreSettings()
    silent_s = store.keepalives_idle_s + store.keepalives_interval_s * store.keepalives_count
    wanted: dict[str, Any] = {
        "connect_timeout": store.connect_timeout_s,
        "keepalives": 1,
        "keepalives_idle": store.keepalives_idle_s,
        "keepalives_interval": store.keepalives_interval_s,
        "keepalives_count": store.keepalives_count,
        # keepalive probes only an idle connection: a query sent and never acknowledged is ended after as long
        "tcp_user_timeout": silent_s * 1000,
    }
    if store.idle_in_transaction_s:
        # the server's side: a transaction whose process stopped sending (paused, or cut off without a reset)
        # would hold its row and advisory locks until the server's own keepalive gave up (two hours)
        wanted["options"] = f"-c idle_in_transaction_session_timeout={store.idle_in_transaction_s * 1000}"
    return {name: value for name, value in wanted.items() if name not in parsed.query}


def make_engine(url: str, store: StoreSettings | None = None) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        pool = store or StoreSettings()
        return create_engine(url, pool_pre_ping=True, pool_size=pool.pool_size,
                             max_overflow=pool.max_overflow, hide_parameters=True,
                             connect_args=connect_args(url, store))
    path = _sqlite_file(url)
    # The server's worker threads share the engine; a writer waits (busy timeout) instead of failing. A file
    # database gets SQLAlchemy's QueuePool: connections are opened once (pragmas below run then) and reused.
    # hide_parameters (here and above): a database error's message names the statement, not its values, which
    # hold message bodies and customer data
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_S}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # no journal mode here: WAL is the file's, set once (`_use_wal`) before the engine hands one out
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL + NORMAL, chosen for an embedded store: a commit appends to the WAL without an fsync (the WAL
        # is synced at checkpoints), so a committed event survives a crash of the service process; an OS
        # crash or power loss can lose the last commits, never corrupt the file. FULL would fsync every
        # commit (~ms each on this disk); deployments that need that durability use PostgreSQL.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's own lower() folds only A-Z: the board's case-insensitive search missed "Überweisung" even
        # typed as it is; Python's folds every letter, as PostgreSQL's does
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    if path is not None:  # writers take turns in arrival order, across processes too (store/writer.py)
        queue = writer_queue(path)
        _use_wal(engine, queue)
        queue.install(engine)
    return engine


def _lower(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database on disk, its folder made; None for another database or one in memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(str(parsed.database))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"ESCALATION_DATABASE_URL: the SQLite file's folder {path.parent} cannot be made "
            f"({exc.strerror or type(exc).__name__}); give a path in a folder this user may write"
        ) from None
    return path


def _use_wal(engine: Engine, queue: WriterQueue) -> None:
    """Put the database file in WAL mode (readers do not block the writer), once, in the writer's turn.

    The mode is the file's, kept across connections and restarts; a file Alembic created (`migrate`) is in
    rollback-journal mode. Switching writes the file's header after reading it, and SQLite answers a second
    connection switching at the same time "database is locked" at once, without its busy timeout (waiting
    could deadlock: each would hold a read lock the other's write waits for) — so the first connections of
    several engines or worker processes on a new file must not each switch it as they open. Only a file not
    yet in WAL mode is switched, by one connection at a time (the writers' turn, shared by the processes),
    before the engine hands out any connection."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if cursor.execute("PRAGMA journal_mode").fetchall() != [("wal",)]:
            queue.acquire()
            try:
                cursor.execute("PRAGMA journal_mode=WAL").fetchall()
            finally:
                queue.release()
        cursor.close()
    finally:
        connection.close()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str, revision: str = "head", store: StoreSettings | None = None) -> None:
    """Bring the database at `url` to `revision` (Alembic `upgrade`), one migration at a time: instances and
    processes that start together (several `escalation serve` on one PostgreSQL, `serve` beside `sweep` on one
    SQLite file) wait for each other instead of racing to create the same tables, and the later ones find
    the schema current. PostgreSQL: an advisory lock held by the migration's transaction (migrations/env.py);
    a SQLite file: the writers' turn, shared by the processes (store/writer.py)."""
    path = _sqlite_file(url)
    try:
        with _MIGRATING, writer_queue(path) if path is not None else nullcontext():
            config = alembic_config(url)
            config.attributes["store"] = store  # the connection's options (migrations/env.py)
            command.upgrade(config, revision)
    except STORE_ERRORS as exc:
        if not store_down(exc):
            raise
        raise unavailable(url, exc) from None
    except DBAPIError as exc:
        if exc.statement is not None:  # a migration's statement: a fault to look up
            raise
        # refused while connecting: an option of the URL the driver does not know (?foo=bar)
        raise ConfigError(f"ESCALATION_DATABASE_URL: the store at {_where(url)} cannot be opened "
                          f"({_reason(exc)}); check the URL's options") from None


def unavailable(url: str, exc: Exception) -> StoreUnavailableError:
    """The store at `url` did not answer, said without its password: where, and the server's reason."""
    return StoreUnavailableError(
        f"the store at {_where(url)} does not answer ({_reason(exc)}); check ESCALATION_DATABASE_URL and "
        "that the database server runs"
    )


def _where(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _reason(exc: Exception) -> str:
    """The driver's first line, without libpq's prefixes (which name the host again)."""
    first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else ""
    return first.rsplit("failed: ", 1)[-1].removeprefix("FATAL:").strip() or type(exc).__name__


class Database:
    """One engine and its session factory; `session()` commits on success and rolls back on error."""

    def __init__(self, url: str, store: StoreSettings | None = None) -> None:
        """`store`: settings.store (its defaults when None), the PostgreSQL connections' options."""
        self.url = url
        self.engine = make_engine(url, store)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    def ping(self) -> bool:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def dispose(self) -> None:
        self.engine.dispose()
