"""daily alert budget per team: alerts know their team, budget day and status; one lock/counter row per team
and day

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("budget_day", sa.String(length=10), nullable=True))
        # alerts raised before the budget existed were all delivered: `raised`
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="raised")
        )
        batch_op.add_column(sa.Column("suppressed_reason", sa.Text(), nullable=True))
        batch_op.create_index("ix_alerts_team_budget_day", ["team", "budget_day"], unique=False)
    op.create_table(
        "alert_budgets",
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("admitted", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team", "day"),
    )


def downgrade() -> None:
    op.drop_table("alert_budgets")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_team_budget_day")
        batch_op.drop_column("suppressed_reason")
        batch_op.drop_column("status")
        batch_op.drop_column("budget_day")
        batch_op.drop_column("team")
