"""events indexed by (ticket_id, at, seq): a page of a ticket's events, the latest first (GET
/v1/tickets/{id}, the ticket page), and the status change before it are read by walking the index from the
latest, where the database sorted all of the ticket's events to pick a page

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_ticket_at_seq", "events", ["ticket_id", "at", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_ticket_at_seq", table_name="events")
