"""The columns of the tickets and events files, as the validator sees them (docs: data/README.md).

Derived from core.enums and core.tickets so that the file format and the pydantic models cannot
drift apart: allowed values come from the enums, per-type rules from REQUIRED_EVENT_FIELDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from core.enums import (
    CSAT_RANGE,
    MAX_ESCALATION_LEVEL,
    AuthorRole,
    Channel,
    EscalationType,
    EventType,
    Priority,
    TicketStatus,
)

Kind = Literal["id", "text", "timestamp", "enum", "language", "number", "integer"]
FileKind = Literal["tickets", "events"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    required: bool
    meaning: str
    allowed: tuple[str, ...] = ()  # enum columns: the closed vocabulary
    low: float | None = None  # numeric columns: inclusive bounds
    high: float | None = None
    # event columns that only some types carry: read (and checked) on the rows of these types only
    used_by: tuple[EventType, ...] = ()


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


TICKET_COLUMNS: tuple[Column, ...] = (
    Column("ticket_id", "id", True, "unique id of the ticket"),
    Column("created_at", "timestamp", True, "when the ticket was created"),
    Column("channel", "enum", True, "where the customer wrote", _values(Channel)),
    Column("priority", "enum", True, "priority at creation", _values(Priority)),
    Column("customer_id", "text", True, "who asked"),
    Column("customer_tier", "text", True, "customer segment, e.g. standard, gold, enterprise"),
    Column("customer_value", "number", False, "e.g. annual contract value", low=0),
    Column("product", "text", True, "product the ticket is about"),
    Column("category", "text", True, "topic, e.g. billing, outage, refund"),
    Column("team", "text", True, "team the ticket was first assigned to"),
    Column("language", "language", True, "ISO 639 code of the customer's language: en, de, no …"),
    Column("subject", "text", False, "subject line (empty if none)"),
    Column("assignee", "text", False, "agent assigned at creation"),
)

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "id", True, "unique id of the event"),
    Column("ticket_id", "id", True, "the ticket it belongs to"),
    Column("at", "timestamp", True, "when it happened"),
    Column("type", "enum", True, "what happened", _values(EventType)),
    Column("author_role", "enum", True, "who did it", _values(AuthorRole)),
    Column("author_id", "text", False, "which agent, customer or bot"),
    Column("body", "text", False, "message or note text"),
    Column("status", "enum", False, "status_change: the new status", _values(TicketStatus),
           used_by=(EventType.STATUS_CHANGE,)),
    Column("priority", "enum", False, "priority_change: the new priority", _values(Priority),
           used_by=(EventType.PRIORITY_CHANGE,)),
    Column("assignee", "text", False, "reassignment: the new agent"),
    Column("team", "text", False, "reassignment / escalation: the new team"),
    Column("level", "integer", False, "escalation: 1 (first) … 4", low=1, high=MAX_ESCALATION_LEVEL,
           used_by=(EventType.ESCALATION,)),
    Column("escalation_type", "enum", False, "escalation: kind of escalation", _values(EscalationType),
           used_by=(EventType.ESCALATION,)),
    Column("reason", "text", False, "escalation, reassignment, status change: why"),
    Column("csat", "integer", False, "csat_rating: 1 (very unhappy) … 5", low=CSAT_RANGE[0],
           high=CSAT_RANGE[1], used_by=(EventType.CSAT_RATING,)),
)

COLUMNS: dict[FileKind, tuple[Column, ...]] = {"tickets": TICKET_COLUMNS, "events": EVENT_COLUMNS}


def column_names(kind: FileKind) -> tuple[str, ...]:
    return tuple(column.name for column in COLUMNS[kind])


def find_column(kind: FileKind, name: str) -> Column | None:
    return next((column for column in COLUMNS[kind] if column.name == name), None)
