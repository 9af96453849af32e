"""`INSERT … ON CONFLICT DO NOTHING … RETURNING` for SQLite and PostgreSQL alike: concurrent writers of the
same event id, action id or alert key race on the unique constraint, and exactly one row wins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_new(session: Session, table: Any, rows: Sequence[dict[str, Any]], key: Any) -> set[Any]:
    """Insert the rows whose unique `key` is not taken yet; returns the keys this call inserted. `table`: a
    mapped class's `__table__`; `key`: its unique column (typed Any: mapped attributes and Columns alike)."""
    if not rows:
        return set()
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = module.insert(table).values(list(rows)).on_conflict_do_nothing().returning(key)
    return set(session.execute(statement).scalars())
