"""actions.dedup_key: an action fires once per key too, so an edited policy file (new action ids) fires
nothing again; the open tickets holding actions are due at once, so that the first sweep keys their rows

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OPEN = ("new", "open", "pending", "on_hold")  # core.enums.OPEN_STATUSES when this was written


def upgrade() -> None:
    op.add_column("actions", sa.Column("dedup_key", sa.String(length=64), nullable=True))
    op.create_index("ix_actions_dedup_key", "actions", ["dedup_key"], unique=True)
    # A row fired before this has no key: the next assessment of its ticket, under the same policy file,
    # finds it by its id and gives it the key. Due now, the sweeper does that at its first pass.
    tickets = sa.table("tickets", sa.column("ticket_id"), sa.column("status"),
                       sa.column("next_due_at", sa.DateTime(timezone=True)))
    actions = sa.table("actions", sa.column("ticket_id"))
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":  # the store keeps UTC without an offset there (UtcDateTime)
        now = now.replace(tzinfo=None)
    op.execute(
        tickets.update()
        .where(tickets.c.status.in_(OPEN), tickets.c.ticket_id.in_(sa.select(actions.c.ticket_id)),
               sa.or_(tickets.c.next_due_at.is_(None), tickets.c.next_due_at > now))
        .values(next_due_at=now)
    )


def downgrade() -> None:
    op.drop_index("ix_actions_dedup_key", table_name="actions")
    op.drop_column("actions", "dedup_key")
