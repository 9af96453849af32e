"""dashboard sessions kept in the store (logout and key removal end them on every process) and failed logins
per client (the login throttle)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_sessions",
        sa.Column("id_sha256", sa.String(length=64), nullable=False),
        sa.Column("key_name", sa.String(length=200), nullable=False),
        sa.Column("key_binding", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id_sha256"),
    )
    op.create_index("ix_dashboard_sessions_key_name", "dashboard_sessions", ["key_name"], unique=False)
    op.create_index("ix_dashboard_sessions_expires_at", "dashboard_sessions", ["expires_at"], unique=False)
    op.create_table(
        "failed_logins",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_failed_logins_at", "failed_logins", ["at"], unique=False)
    op.create_index("ix_failed_logins_client_at", "failed_logins", ["client", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_failed_logins_client_at", table_name="failed_logins")
    op.drop_index("ix_failed_logins_at", table_name="failed_logins")
    op.drop_table("failed_logins")
    op.drop_index("ix_dashboard_sessions_expires_at", table_name="dashboard_sessions")
    op.drop_index("ix_dashboard_sessions_key_name", table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")
