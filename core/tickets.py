"""Ticket and Event: the ticket-history contract every part of the project uses (data/README.md)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from core.bounds import Body, Id, Key, Money, Name, Note, OptionalName, Subject, extras_problem, is_stored
from core.enums import (
    MAX_ESCALATION_LEVEL,
    ONE_OF_EVENT_FIELDS,
    REQUIRED_EVENT_FIELDS,
    AuthorRole,
    Channel,
    EscalationType,
    EventType,
    Priority,
    TicketStatus,
)

# The instants a ticket or event may carry: business calendars, SLA clocks and the store are made for
# these, and a year-1 or year-9999 date only ever comes from a bug or a probe (it made a request take a
# minute and grow a worker by hundreds of MB while the calendar counted the days back).
EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2100, 1, 1, tzinfo=UTC)


def in_range(value: datetime) -> datetime:
    """`value` when it lies in 1970-2099; else a ValueError saying the range (command options read it too)."""
    if not EARLIEST_INSTANT <= value < LATEST_INSTANT:
        raise ValueError(
            f"{value.isoformat()} is out of range; instants must lie between 1970-01-01T00:00:00Z and "
            "2099-12-31T23:59:59Z"
        )
    return value


Instant = Annotated[AwareDatetime, AfterValidator(in_range)]

# Sets of given field names shared between models (`_Bounded._shared_fields_set`); extra columns make a set
# of their own, so the table is capped: sets seen after that are kept per instance, as pydantic does.
_FIELD_SETS: dict[frozenset[str], set[str]] = {}
MAX_FIELD_SETS = 256

LANGUAGE_PATTERN = r"^[a-z]{2,3}$"  # ISO 639-1/-3 code: en, de, no (nb/nn accepted as well)


class _Bounded(BaseModel):
    """Extra columns are kept (custom fields, outcomes such as `sla_breached`): they end up in `model_extra`,
    within the bounds of core.bounds (depth, count, texts)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    @model_validator(mode="after")
    def _shared_fields_set(self) -> _Bounded:
        # pydantic keeps the names of the fields given in a set of each instance's own: 728 bytes for an
        # event's usual six, 44 % of a parsed event, and the ticket cache and the training workers hold
        # hundreds of thousands. A frozen model's set never changes (a copy with changes copies it first),
        # so instances given the same fields share one.
        given = self.__pydantic_fields_set__
        key = frozenset(given)
        if len(_FIELD_SETS) < MAX_FIELD_SETS or key in _FIELD_SETS:
            object.__setattr__(self, "__pydantic_fields_set__", _FIELD_SETS.setdefault(key, given))
        return self

    @model_validator(mode="before")
    @classmethod
    def _missing_extras(cls, data: Any) -> Any:
        # an empty cell of a custom column reads as NaN from a file: a missing value, kept as None (JSON
        # has no NaN); infinities stay out of bounds
        if isinstance(data, dict) and any(isinstance(v, float) and math.isnan(v) for v in data.values()):
            known = cls.model_fields
            return {k: None if k not in known and isinstance(v, float) and math.isnan(v) else v
                    for k, v in data.items()}
        return data

    @model_validator(mode="after")
    def _extras_within_bounds(self, info: ValidationInfo) -> _Bounded:
        if not is_stored(info) and (problem := extras_problem(self.model_extra)):
            raise PydanticCustomError("out_of_bounds", "{problem}", {"problem": problem})
        return self


class Ticket(_Bounded):
    """A ticket as known when it was created."""

    ticket_id: Id
    created_at: Instant
    channel: Channel
    priority: Priority
    customer_id: Key
    customer_tier: Name
    customer_value: Money | None = Field(default=None, description="e.g. annual contract value")
    product: Name
    category: Name
    team: Name
    language: str = Field(pattern=LANGUAGE_PATTERN)
    subject: Subject = ""
    assignee: OptionalName | None = None


class Event(_Bounded):
    """One entry of a ticket's event log. Type-specific fields are optional here and required
    per type by `REQUIRED_EVENT_FIELDS`."""

    event_id: Key
    ticket_id: Id
    at: Instant
    type: EventType
    author_role: AuthorRole
    author_id: OptionalName | None = None
    body: Body | None = None
    status: TicketStatus | None = None
    priority: Priority | None = None
    assignee: OptionalName | None = None
    team: OptionalName | None = None
    level: int | None = Field(default=None, ge=1, le=MAX_ESCALATION_LEVEL)
    escalation_type: EscalationType | None = None
    reason: Note | None = None
    csat: int | None = Field(default=None, ge=1, le=5)

    @model_validator(mode="after")
    def _has_fields_of_its_type(self) -> Event:
        missing = [f for f in REQUIRED_EVENT_FIELDS[self.type] if _blank(getattr(self, f))]
        if missing:
            kind = self.type.value
            raise ValueError(f"{_article(kind)} {kind} event needs {', '.join(missing)}")
        one_of = ONE_OF_EVENT_FIELDS.get(self.type)
        if one_of and all(_blank(getattr(self, f)) for f in one_of):
            raise ValueError(
                f"{_article(self.type.value)} {self.type.value} event needs one of {', '.join(one_of)}"
            )
        return self

    @property
    def is_message(self) -> bool:
        return self.type in (EventType.CUSTOMER_MESSAGE, EventType.AGENT_REPLY)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
