"""Domain values <-> the JSON stored in the tables: the same records a history file holds
(`features.history.writer`), so an event stored and an event exported are one rendering. An event's record
is also its content as compared for idempotency: the same instant in another offset is the same."""

from __future__ import annotations

from features.history.writer import event_record as event_payload
from features.history.writer import ticket_record as ticket_fields

__all__ = ["event_payload", "ticket_fields"]
