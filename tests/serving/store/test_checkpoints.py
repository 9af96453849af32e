"""The SQLite store's WAL checkpoints: the server's database runs them on a thread and leaves its commits
only a backstop; other databases and commands keep SQLite's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from serving.store import Database
from serving.store.checkpoints import BACKSTOP_PAGES, DEFAULT_PAGES, WalCheckpointer

PAGES_WRITTEN = 1_500  # commits of one 4 KB row: more than SQLite's 1,000-page threshold, under the backstop


def _write(database: Database, commits: int) -> None:
    with database.engine.begin() as c:
        c.execute(text("CREATE TABLE IF NOT EXISTS scratch (body BLOB)"))
    for _ in range(commits):
        with database.engine.begin() as c:
            c.execute(text("INSERT INTO scratch (body) VALUES (randomblob(4000))"))


def _autocheckpoint(database: Database) -> int:
    with database.engine.connect() as c:
        return int(c.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def test_the_server_s_commits_leave_the_log_to_the_checkpoint_thread(tmp_path: Path) -> None:
    server = Database(f"sqlite:///{tmp_path / 'server.db'}", checkpoint_s=3600)  # the thread waits an hour
    plain = Database(f"sqlite:///{tmp_path / 'plain.db'}")
    try:
        assert (_autocheckpoint(server), _autocheckpoint(plain)) == (BACKSTOP_PAGES, DEFAULT_PAGES)
        _write(server, PAGES_WRITTEN)
        _write(plain, PAGES_WRITTEN)
        assert server.checkpoints is not None and plain.checkpoints is None
        by_thread = server.checkpoints.checkpoint()
        by_commits = WalCheckpointer(tmp_path / "plain.db", 1).checkpoint()
    finally:
        server.dispose()
        plain.dispose()
    # no commit of the server's checkpointed: the whole log waited for the thread, which copied all of it
    assert by_thread is not None and by_thread.log_pages >= PAGES_WRITTEN
    assert by_thread.copied_pages == by_thread.log_pages and not by_thread.busy
    # SQLite's default: a commit checkpointed at 1,000 pages and the log started again
    assert by_commits is not None and by_commits.log_pages < DEFAULT_PAGES + 10


def test_the_thread_checkpoints_every_interval_until_the_database_is_disposed(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'store.db'}", checkpoint_s=0.01)
    checkpoints = database.checkpoints
    assert checkpoints is not None
    try:
        _write(database, 50)
        assert checkpoints.wait_for(3, timeout=30)
    finally:
        database.dispose()
    done = checkpoints.done
    assert done >= 3 and checkpoints.failures == 0
    assert checkpoints.wait_for(done + 1, timeout=0.2) is False  # stopped with the database


def test_a_failing_checkpoint_is_counted_and_the_next_one_still_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    checkpoints = WalCheckpointer(tmp_path, 0.01)  # a folder: SQLite cannot open it
    checkpoints.start()
    try:
        assert checkpoints.wait_for(2, timeout=30)
    finally:
        checkpoints.close()
    assert checkpoints.failures >= 2 and checkpoints.done == 0
    assert checkpoints.checkpoint() is None
    assert "WAL checkpoint failed" in caplog.text and str(tmp_path) not in caplog.text


def test_only_an_sqlite_file_gets_a_checkpoint_thread(url: str) -> None:
    memory = Database("sqlite://", checkpoint_s=1)
    other = Database(url, checkpoint_s=1)
    try:
        assert memory.checkpoints is None
        assert (other.checkpoints is None) == (not url.startswith("sqlite"))
    finally:
        memory.dispose()
        other.dispose()
