"""Domain values <-> the JSON stored in the tables: the same records a history file holds
(`features.history.writer`), so an event stored and an event exported are one rendering. An event's record
is also its content as compared for idempotency: the same instant in another offset is the same."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.tickets import Event
from features.history.writer import event_record as event_payload
from features.history.writer import ticket_record as ticket_fields
from serving.errors import ConflictError

__all__ = ["distinct_events", "event_payload", "request_payloads", "ticket_fields"]


def request_payloads(events: Sequence[Event]) -> dict[str, dict[str, Any]]:
    """Each event id of a request with its stored payload, in order; one id with two contents is a 409."""
    payloads: dict[str, dict[str, Any]] = {}
    for e in events:
        payload = event_payload(e)
        if payloads.setdefault(e.event_id, payload) != payload:
            raise ConflictError(
                f"event id {e.event_id!r} appears twice in this request with different content"
            )
    return payloads


def distinct_events(events: Sequence[Event]) -> list[Event]:
    """A request's events as the store keeps them: an event sent twice once (the first), in order; one id
    with two contents is a 409 (request_payloads)."""
    request_payloads(events)
    first: dict[str, Event] = {}
    for e in events:
        first.setdefault(e.event_id, e)
    return list(first.values())
