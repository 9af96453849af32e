"""WAL checkpoints of the embedded SQLite store, off the request path.

In WAL mode SQLite appends every commit to the write-ahead log and copies the log back into the database
file at a checkpoint. By default the commit that takes the log past 1,000 pages runs that checkpoint
itself: a message's commit writes ~18 pages (its events, the assessment and their indexes), so about one
commit in 55 also copied ~4 MB and synced the files, while holding its writer turn (store/writer.py), and
every writer queued behind it waited too: a tail of the message latency that no request had earned.

The server therefore runs the checkpoints in a thread of each process, every `serving.sqlite_checkpoint_s`
seconds. The thread asks for a PASSIVE checkpoint: it copies what no reader still needs, never waits for a
lock and never blocks a writer (the write lock is not taken; the writer queue is not joined). The server's
connections keep an automatic checkpoint only as a backstop, at `BACKSTOP_PAGES`: if the thread falls
behind or stops, a commit still bounds the log. Commands that write alone (seed-demo, imports) keep
SQLite's default.

A checkpoint that fails is logged (no path, no data) and tried again at the next interval."""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("serving.store")

BACKSTOP_PAGES = 10_000  # ~40 MB of log: the commits' own checkpoint when the thread falls behind
DEFAULT_PAGES = 1_000  # SQLite's own threshold


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One checkpoint's outcome, as SQLite reports it: `busy` (another checkpoint ran, or a reader kept it
    from finishing), the pages in the log and the pages copied into the database file."""

    busy: bool
    log_pages: int
    copied_pages: int


class WalCheckpointer:
    """PASSIVE checkpoints of the database at `path` every `every_s` seconds, on a thread of its own
    (`start`, `close`), over a connection of its own."""

    def __init__(self, path: Path, every_s: float) -> None:
        if every_s <= 0:
            raise ValueError(f"every_s must be above 0, got {every_s}")
        self.path = path
        self.every_s = every_s
        self.done = 0  # checkpoints run, busy ones included
        self.failures = 0
        self._connection: sqlite3.Connection | None = None
        self._stop = threading.Event()
        self._ran = threading.Condition()
        self._thread: threading.Thread | None = None

    def checkpoint(self) -> Checkpoint | None:
        """One PASSIVE checkpoint now; None when it failed (logged and counted)."""
        try:
            if self._connection is None:
                # isolation_level None: no implicit transaction around the pragma
                self._connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            busy, pages, copied = self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            found = Checkpoint(bool(busy), int(pages), int(copied))
        except sqlite3.Error as exc:
            log.warning("WAL checkpoint failed (%s); the next in %.1f s", type(exc).__name__, self.every_s)
            with self._ran:
                self.failures += 1
                self._ran.notify_all()
            return None
        with self._ran:
            self.done += 1
            self._ran.notify_all()
        return found

    def wait_for(self, done: int, timeout: float) -> bool:
        """Until `done` checkpoints have been tried (run or failed), at most `timeout` seconds."""
        with self._ran:
            return self._ran.wait_for(lambda: self.done + self.failures >= done, timeout)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)
            self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.checkpoint()
