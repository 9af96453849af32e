"""Dashboard sessions and failed logins in the store, so that every server process and instance sees the same:
a logout on one ends the session on all, and failed logins count together. The caller hashes the session id
and decides; these are the reads and writes (serving.dashboard.session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from serving.store.database import Database
from serving.store.tables import DashboardSessionRow, FailedLoginRow


@dataclass(frozen=True, slots=True)
class StoredSession:
    key_name: str
    key_binding: str
    expires_at: datetime


class SessionRows:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self, id_sha256: str, key_name: str, key_binding: str, now: datetime, expires_at: datetime
    ) -> None:
        """Store a new session; sessions that have expired by `now` are deleted on the way."""
        with self.db.session() as s:
            s.execute(delete(DashboardSessionRow).where(DashboardSessionRow.expires_at <= now))
            s.execute(insert(DashboardSessionRow).values(
                id_sha256=id_sha256, key_name=key_name, key_binding=key_binding, created_at=now,
                expires_at=expires_at,
            ))

    def find(self, id_sha256: str, now: datetime) -> StoredSession | None:
        """The session with this id hash unless it has expired by `now` (or was never there)."""
        with self.db.session() as s:
            t = DashboardSessionRow
            row = s.execute(
                select(t.key_name, t.key_binding, t.expires_at)
                .where(t.id_sha256 == id_sha256, t.expires_at > now)
            ).one_or_none()
        return StoredSession(row.key_name, row.key_binding, row.expires_at) if row is not None else None

    def revoke(self, id_sha256: str) -> bool:
        """End the session; False when there was none."""
        with self.db.session() as s:
            # on the connection: a Core DELETE there is typed as the cursor result it is (with rowcount)
            gone = s.connection().execute(
                delete(DashboardSessionRow).where(DashboardSessionRow.id_sha256 == id_sha256)
            )
        return bool(gone.rowcount)

    def recent_failures(self, client: str, since: datetime, limit: int) -> list[datetime]:
        """This client's failed logins after `since`, newest first, at most `limit`."""
        with self.db.session() as s:
            found = s.execute(
                select(FailedLoginRow.at)
                .where(FailedLoginRow.client == client, FailedLoginRow.at > since)
                .order_by(FailedLoginRow.at.desc())
                .limit(limit)
            ).scalars()
            return list(found)

    def add_failure(self, client: str, at: datetime, forget_before: datetime) -> None:
        """Record a failed login; anyone's failures at or before `forget_before` count no more: deleted."""
        with self.db.session() as s:
            s.execute(delete(FailedLoginRow).where(FailedLoginRow.at <= forget_before))
            s.execute(insert(FailedLoginRow).values(client=client, at=at))

    def count_sessions(self) -> int:
        with self.db.session() as s:
            return int(s.execute(select(func.count()).select_from(DashboardSessionRow)).scalar_one())
