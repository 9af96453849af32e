"""The ticket store: SQLAlchemy tables, Alembic migrations (run at start-up), and the queries serving needs.
SQLite embedded by default, PostgreSQL by URL (settings.database_url)."""

from serving.store.budget import AlertBudget
from serving.store.database import Database, migrate
from serving.store.listed import ListedPage, ListedTicket
from serving.store.records import StoredAlert, StoredAssessment
from serving.store.repository import (
    AlertCandidate,
    AppendResult,
    OpenTicketsQuery,
    Recorded,
    Recording,
    Sort,
    StaleView,
    Store,
    StoredTicket,
)
from serving.store.snoozes import Snooze

__all__ = [
    "AlertBudget",
    "AlertCandidate",
    "AppendResult",
    "Database",
    "ListedPage",
    "ListedTicket",
    "OpenTicketsQuery",
    "Recorded",
    "Recording",
    "Snooze",
    "Sort",
    "StaleView",
    "Store",
    "StoredAlert",
    "StoredAssessment",
    "StoredTicket",
    "migrate",
]
