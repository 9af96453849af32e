"""How many connections PostgreSQL lets this store's user open to its database: what `escalation serve`
holds its workers' pools against at start-up (serving/cli.py `server_workers`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from core.settings import StoreSettings
from serving.store.database import STORE_ERRORS, connect_args, store_down, unavailable

# reserved_connections is PostgreSQL 16's (NULL before); a superuser may use the reserved connections too
LIMITS = text(
    "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int, "
    "coalesce(current_setting('reserved_connections', true), '0')::int, r.rolsuper, r.rolconnlimit, "
    "d.datconnlimit FROM pg_roles r, pg_database d WHERE r.rolname = current_user "
    "AND d.datname = current_database()"
)


@dataclass(frozen=True, slots=True)
class ConnectionLimit:
    """The most connections this URL's user may open to its database, and which bound sets it, in words."""

    most: int
    why: str


def connection_limit(url: str, store: StoreSettings | None = None) -> ConnectionLimit | None:
    """The tightest of PostgreSQL's bounds on this user's connections to this database: the server's
    max_connections less those reserved, the database's and the role's CONNECTION LIMIT (a superuser is bound
    by max_connections alone). None for SQLite (a file: no connections to count). One connection, closed at
    once; a server that does not answer raises StoreUnavailableError."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True,
                           connect_args=connect_args(url, store))
    try:
        with engine.connect() as c:
            most, reserved, reserved_16, superuser, role_limit, database_limit = c.execute(LIMITS).one()
    except STORE_ERRORS as exc:
        if not store_down(exc):
            raise
        raise unavailable(url, exc) from None
    finally:
        engine.dispose()
    if superuser:
        return ConnectionLimit(most, f"the server allows (max_connections {most})")
    held = reserved + reserved_16
    found = [ConnectionLimit(most - held, f"the server allows (max_connections {most} less {held} reserved)")]
    if database_limit >= 0:
        found.append(ConnectionLimit(database_limit, f"the database {parsed.database} allows (its CONNECTION "
                                                     "LIMIT)"))
    if role_limit >= 0:
        found.append(ConnectionLimit(role_limit, f"the role {parsed.username} may open (its CONNECTION "
                                                 "LIMIT)"))
    return min(found, key=lambda limit: limit.most)
