"""The ticket store: its database URL, checked, and its PostgreSQL connections."""

from __future__ import annotations

from pydantic import Field
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from core.settings.section import Section


class StoreSettings(Section):
    """PostgreSQL connections (a SQLite file has no network). A connect that gets no answer gives up after
    `connect_timeout_s`. A connection whose network went silent without a reset (a firewall's or NAT's idle
    timeout, a failover, a partition) is probed after `keepalives_idle_s` without traffic, every
    `keepalives_interval_s`, and given up on after `keepalives_count` unanswered probes — and data sent and
    not acknowledged for as long (idle + interval × count) ends it too — instead of the OS default (Linux:
    the first probe after two hours): the request waiting on it gets its 503, and the pool opens a new one.
    Options the database URL names itself (`?keepalives_idle=…`) are the URL's.

    A transaction left idle past `idle_in_transaction_s` (its process paused, or cut off by a network that
    sent no reset) is ended by the server, and the locks it held go (0: never).

    Each process keeps a pool of `pool_size` connections, and opens up to `max_overflow` more while they are
    all taken; a process uses at most its request threads (server.threads) and its background loops at once.
    `escalation serve` starts by default only as many workers as the database allows, and refuses a number
    asked for whose workers could open more (serving/cli.py `server_workers`)."""

    connect_timeout_s: int = Field(default=10, ge=1, le=300)
    keepalives_idle_s: int = Field(default=30, ge=1, le=7200)
    keepalives_interval_s: int = Field(default=10, ge=1, le=600)
    keepalives_count: int = Field(default=3, ge=1, le=100)
    idle_in_transaction_s: int = Field(default=60, ge=0, le=86400)
    pool_size: int = Field(default=10, ge=1, le=1000)
    max_overflow: int = Field(default=10, ge=0, le=1000)
STORE_URL_FORMS = "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"


def checked_store_url(value: str) -> str:
    """A database URL the store can open: SQLite, or PostgreSQL through psycopg (the driver installed). The
    messages never repeat the URL: it may hold a password."""
    if not value.strip():
        raise ValueError(f"the URL is empty; give {STORE_URL_FORMS}")
    try:
        url = make_url(value)
    except (ArgumentError, ValueError) as exc:
        port = " (the port is not a number)" if isinstance(exc, ValueError) else ""
        raise ValueError(f"the URL cannot be read as a database URL{port}; give {STORE_URL_FORMS}") from None
    backend = url.get_backend_name()
    if backend == "postgres":  # the spelling some hosts print, which SQLAlchemy does not read
        raise ValueError(f"the URL begins 'postgres://'; write postgresql+psycopg:// ({STORE_URL_FORMS})")
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"the URL names the database {backend!r}; supported: {STORE_URL_FORMS}")
    try:
        driver = url.get_driver_name()  # loads the dialect: an unknown driver is no known plugin
    except NoSuchModuleError:
        driver = url.drivername.partition("+")[2]
    if backend == "sqlite" and driver != "pysqlite":
        raise ValueError(f"the URL names the driver {driver!r}; SQLite is reached through Python's own "
                         f"sqlite3: {STORE_URL_FORMS}")
    if backend == "postgresql" and driver != "psycopg":
        raise ValueError(f"the URL names the driver {driver!r}; PostgreSQL is reached through psycopg: "
                         f"{STORE_URL_FORMS}")
    if url.port is not None and not 1 <= url.port <= 65535:
        raise ValueError(f"the URL has the port {url.port}; a port is 1 to 65535")
    if backend == "postgresql" and not url.database:
        raise ValueError(f"the URL names no database; give {STORE_URL_FORMS}")
    return value
