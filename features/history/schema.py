"""The columns of the tickets and events files, as the validator sees them (docs: data/README.md).

Derived from core.enums and core.tickets so that the file format and the pydantic models cannot
drift apart: allowed values come from the enums, per-type rules from REQUIRED_EVENT_FIELDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, get_args

from core.bounds import VALUE_MAX, Body, Bound, Id, Key, Name, Note, OptionalName, Subject
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
    # id and text columns: the bound of the pydantic field (core.bounds), so that a history that loads can be
    # built into Ticket and Event (training, replay) and sent to the API
    bound: Bound | None = None


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _bound(alias: Any) -> Bound:
    return next(meta for meta in get_args(alias)[1:] if isinstance(meta, Bound))


TICKET_COLUMNS: tuple[Column, ...] = (
    Column("ticket_id", "id", True, "unique id of the ticket", bound=_bound(Id)),
    Column("created_at", "timestamp", True, "when the ticket was created"),
    Column("channel", "enum", True, "where the customer wrote", _values(Channel)),
    Column("priority", "enum", True, "priority at creation", _values(Priority)),
    Column("customer_id", "text", True, "who asked", bound=_bound(Key)),
    Column("customer_tier", "text", True, "customer segment, e.g. standard, gold, enterprise",
           bound=_bound(Name)),
    Column("customer_value", "number", False, "e.g. annual contract value", low=0, high=VALUE_MAX),
    Column("product", "text", True, "product the ticket is about", bound=_bound(Name)),
    Column("category", "text", True, "topic, e.g. billing, outage, refund", bound=_bound(Name)),
    Column("team", "text", True, "team the ticket was first assigned to", bound=_bound(Name)),
    Column("language", "language", True, "ISO 639 code of the customer's language: en, de, no …"),
    Column("subject", "text", False, "subject line (empty if none)", bound=_bound(Subject)),
    Column("assignee", "text", False, "agent assigned at creation", bound=_bound(OptionalName)),
)

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "id", True, "unique id of the event", bound=_bound(Key)),
    Column("ticket_id", "id", True, "the ticket it belongs to"),  # must be a ticket's: checked there
    Column("at", "timestamp", True, "when it happened"),
    Column("type", "enum", True, "what happened", _values(EventType)),
    Column("author_role", "enum", True, "who did it", _values(AuthorRole)),
    Column("author_id", "text", False, "which agent, customer or bot", bound=_bound(OptionalName)),
    Column("body", "text", False, "message or note text", bound=_bound(Body)),
    Column("status", "enum", False, "status_change: the new status", _values(TicketStatus),
           used_by=(EventType.STATUS_CHANGE,)),
    Column("priority", "enum", False, "priority_change: the new priority", _values(Priority),
           used_by=(EventType.PRIORITY_CHANGE,)),
    Column("assignee", "text", False, "reassignment: the new agent", bound=_bound(OptionalName)),
    Column("team", "text", False, "reassignment / escalation: the new team",
           bound=_bound(OptionalName)),
    Column("level", "integer", False, "escalation: 1 (first) … 4", low=1, high=MAX_ESCALATION_LEVEL,
           used_by=(EventType.ESCALATION,)),
    Column("escalation_type", "enum", False, "escalation: kind of escalation", _values(EscalationType),
           used_by=(EventType.ESCALATION,)),
    Column("reason", "text", False, "escalation, reassignment, status change: why", bound=_bound(Note)),
    Column("csat", "integer", False, "csat_rating: 1 (very unhappy) … 5", low=CSAT_RANGE[0],
           high=CSAT_RANGE[1], used_by=(EventType.CSAT_RATING,)),
)

COLUMNS: dict[FileKind, tuple[Column, ...]] = {"tickets": TICKET_COLUMNS, "events": EVENT_COLUMNS}


def column_names(kind: FileKind) -> tuple[str, ...]:
    return tuple(column.name for column in COLUMNS[kind])


def find_column(kind: FileKind, name: str) -> Column | None:
    return next((column for column in COLUMNS[kind] if column.name == name), None)
