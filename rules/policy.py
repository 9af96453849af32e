"""The policy file's schema: calendars, SLA policies, reminders, escalation matrices, automatic
prioritisation, immediate triggers and functional routing. Field names are the YAML keys, so a
validation error's location maps straight back to a line of the file (rules/policy_file.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from core import bounds
from core.enums import MAX_ESCALATION_LEVEL, EscalationType, Priority, TicketStatus
from core.sla import TargetKind
from core.zones import is_time_zone
from rules.calendar import SEARCH_DAYS
from rules.conditions import FIELDS, Condition
from rules.durations import parse_duration


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("a target must be longer than zero")
    return value


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
Target = Annotated[timedelta, BeforeValidator(parse_duration), AfterValidator(_positive)]
Name = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PAUSABLE = (TicketStatus.PENDING, TicketStatus.ON_HOLD)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Holiday(Strict):
    date: date
    name: bounds.OptionalName = ""
    recurring: bool = False  # closed on this month and day every year


def _holiday_shorthand(value: Any) -> Any:
    return {"date": value} if isinstance(value, date | str) else value


class CalendarSpec(Strict):
    timezone: str
    # day or day range ("mon-fri") -> ["08:00-16:00", ...]; the string "24/7" means always open.
    hours: dict[str, list[str]]
    holidays: list[Annotated[Holiday, BeforeValidator(_holiday_shorthand)]] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_time_zone(value):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Oslo or UTC")
        return value

    @field_validator("hours", mode="before")
    @classmethod
    def _always_open(cls, value: Any) -> Any:
        return {"mon-sun": ["00:00-24:00"]} if value == "24/7" else value

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        weekly_intervals(value)  # raises with the offending key
        return value

    def weekly(self) -> dict[int, list[tuple[int, int]]]:
        return weekly_intervals(self.hours)

    def least_open(self) -> timedelta:
        """At least the open time in any SEARCH_DAYS from any start: how far ahead the engine can put a
        deadline (rules/calendar.py). Full weeks, less for each holiday what it can close: a fixed one its
        weekday's hours; a recurring one, met up to 11 times, at most 3 of each weekday; and an hour for each
        spring-forward day."""
        weekly = self.weekly()
        days = [sum(e - s for s, e in weekly.get(d, ())) for d in range(7)]
        years = SEARCH_DAYS // 365 + 1
        closed = sum(
            min(years * max(days), 3 * sum(days)) if h.recurring else days[h.date.weekday()]
            for h in self.holidays
        )
        minutes = SEARCH_DAYS // 7 * sum(days) - closed - years * 60
        return timedelta(minutes=max(minutes, 0))


def weekly_intervals(hours: dict[str, list[str]]) -> dict[int, list[tuple[int, int]]]:
    """{"mon-fri": ["08:00-12:00", "13:00-16:00"]} -> {0: [(480, 720), (780, 960)], ...}."""
    weekly: dict[int, list[tuple[int, int]]] = {}
    given_by: dict[int, str] = {}
    for key, spans in hours.items():
        for day in _days(key):
            if day in weekly:
                raise _keyed(
                    key, f"{DAYS[day]} is given twice (in {given_by[day]!r} and {key!r}); list it once"
                )
            given_by[day] = key
            weekly[day] = sorted(_interval(key, s) for s in spans)
            for (s1, e1), (s2, e2) in zip(weekly[day], weekly[day][1:], strict=False):
                if s2 < e1:
                    raise _keyed(
                        key, f"overlapping hours on {DAYS[day]}: {_hhmm(s1, e1)} and {_hhmm(s2, e2)}"
                    )
    if not any(weekly.values()):
        raise ValueError(
            "a calendar needs at least one opening interval a week, e.g. mon-fri: ['08:00-16:00']"
        )
    return weekly


def _days(key: str) -> list[int]:
    first, _, last = key.partition("-")
    if first not in DAYS or (last and last not in DAYS):
        raise _keyed(key, f"{key!r} is not a day or day range; use mon..sun or a range such as 'mon-fri'")
    a, b = DAYS.index(first), DAYS.index(last or first)
    if b < a:
        raise _keyed(key, f"day range {key!r} runs backwards; write it as from-to within mon..sun")
    return list(range(a, b + 1))


def _interval(key: str, text: str) -> tuple[int, int]:
    try:
        start, end = (_minute(part) for part in text.split("-"))
    except ValueError:
        raise _keyed(key, f"{text!r} is not an interval; write 'HH:MM-HH:MM', e.g. '08:00-16:00'") from None
    if end <= start:
        raise _keyed(key, f"interval {text!r} ends before it starts; split a night shift at 24:00")
    return start, end


def _minute(text: str) -> int:
    hour, minute = text.strip().split(":")
    value = int(hour) * 60 + int(minute)
    if len(minute) != 2 or not 0 <= int(minute) < 60 or not 0 <= value <= 1440:
        raise ValueError(text)
    return value


def _hhmm(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _keyed(key: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("policy_hours", message, {"key": key})


class Targets(Strict):
    """Per target, per priority: how much open time the helpdesk has. A missing priority: no target."""

    first_response: dict[Priority, Target] = {}
    next_response: dict[Priority, Target] = {}
    resolution: dict[Priority, Target] = {}


class Reminder(Strict):
    before: Duration | None = None  # fixed lead before the deadline
    at_share: float | None = Field(default=None, gt=0, lt=1)  # share of the target's open time used
    targets: list[TargetKind] = list(TargetKind)

    @field_validator("before")
    @classmethod
    def _ahead(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value <= timedelta(0):
            raise ValueError(
                "a reminder 0m before the deadline would never be sent (a breach is shown, not reminded of): "
                "give a lead longer than zero, e.g. 30m"
            )
        return value

    @field_validator("targets")
    @classmethod
    def _some(cls, value: list[TargetKind]) -> list[TargetKind]:
        if not value:
            raise ValueError(
                "a reminder for no target would never be sent: name some, or leave `targets` out for all"
            )
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Reminder:
        if (self.before is None) == (self.at_share is None):
            raise ValueError("a reminder has exactly one of `before: 30m` or `at_share: 0.75`")
        return self


def _recipient_shorthand(value: Any) -> Any:
    # "manager" / {group: senior-finance} read better in YAML than {kind: group, name: ...}.
    if isinstance(value, str):
        return {"kind": value}
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("group", "person"):
        kind, name = next(iter(value.items()))
        return {"kind": kind, "name": name}
    return value


class Recipient(Strict):
    kind: Literal["manager", "team_lead", "group", "person"]  # manager: the assignee's manager
    name: bounds.Name | None = None  # lands in stored actions: within what the store keeps (no NUL, 200)

    @model_validator(mode="after")
    def _named(self) -> Recipient:
        if (self.kind in ("group", "person")) != bool(self.name):
            if self.name is None:
                raise ValueError(
                    f"a {self.kind} recipient needs a name, e.g. {{{self.kind}: senior-finance}}"
                )
            raise ValueError(f"a {self.kind} recipient takes no name; write `to: {self.kind}`")
        return self


To = Annotated[Recipient, BeforeValidator(_recipient_shorthand)]


class EscalationLevel(Strict):
    after: Duration = timedelta(0)  # delay after the breach
    to: To


class SlaPolicy(Strict):
    name: Name
    when: Condition | None = None  # no conditions: matches every ticket (a catch-all last)
    calendar: Name
    targets: Targets
    pause_statuses: list[TicketStatus] = [TicketStatus.PENDING]
    customer_message_resumes: bool = True  # a customer message ends a pause (and reopens a solved ticket)
    reminders: list[Reminder] = []
    escalation: dict[TargetKind, list[EscalationLevel]] = {}
    escalation_clock: Literal["business", "wall"] = "business"  # how `after` delays are counted

    @field_validator("pause_statuses")
    @classmethod
    def _pausable(cls, value: list[TicketStatus]) -> list[TicketStatus]:
        wrong = [s.value for s in value if s not in PAUSABLE]
        if wrong:
            raise ValueError(f"status {', '.join(wrong)} cannot pause a clock; use pending and/or on_hold")
        return value

    @field_validator("escalation")
    @classmethod
    def _levels(
        cls, value: dict[TargetKind, list[EscalationLevel]]
    ) -> dict[TargetKind, list[EscalationLevel]]:
        for target, levels in value.items():
            if len(levels) > MAX_ESCALATION_LEVEL:
                raise PydanticCustomError(
                    "policy_levels",
                    f"{target.value} has {len(levels)} escalation levels; at most {MAX_ESCALATION_LEVEL} are "
                    "supported: merge levels or notify a group",
                    {"key": target.value},
                )
            delays = [lvl.after for lvl in levels]
            if delays != sorted(delays):
                raise PydanticCustomError(
                    "policy_levels",
                    f"{target.value} escalation levels must come in order of their `after` delay",
                    {"key": target.value},
                )
        return value


class AutoPriority(Strict):
    name: Name
    when: Condition
    set_priority: Priority
    allow_lower: bool = False  # by default a rule only raises the priority


class Routing(Strict):
    name: Name
    when: Condition
    team: bounds.Name  # a team name as tickets carry it (core.bounds: no NUL, at most 200 characters)


class Trigger(Strict):
    name: Name
    when: Condition
    to: To
    level: int = Field(default=1, ge=1, le=MAX_ESCALATION_LEVEL)
    type: EscalationType = EscalationType.HIERARCHICAL


CustomType = Literal["keyword", "number", "text", "boolean"]  # = conditions.CUSTOM_TYPES (a test checks)


class PolicyFile(Strict):
    # Ticket columns beyond the standard ones (`Ticket.model_extra`) that conditions may test, with
    # their type: declaring them keeps a misspelt field name an error (docs/sla-semantics.md).
    custom_fields: dict[Name, CustomType] = {}
    calendars: dict[Name, CalendarSpec] = Field(min_length=1)
    policies: list[SlaPolicy] = Field(min_length=1)  # first match wins, in file order
    auto_priority: list[AutoPriority] = []  # first match wins
    routing: list[Routing] = []  # first match wins
    triggers: list[Trigger] = []  # every matching trigger fires

    @field_validator("custom_fields")
    @classmethod
    def _not_standard(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if name in FIELDS:
                raise PydanticCustomError(
                    "policy_custom_field",
                    f"{name!r} is a standard field: use it without declaring it under custom_fields",
                    {"key": name},
                )
        return value
