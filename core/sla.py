"""SLA state and actions: what `rules.evaluate` returns and what features/ and serving/ read.

Slotted dataclasses compared and hashed by value; `to_dict` gives JSON-able values with ISO-8601
instants and durations in seconds. Treat them as read-only values. The per-ticket ones (`TargetStatus`,
`Action`, `SlaResult`) are not `frozen`: a frozen dataclass sets every field through
`object.__setattr__`, and at a handful of these per ticket that cost ~15 % of evaluating 100k tickets
(bench/bench_rules.py); `unsafe_hash` keeps them hashable by value as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from core.enums import EscalationType, Priority


class TargetKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"  # restarted by each customer message after an agent reply
    RESOLUTION = "resolution"  # restarted by a reopen


class TargetState(StrEnum):
    RUNNING = "running"  # clock counting, not yet due
    PAUSED = "paused"  # waiting on the customer
    BREACHED = "breached"  # due and not fulfilled (the clock may be running or paused)
    MET = "met"  # fulfilled in time
    MISSED = "missed"  # fulfilled after the deadline
    STOPPED = "stopped"  # ended without fulfilment (solved without a reply; no next response owed)


class ActionKind(StrEnum):
    REMINDER = "reminder"
    ESCALATE = "escalate"
    REPRIORITISE = "reprioritise"
    ROUTE = "route"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Whom an action goes to: the assignee, their manager, the team lead, a named group or person."""

    kind: str  # assignee | manager | team_lead | group | person | team
    name: str | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.name}" if self.name else self.kind


@dataclass(slots=True, unsafe_hash=True)
class TargetStatus:
    target: TargetKind
    state: TargetState
    budget: timedelta  # the target, in open time of the calendar
    started_at: datetime  # start of the current cycle (creation, customer message, reopen)
    due_at: datetime | None  # None while paused before the deadline: it moves when the clock resumes
    remaining: timedelta  # open time left; negative once breached
    elapsed: timedelta  # open time counted so far in this cycle
    paused: bool
    fulfilled_at: datetime | None = None
    breached_at: datetime | None = None
    breached_by: timedelta | None = None  # open time beyond the target, up to now or the fulfilment
    escalation_level: int = 0
    policy: str = ""
    policy_version: str = ""
    calendar_version: str = ""
    # the verdicts of this target's earlier cycles, each ended before this one started (a reopen, a next
    # customer message): met in time / missed or breached; one stopped without a verdict counts in neither
    earlier_met: int = 0
    earlier_failed: int = 0


@dataclass(slots=True, unsafe_hash=True)
class Action:
    """One thing to do. A caller that stores fired `action_id`s fires each action exactly once; one that also
    keeps each fired action's `dedup_key` does not fire it again when the policy file changes."""

    action_id: str
    kind: ActionKind
    at: datetime  # when it became (or becomes) due
    to: Recipient
    reason: str
    target: TargetKind | None = None
    level: int | None = None  # escalation level 1..4
    escalation_type: EscalationType | None = None
    priority: Priority | None = None  # for reprioritise
    team: str | None = None  # for route
    rule: str = ""  # the policy or rule that produced it
    trigger: bool = False  # fired by an immediate trigger (a rule on signals or risk), not by a clock
    policy_version: str = ""
    calendar_version: str = ""
    # the action in substance — ticket, target, cycle, kind and level (or reminder, rule): the same under
    # every version of the policy file, where `action_id` (which names the versions) is not
    dedup_key: str = ""


@dataclass(slots=True, unsafe_hash=True)
class SlaResult:
    ticket_id: str
    evaluated_at: datetime
    policy: str | None  # None when no policy matched: no clocks run
    priority: Priority  # the priority the policy was chosen with (after automatic prioritisation)
    targets: tuple[TargetStatus, ...]
    escalation_level: int
    actions: tuple[Action, ...]  # due at `evaluated_at` (fire the ones not fired yet)
    upcoming: tuple[Action, ...]  # scheduled later, earliest first
    next_due_at: datetime | None  # the next instant anything becomes due; None: wait for an event
    policy_version: str = ""
    calendar_version: str = ""
    policies_version: str = ""  # the whole policy file
    matched: tuple[str, ...] = field(default=())  # the conditions that selected the policy

    def target(self, kind: TargetKind) -> TargetStatus | None:
        return next((t for t in self.targets if t.target == kind), None)

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)


def to_plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: to_plain(getattr(value, f.name)) for f in fields(value)}
    return value
