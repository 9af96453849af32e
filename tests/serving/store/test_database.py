"""Engines made by the store hide SQL parameters: a database error names the statement, not the values (which
hold message bodies and customer data)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from serving.store import Database


def test_database_errors_do_not_carry_parameters(url: str) -> None:
    database = Database(url)
    try:
        with pytest.raises(DBAPIError) as raised, database.engine.connect() as c:
            c.execute(text("INSERT INTO no_such_table (body) VALUES (:body)"), {"body": "Zebrafish 0199"})
    finally:
        database.dispose()
    assert "no_such_table" in str(raised.value) and "Zebrafish" not in str(raised.value)
