"""`WriterQueue`: SQLite's writers take turns in arrival order, within a process and across the server's
worker processes. SQLite admits one writer at a time; a connection that finds the write lock taken sleeps in
its busy handler (1, 2, 5 … up to 100 ms a try) and retries, so under load a write waited up to ~100 ms
longer than the one before it needed, turns went to whoever happened to retry at the right moment, and that
was the tail of the latency. Here a write waits on a FIFO lock in its process and then on an advisory file
lock (`<database>-writer.lock`, flock) shared by the processes: the kernel wakes the next waiter the moment
the holder commits. The busy handler stays as a safety net for writers outside the server (a CLI command).

The turn is taken at a connection's first write statement (reads never wait) and given back when the
connection returns to the pool, after its commit or rollback."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from core.fifo import FifoLock

# BEGIN: only ever sent as BEGIN IMMEDIATE (the store's locked ingest; pysqlite's own BEGIN does not pass the
# cursor events), which takes SQLite's write lock at once: it must hold the turn, or a writer holding the
# turn would wait on SQLite's lock while this one waits on the turn
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN")
HOLDS = "escalation_writer_turn"  # key in a pooled connection's info: this connection holds the turn


_QUEUES: dict[Path, WriterQueue] = {}
_QUEUES_LOCK = threading.Lock()


def writer_queue(database_path: Path) -> WriterQueue:
    """The process's one queue for a database file: two engines on the same file (two `Database`s) share it,
    so their writers queue together instead of blocking each other on the file lock."""
    key = database_path.resolve()
    with _QUEUES_LOCK:
        return _QUEUES.setdefault(key, WriterQueue(key))


class WriterQueue:
    def __init__(self, database_path: Path) -> None:
        self.path = database_path.with_name(database_path.name + "-writer.lock")
        self._local = FifoLock()
        self._fd: int | None = None
        self._pid = 0  # a forked child opens its own descriptor: flock belongs to the open file

    def acquire(self) -> None:
        self._local.acquire()
        try:
            fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
        except BaseException:
            self._local.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._descriptor(), fcntl.LOCK_UN)
        finally:
            self._local.release()

    def __enter__(self) -> WriterQueue:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()

    def waiting(self) -> int:
        """Threads of this process queued for the turn now (a gauge, for tests)."""
        return self._local.waiting()

    def _descriptor(self) -> int:
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def install(self, engine: Engine) -> None:
        """Take the turn before a connection's first write; give it back when the connection is returned."""

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            info = conn.connection.info
            if not info.get(HOLDS) and statement.lstrip()[:7].upper().startswith(WRITES):
                self.acquire()
                info[HOLDS] = True

        @event.listens_for(engine, "checkin")
        def _returned(dbapi_connection: Any, record: Any) -> None:
            # the pool has rolled back whatever was not committed before this event: the write is over
            if record is not None and record.info.pop(HOLDS, False):
                self.release()

        @event.listens_for(engine, "close")
        def _closed(dbapi_connection: Any, record: Any) -> None:
            if record is not None and record.info.pop(HOLDS, False):
                self.release()
