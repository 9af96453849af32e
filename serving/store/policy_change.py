"""`due_under_new_policy_file`: at start-up, the open tickets last assessed under another policy file are due
at once, so the sweeper's next pass assesses them under the file now run (docs/sla-semantics.md, "Ids")."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, or_, text, update

from serving.store.database import Database
from serving.store.statements import OPEN_STATUSES
from serving.store.tables import TicketRow

# PostgreSQL advisory lock of this update's transaction: the first 8 bytes of sha256("escalation store policy
# file"), a fixed number no other lock of the database uses. Processes starting together update one after
# the other: two updates of the same rows visited in another order (a synchronised scan) could deadlock.
POLICY_FILE_LOCK = -3636177852194648910

_T = TicketRow.__table__.c
_NOW = bindparam("now", type_=_T.next_due_at.type)
# A ticket's `policy_version` is the policy file's version its latest assessment ran; '' never assessed.
# Already due: left as it is, so the update is the same whichever process runs it first.
DUE_UNDER_NEW_FILE = (
    update(cast(Table, TicketRow.__table__))
    .where(
        _T.status.in_(OPEN_STATUSES),
        _T.policy_version != "",
        _T.policy_version != bindparam("version"),
        or_(_T.next_due_at.is_(None), _T.next_due_at > _NOW),
    )
    .values(next_due_at=_NOW)
)


def due_under_new_policy_file(db: Database, version: str, now: datetime) -> int:
    """Make the open tickets whose latest assessment ran another policy file than `version` due at `now`
    (their stored next due instant is the old file's, possibly days away); answer how many. Once assessed
    under `version` they are left alone, so a restart with the same file changes nothing. Each process may
    run it: the second finds the tickets due already."""
    with db.session() as s:
        connection = s.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POLICY_FILE_LOCK})
        return connection.execute(DUE_UNDER_NEW_FILE, {"version": version, "now": now}).rowcount
