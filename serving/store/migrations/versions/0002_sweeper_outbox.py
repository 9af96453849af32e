"""sweeper and outbox: the earliest due time among open tickets by index, due deliveries by index,
per-sink delivery progress

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The same predicates as the sweeper's and the worker's queries, so both planners use the partial indexes.
OPEN = sa.text("status IN ('new', 'open', 'pending', 'on_hold')")
UNSETTLED = sa.text("status IN ('pending', 'sending')")


def upgrade() -> None:
    op.create_index(
        "ix_tickets_open_next_due", "tickets", ["next_due_at"], postgresql_where=OPEN, sqlite_where=OPEN
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sinks", sa.JSON(), nullable=True))
    op.create_index(
        "ix_deliveries_unsettled_due",
        "deliveries",
        ["next_attempt_at"],
        postgresql_where=UNSETTLED,
        sqlite_where=UNSETTLED,
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_unsettled_due", table_name="deliveries")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("sinks")
    op.drop_index("ix_tickets_open_next_due", table_name="tickets")
