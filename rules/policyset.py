"""Validated policies compiled for evaluation: calendars built, conditions turned into functions,
durations into microseconds, and every policy, rule and calendar given a version (a content hash).

A version hashes the *meaning* (the validated model as canonical JSON), not the text: reformatting
or commenting the file keeps versions; changing a target, hour or recipient changes them, so
deadlines and action ids computed under the old version are recomputed rather than reused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from core.enums import Priority, TicketStatus
from core.errors import NotFoundError
from core.sla import Recipient, TargetKind
from rules.calendar import US, BusinessCalendar
from rules.conditions import Condition, Facts, FieldType, Predicate, compile_condition, known_fields
from rules.policy import AutoPriority, CalendarSpec, PolicyFile, Routing, SlaPolicy, Trigger


def content_hash(*parts: BaseModel | str) -> str:
    text = "\x1f".join(p if isinstance(p, str) else json.dumps(_meaning(p), sort_keys=True) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _meaning(model: BaseModel) -> Any:
    # A file without custom fields hashes as it did before they existed: its version is unchanged.
    empty = {"custom_fields"} if isinstance(model, PolicyFile) and not model.custom_fields else None
    return model.model_dump(mode="json", exclude=empty)


@dataclass(frozen=True, slots=True)
class Reminder:
    threshold: float  # share of the budget used; ignored when lead_us is set
    lead_us: int | None
    targets: frozenset[TargetKind]
    label: str  # "30m before" / "75%": part of the action id


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    spec: SlaPolicy
    name: str
    calendar: BusinessCalendar
    matches: Predicate
    version: str
    budgets: Mapping[TargetKind, Mapping[Priority, int]]  # microseconds of open time
    pause_statuses: frozenset[TicketStatus]
    reminders: tuple[Reminder, ...]
    reminders_for: Mapping[TargetKind, tuple[Reminder, ...]]  # the reminders that apply to each target
    escalation: Mapping[TargetKind, tuple[tuple[int, Recipient], ...]]  # (delay µs, whom) per level
    wall_clock_escalation: bool


@dataclass(frozen=True, slots=True)
class CompiledRule:
    spec: AutoPriority | Routing | Trigger
    name: str
    matches: Predicate
    version: str


@dataclass(frozen=True, slots=True)
class PolicySet:
    calendars: Mapping[str, BusinessCalendar]
    policies: tuple[CompiledPolicy, ...]
    auto_priority: tuple[CompiledRule, ...]
    routing: tuple[CompiledRule, ...]
    triggers: tuple[CompiledRule, ...]
    version: str
    source: str
    fields: Mapping[str, FieldType]  # every field conditions may test, the declared custom ones included
    custom_fields: Mapping[str, FieldType]  # the declared custom ticket fields only
    # the fields that choosing the policy in force and the automatic priority read: when neither `signals` nor
    # `risk` is among them, the SLA clocks do not depend on the immediate triggers' inputs (rules/engine.py)
    selection_fields: frozenset[str] = frozenset()

    def select(self, facts: Facts) -> CompiledPolicy | None:
        """The first policy, in file order, whose conditions hold."""
        return next((p for p in self.policies if p.matches(facts)), None)

    def policy(self, name: str) -> CompiledPolicy:
        for p in self.policies:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.policies)
        raise NotFoundError(f"SLA policy {name!r} is not defined; known policies: {known}")


def build_calendar(name: str, spec: CalendarSpec) -> BusinessCalendar:
    holidays = [h.date for h in spec.holidays if not h.recurring]
    recurring = [(h.date.month, h.date.day) for h in spec.holidays if h.recurring]
    return BusinessCalendar(
        name, spec.timezone, spec.weekly(), holidays, recurring, version=content_hash(name, spec)
    )


def compile_policies(spec: PolicyFile, source: str = "<policies>") -> PolicySet:
    calendars = {name: build_calendar(name, cal) for name, cal in spec.calendars.items()}
    fields = known_fields(spec.custom_fields)
    return PolicySet(
        calendars=calendars,
        policies=tuple(_compile_policy(p, calendars[p.calendar], fields) for p in spec.policies),
        auto_priority=tuple(_compile_rule(r, fields) for r in spec.auto_priority),
        routing=tuple(_compile_rule(r, fields) for r in spec.routing),
        triggers=tuple(_compile_rule(r, fields) for r in spec.triggers),
        version=content_hash(spec),
        source=source,
        fields=fields,
        custom_fields={name: fields[name] for name in spec.custom_fields},
        selection_fields=_fields_used([p.when for p in spec.policies] + [r.when for r in spec.auto_priority]),
    )


def _fields_used(conditions: list[Condition | None]) -> frozenset[str]:
    return frozenset().union(*(c.fields_used() for c in conditions if c is not None))


def _us(value: timedelta) -> int:
    return value // US


def _compile_policy(
    policy: SlaPolicy, calendar: BusinessCalendar, fields: Mapping[str, FieldType]
) -> CompiledPolicy:
    targets = policy.targets
    budgets = {kind: {p: _us(d) for p, d in getattr(targets, kind.value).items()} for kind in TargetKind}
    reminders = tuple(
        Reminder(
            threshold=r.at_share or 0.0,
            lead_us=_us(r.before) if r.before is not None else None,
            targets=frozenset(r.targets),
            label=f"{r.before.total_seconds():.0f}s-before"
            if r.before is not None
            else f"{r.at_share:g}-used",
        )
        for r in policy.reminders
    )
    escalation = {
        kind: tuple((_us(lvl.after), Recipient(lvl.to.kind, lvl.to.name)) for lvl in levels)
        for kind, levels in policy.escalation.items()
    }
    return CompiledPolicy(
        spec=policy,
        name=policy.name,
        calendar=calendar,
        matches=compile_condition(policy.when, fields),
        version=content_hash(policy, calendar.version),
        budgets=budgets,
        pause_statuses=frozenset(policy.pause_statuses),
        reminders=reminders,
        reminders_for={kind: tuple(r for r in reminders if kind in r.targets) for kind in TargetKind},
        escalation=escalation,
        wall_clock_escalation=policy.escalation_clock == "wall",
    )


def _compile_rule(rule: AutoPriority | Routing | Trigger, fields: Mapping[str, FieldType]) -> CompiledRule:
    return CompiledRule(
        spec=rule, name=rule.name, matches=compile_condition(rule.when, fields), version=content_hash(rule)
    )
