"""snooze history: every snooze of a ticket's warning with who set it until when, and when, by whom and why
it ended (time passed, a new breach, a higher level or band, un-snoozed, replaced by another snooze)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snooze_history",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("ticket_id", sa.String(length=200), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.ticket_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_snooze_history_ticket_id", "snooze_history", ["ticket_id"], unique=False)
    # a snooze already in force keeps its place in the history
    op.execute(
        "INSERT INTO snooze_history (ticket_id, who, at, until) SELECT ticket_id, who, at, until FROM snoozes"
    )


def downgrade() -> None:
    op.drop_index("ix_snooze_history_ticket_id", table_name="snooze_history")
    op.drop_table("snooze_history")
