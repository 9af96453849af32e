"""Domain values <-> the JSON stored in the tables."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from core.tickets import Event, Ticket


def event_payload(event: Event) -> dict[str, Any]:
    """The event's content as compared for idempotency: the same instant in another offset is the same."""
    payload = event.model_dump(mode="json", exclude_none=True)
    payload["at"] = event.at.astimezone(UTC).isoformat()
    return payload


def ticket_fields(ticket: Ticket) -> dict[str, Any]:
    fields = ticket.model_dump(mode="json", exclude_none=True)
    fields["created_at"] = ticket.created_at.astimezone(UTC).isoformat()
    return fields
