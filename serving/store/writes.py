"""`INSERT … ON CONFLICT DO NOTHING … RETURNING` for SQLite and PostgreSQL alike: concurrent writers of the
same event id, action id or alert key race on the unique constraint, and exactly one row wins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, bindparam, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_new(session: Session, table: Any, rows: Sequence[dict[str, Any]], key: Any) -> set[Any]:
    """Insert the rows whose unique `key` is not taken yet; returns the keys this call inserted. `table`: a
    mapped class's `__table__`; `key`: its unique column (typed Any: mapped attributes and Columns alike).
    The rows go as parameters of one statement per (dialect, table, key, columns), not as literal VALUES:
    SQLAlchemy compiles it once and reuses it (a VALUES-list statement was compiled on every call, about
    0.4 ms each, several a request); `insertmanyvalues` still sends a batch as one INSERT … RETURNING."""
    return set(inserted(session, table, rows, key))


def inserted(
    session: Session, table: Any, rows: Sequence[dict[str, Any]], key: Any, value: Any = None
) -> dict[Any, Any]:
    """`insert_new`, answering each inserted key with its row's `value` column (e.g. the number the database
    gave the row), or None without one. Same statement, same single round trip."""
    if not rows:
        return {}
    also = () if value is None else (value,)
    statement = _statement(session.get_bind().dialect.name, table, key, *also)
    connection = session.connection()  # a Core statement on a table: the ORM's execution layer adds nothing
    params = dict(rows[0]) if len(rows) == 1 else [dict(r) for r in rows]
    return {row[0]: row[1] if also else None for row in connection.execute(statement, params)}


_STATEMENTS: dict[tuple[str, ...], Insert] = {}


def _statement(dialect: str, table: Any, key: Any, *also: Any) -> Insert:
    # keyed by names: SQLAlchemy columns overload `==`, so they make poor dictionary keys themselves
    name = (dialect, str(table.name), str(key.key), *(str(c.key) for c in also))
    found = _STATEMENTS.get(name)
    if found is None:
        module = postgresql if dialect == "postgresql" else sqlite
        found = _STATEMENTS[name] = module.insert(table).on_conflict_do_nothing().returning(key, *also)
    return found


_COOLING_INSERTS: dict[str, Insert] = {}


def insert_unless_cooling(session: Session, table: Any, row: dict[str, Any], key: Any) -> bool:
    """Insert the alert `row` unless its key is taken or an alert of the ticket with the same kind and band
    is cooling down at `raised_at`: the cool-down check and the insert are one statement (`INSERT … SELECT
    … WHERE NOT EXISTS`), in the caller's transaction as the separate check was. `table`: the alerts table."""
    dialect = session.get_bind().dialect.name
    statement = _COOLING_INSERTS.get(dialect)
    if statement is None:
        c = table.c
        names = list(row)
        cooling = exists().where(
            c.ticket_id == bindparam("ticket_id"), c.kind == bindparam("kind"),
            c.cooldown_until > bindparam("raised_at"), c.band == bindparam("band"),
        )
        values = select(*(bindparam(n, type_=c[n].type) for n in names)).where(~cooling)
        module = postgresql if dialect == "postgresql" else sqlite
        statement = module.insert(table).from_select(names, values).on_conflict_do_nothing().returning(key)
        _COOLING_INSERTS[dialect] = statement
    return session.connection().execute(statement, row).first() is not None
