"""tickets.team indexed: the KPI page offers every team with tickets, read from the index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_team", "tickets", ["team"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tickets_team", table_name="tickets")
