"""Store tests: a migrated store on each database of the `url` fixture (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from serving.store import Database, Store, migrate


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    migrate(url)
    database = Database(url)
    yield Store(database)
    database.dispose()
