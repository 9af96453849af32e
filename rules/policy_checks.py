"""What one field of a policy file cannot know, checked across the validated file: references between
sections, duplicate names and holidays, options that can never act, and targets beyond what the engine can
compute. Each problem is (location, message); rules/policy_file.py turns the location into a line."""

from __future__ import annotations

from core.sla import TargetKind
from rules.conditions import CALLER_FIELDS
from rules.durations import format_duration
from rules.policy import CalendarSpec, PolicyFile, SlaPolicy

Loc = tuple[str | int, ...]


def cross_check(spec: PolicyFile) -> list[tuple[Loc, str]]:
    """What one field cannot know: references between sections, duplicate names, dead options."""
    problems: list[tuple[Loc, str]] = []
    for section in ("policies", "auto_priority", "routing", "triggers"):
        seen: dict[str, int] = {}
        for i, rule in enumerate(getattr(spec, section)):
            if rule.name in seen:
                first = f"{section}[{seen[rule.name]}]"
                msg = f"name {rule.name!r} is used twice (also {first}); names must be unique"
                problems.append(((section, i, "name"), msg))
            seen.setdefault(rule.name, i)
    for section in ("policies", "auto_priority", "routing"):
        for i, rule in enumerate(getattr(spec, section)):
            caller = sorted(rule.when.fields_used() & CALLER_FIELDS) if rule.when else []
            if caller:
                msg = f"field {caller[0]!r} is supplied by the caller at evaluation time: "
                msg += "use it in `triggers` only"
                problems.append(((section, i, "when"), msg))
    for name, calendar in spec.calendars.items():
        problems += _holidays_twice(name, calendar)
    for i, policy in enumerate(spec.policies):
        if policy.calendar not in spec.calendars:
            known = ", ".join(sorted(spec.calendars))
            problems.append(
                ((("policies", i, "calendar")), f"unknown calendar {policy.calendar!r}; defined: {known}")
            )
        for target in policy.escalation:
            if not getattr(policy.targets, target.value):
                msg = f"escalation for {target.value}, but the policy sets no {target.value} target: add one"
                problems.append((("policies", i, "escalation", target.value), msg))
        if policy.calendar in spec.calendars:
            problems += _out_of_reach(i, policy, policy.calendar, spec.calendars[policy.calendar])
        problems += _leads_too_long(i, policy)
    return problems


def _leads_too_long(i: int, policy: SlaPolicy) -> list[tuple[Loc, str]]:
    """A reminder whose lead is as long as every budget of a target falls before that target's clock starts,
    so it is never sent for it (rules/targets.py skips it). Refused for each target it names; with `targets`
    left out (every target the policy sets), only when it fits none of them. A lead as long as some budgets
    only (a short urgent target) skips those priorities, as docs/sla-semantics.md says."""
    problems: list[tuple[Loc, str]] = []
    for j, reminder in enumerate(policy.reminders):
        if reminder.before is None:
            continue
        longest = {kind: max(budgets.values()) for kind in reminder.targets
                   if (budgets := getattr(policy.targets, kind.value))}
        never = [kind for kind, budget in longest.items() if reminder.before >= budget]
        if not never or ("targets" not in reminder.model_fields_set and len(never) < len(longest)):
            continue
        each = " or ".join(f"{kind.value} (its longest target is {format_duration(longest[kind])})"
                           for kind in never)
        msg = f"a reminder {format_duration(reminder.before)} before the deadline is never sent for {each}: "
        msg += "give a lead shorter than the target, or leave "
        msg += f"{', '.join(kind.value for kind in never)} out of `targets`"
        problems.append((("policies", i, "reminders", j, "before"), msg))
    return problems


def _holidays_twice(name: str, calendar: CalendarSpec) -> list[tuple[Loc, str]]:
    """A day listed twice closes nothing more: most likely one of the two dates is a typo."""
    problems: list[tuple[Loc, str]] = []
    seen: dict[str, int] = {}
    for j, holiday in enumerate(calendar.holidays):
        day = f"{holiday.date:%m-%d} (recurring)" if holiday.recurring else holiday.date.isoformat()
        if day in seen:
            msg = f"{day} is listed twice (also holidays[{seen[day]}]); list a day once, or correct the date"
            problems.append((("calendars", name, "holidays", j), msg))
        seen.setdefault(day, j)
    return problems


def _out_of_reach(i: int, policy: SlaPolicy, name: str, calendar: CalendarSpec) -> list[tuple[Loc, str]]:
    """Targets, and levels counted on the business clock, further than the engine looks ahead in the calendar
    (ten years, rules/calendar.py): accepted here, every ticket under them would fail at evaluation."""
    reach = calendar.least_open()
    week = sum(e - s for day in calendar.weekly().values() for s, e in day) / 60
    within = f"calendar {name!r} is sure to be open in the ten years a deadline is looked for "
    within += f"({format_duration(reach)}: {week:g}h a week, less its holidays and DST days)"
    problems: list[tuple[Loc, str]] = []
    for kind in TargetKind:
        budgets = getattr(policy.targets, kind.value)
        for priority, budget in budgets.items():
            if budget > reach:
                msg = f"{format_duration(budget)} of open time is more than {within}, so no deadline could "
                msg += "be computed; shorten it (1d is 24 h of open time, not a calendar day)"
                problems.append((("policies", i, "targets", kind.value, priority.value), msg))
        levels = policy.escalation.get(kind, [])
        if budgets and levels and policy.escalation_clock == "business":
            longest = max(budgets.values())
            if longest <= reach < longest + levels[-1].after:
                total = format_duration(longest + levels[-1].after)
                msg = f"the {kind.value} target ({format_duration(longest)}) and this level's delay come to "
                msg += f"{total} of open time, more than {within}, so no escalation instant could be "
                msg += "computed; shorten them"
                problems.append((("policies", i, "escalation", kind.value, len(levels) - 1, "after"), msg))
    return problems
