"""root causes: a manager records one for each escalated ticket (append-only; the latest counts); tickets
keep their escalation level and soonest SLA due instant, so the early-warning list filters and sorts in the
query (filled from each open ticket's latest assessment here)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN = ("new", "open", "pending", "on_hold")


def upgrade() -> None:
    op.create_table(
        "root_causes",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("ticket_id", sa.String(length=200), sa.ForeignKey("tickets.ticket_id"), nullable=False),
        sa.Column("cause", sa.String(length=60), nullable=False),
        sa.Column("owning_team", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_root_causes_ticket_id", "root_causes", ["ticket_id"], unique=False)
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalation_level", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("sla_due_at", sa.DateTime(timezone=True), nullable=True))
    _fill_board_columns()


def _fill_board_columns() -> None:
    bind = op.get_bind()
    tickets = sa.table(
        "tickets",
        sa.column("ticket_id", sa.String),
        sa.column("status", sa.String),
        sa.column("last_assessment_id", sa.BigInteger),
        sa.column("escalation_level", sa.Integer),
        sa.column("sla_due_at", sa.DateTime(timezone=True)),
    )
    assessments = sa.table("assessments", sa.column("id", sa.BigInteger), sa.column("body", sa.JSON))
    rows = bind.execute(
        sa.select(tickets.c.ticket_id, assessments.c.body)
        .join(assessments, assessments.c.id == tickets.c.last_assessment_id)
        .where(tickets.c.status.in_(OPEN))
    ).all()
    sqlite = bind.dialect.name == "sqlite"
    for ticket_id, body in rows:
        sla = body["sla"]
        due = [t["due_at"] for t in sla["targets"] if t["due_at"] and t["state"] in ("running", "breached")]
        soonest = min((datetime.fromisoformat(d).astimezone(UTC) for d in due), default=None)
        if soonest is not None and sqlite:
            soonest = soonest.replace(tzinfo=None)  # the store keeps naive UTC on SQLite (tables.UtcDateTime)
        bind.execute(
            sa.update(tickets)
            .where(tickets.c.ticket_id == ticket_id)
            .values(escalation_level=sla["escalation_level"] or 0, sla_due_at=soonest)
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("sla_due_at")
        batch_op.drop_column("escalation_level")
    op.drop_index("ix_root_causes_ticket_id", table_name="root_causes")
    op.drop_table("root_causes")
