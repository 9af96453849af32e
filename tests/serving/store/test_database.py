"""Engines made by the store hide SQL parameters: a database error names the statement, not the values (which
hold message bodies and customer data). A SQLite file is put in WAL mode when its engine is made, so that no
connection switches it as it opens: a switch read the file and then wrote it, and SQLite answered such a
connection "database is locked" at once, past its busy timeout, while another wrote (the switch of another
engine or worker process opening the same new file)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from serving.store import Database, migrate


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
