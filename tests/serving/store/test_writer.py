"""SQLite writers take turns: the turn is taken at a connection's first write (reads never wait for it),
given back at commit or rollback, and held against the server's other processes (a file lock)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from serving.store.database import Database

TRY_LOCK = (
    "import fcntl, os, sys\n"
    "fd = os.open(sys.argv[1], os.O_RDWR)\n"
    "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n    sys.exit(3)\n"
)


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'w.db'}")
    with db.session() as s:
        s.execute(text("CREATE TABLE t (n INTEGER)"))
    return db


def _other_process_can_lock(lock: Path) -> bool:
    done = subprocess.run([sys.executable, "-c", TRY_LOCK, str(lock)], check=False)
    return done.returncode == 0


def test_a_write_holds_the_turn_until_commit_across_processes(database: Database, tmp_path: Path) -> None:
    lock = tmp_path / "w.db-writer.lock"
    with database.session() as s:
        s.execute(text("SELECT count(*) FROM t"))
        assert not lock.exists() or _other_process_can_lock(lock)  # a read takes no turn
        s.execute(text("INSERT INTO t VALUES (1)"))
        assert not _other_process_can_lock(lock)
    assert _other_process_can_lock(lock)


def test_a_rolled_back_write_gives_the_turn_back(database: Database, tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), database.session() as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
        1 / 0  # noqa: B018 - the request fails inside its transaction
    assert _other_process_can_lock(tmp_path / "w.db-writer.lock")
    with database.session() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar_one() == 0


def test_reads_go_on_while_a_write_holds_the_turn(database: Database) -> None:
    read: list[int] = []
    with database.session() as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
        def count() -> None:
            with database.engine.connect() as connection:
                read.append(connection.execute(text("SELECT count(*) FROM t")).scalar_one())

        reader = threading.Thread(target=count)
        reader.start()
        reader.join()  # would wait for the commit below (never come) if reads queued for the turn
    assert read == [0]


def test_concurrent_writers_all_commit(database: Database) -> None:
    def write(n: int) -> None:
        for i in range(20):
            with database.session() as s:
                s.execute(text("INSERT INTO t VALUES (:n)"), {"n": n * 100 + i})
    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.session() as s:
        assert s.execute(text("SELECT count(DISTINCT n) FROM t")).scalar_one() == 160


def test_two_databases_on_one_file_share_the_queue(database: Database, tmp_path: Path) -> None:
    from serving.store.writer import writer_queue

    assert writer_queue(tmp_path / "w.db") is writer_queue(tmp_path / "." / "w.db")
    other = Database(f"sqlite:///{tmp_path / 'w.db'}")
    done: list[int] = []
    with database.session() as s:
        s.execute(text("INSERT INTO t VALUES (1)"))
        writer = threading.Thread(target=lambda: _write(other, done))
        writer.start()  # queues behind this write and commits after it
    writer.join()
    assert done == [2]
    other.dispose()


def _write(db: Database, done: list[int]) -> None:
    with db.session() as s:
        s.execute(text("INSERT INTO t VALUES (2)"))
    done.append(2)


def test_begin_immediate_takes_the_turn(database: Database, tmp_path: Path) -> None:
    # the store's locked ingest takes SQLite's write lock before its first read: it must hold the turn too
    lock = tmp_path / "w.db-writer.lock"
    with database.session() as s:
        s.connection().exec_driver_sql("BEGIN IMMEDIATE")
        assert not _other_process_can_lock(lock)
        assert s.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
        s.execute(text("INSERT INTO t VALUES (1)"))
    assert _other_process_can_lock(lock)
    with database.session() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar_one() == 1
