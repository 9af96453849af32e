"""kept analyses: /v1/score's message analyses for every server process, keyed by a digest, without text

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_analyses",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_index("ix_kept_analyses_kept_at", "kept_analyses", ["kept_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_kept_analyses_kept_at", table_name="kept_analyses")
    op.drop_table("kept_analyses")
