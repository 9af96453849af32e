"""One target's current cycle -> its status, and the reminders and escalation levels it schedules."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.enums import EscalationType, Priority
from core.sla import Action, ActionKind, Recipient, TargetKind, TargetState, TargetStatus
from rules.calendar import US, from_us
from rules.clock import consumed, instants, running_segments
from rules.durations import format_duration
from rules.policyset import CompiledPolicy
from rules.timeline import Cycle


def action_id(*parts: object) -> str:
    """Stable across runs and processes (no `hash()`): the same inputs always give the same id."""
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=10).hexdigest()


@dataclass(slots=True)
class TargetOutcome:
    status: TargetStatus
    due: list[Action]
    upcoming: list[Action]
    wake: int | None  # the next instant this target changes state (its deadline), if later than now


@dataclass(frozen=True, slots=True)
class Context:
    ticket_id: str
    now: int
    assignee: str | None
    team: str
    since: int  # when the policy and priority in force were selected


def evaluate_target(
    ctx: Context,
    kind: TargetKind,
    cycle: Cycle,
    pauses: list[tuple[int, int | None]],
    policy: CompiledPolicy,
    priority: Priority,
    budget: int,
) -> TargetOutcome:
    cal, now = policy.calendar, ctx.now
    segments = running_segments(cycle.start, cycle.stop, pauses)
    # A policy chosen mid-cycle never breaches retroactively: if its target is already used up at
    # the change, the deadline becomes the change instant (docs/sla-semantics.md, "re-selection").
    effective = budget
    if ctx.since > cycle.start:
        effective = max(budget, consumed(cal, segments, ctx.since))
    end = now if cycle.stop is None else cycle.stop
    used = consumed(cal, segments, end)
    levels = policy.escalation.get(kind, ())
    reminders = [r for r in policy.reminders if kind in r.targets]
    marks = [(effective, "due", 0)]
    for r in reminders:
        at_used = effective - r.lead_us if r.lead_us is not None else int(effective * r.threshold)
        if 0 < at_used < effective:  # a lead longer than the target would remind before the clock starts
            marks.append((at_used, "reminder", reminders.index(r)))
    if not policy.wall_clock_escalation:
        marks += [(effective + delay, "level", n) for n, (delay, _) in enumerate(levels, start=1)]
    marks.sort(key=lambda m: m[0])
    found = dict(zip(marks, instants(cal, segments, [m[0] for m in marks], cycle.stop), strict=True))
    due_at = found[(effective, "due", 0)]
    level_at = {m[2]: t for m, t in found.items() if m[1] == "level"}
    if policy.wall_clock_escalation and due_at is not None:
        level_at = {n: due_at + delay for n, (delay, _) in enumerate(levels, start=1)}

    breached = due_at is not None and due_at <= end and (cycle.stop is None or due_at < cycle.stop)
    # An open cycle is paused when its clock has stopped short of `now` (a pause is ongoing).
    paused = cycle.stop is None and (not segments or segments[-1][1] is not None)
    reached = sum(1 for t in level_at.values() if t is not None and t <= end)
    state = _state(cycle, breached, paused)
    status = TargetStatus(
        target=kind,
        state=state,
        budget=budget * US,
        started_at=from_us(cycle.start),
        due_at=from_us(due_at) if due_at is not None else None,
        remaining=(effective - used) * US,
        elapsed=used * US,
        paused=paused,
        fulfilled_at=from_us(cycle.stop) if cycle.fulfilled and cycle.stop is not None else None,
        breached_at=from_us(due_at) if breached and due_at is not None else None,
        breached_by=(used - effective) * US if breached else None,
        escalation_level=reached,
        policy=policy.name,
        policy_version=policy.version,
        calendar_version=cal.version,
    )
    outcome = TargetOutcome(status, [], [], due_at if due_at is not None and due_at > now else None)
    if cycle.stop is not None:
        return outcome  # fulfilled or ended: nothing more to do for this cycle

    key = (ctx.ticket_id, kind.value, cycle.start, budget, policy.version)
    is_open = cal.is_open_us(now)
    due_text = from_us(due_at).isoformat() if due_at is not None else "?"
    for (amount, what, n), at in found.items():
        if what != "reminder" or at is None or (due_at is not None and due_at <= now):
            continue  # no reminders once breached: escalation has taken over
        at = cal.next_open_us(at)  # reminders are for people at work: never in closed hours
        if at <= now and not is_open:
            at = cal.next_open_us(now)
        if due_at is not None and at >= due_at:
            continue
        label = reminders[n].label
        left = format_duration((effective - amount) * US)
        action = Action(
            action_id=action_id(*key, "reminder", label),
            kind=ActionKind.REMINDER,
            at=from_us(at),
            to=Recipient("assignee", ctx.assignee),
            reason=f"{kind.value} due {due_text}: {left} of open time left",
            target=kind,
            rule=policy.name,
            policy_version=policy.version,
            calendar_version=cal.version,
        )
        (outcome.due if at <= now else outcome.upcoming).append(action)
    for n, (delay, whom) in enumerate(levels, start=1):
        at = level_at.get(n)
        if at is None:
            continue
        action = Action(
            action_id=action_id(*key, "escalate", n),
            kind=ActionKind.ESCALATE,
            at=from_us(at),
            to=_recipient(whom, ctx),
            reason=f"{kind.value} breached at {due_text}"
            + (f"; level {n} after {format_duration(delay * US)}" if delay else ""),
            target=kind,
            level=n,
            escalation_type=EscalationType.AUTOMATIC,
            rule=policy.name,
            policy_version=policy.version,
            calendar_version=cal.version,
        )
        (outcome.due if at <= now else outcome.upcoming).append(action)
    return outcome


def _state(cycle: Cycle, breached: bool, paused: bool) -> TargetState:
    if cycle.stop is not None:
        if cycle.fulfilled:
            return TargetState.MISSED if breached else TargetState.MET
        return TargetState.BREACHED if breached else TargetState.STOPPED
    if breached:
        return TargetState.BREACHED
    return TargetState.PAUSED if paused else TargetState.RUNNING


def _recipient(whom: Recipient, ctx: Context) -> Recipient:
    # "manager" means the assignee's manager and "team_lead" the current team's lead: name them.
    if whom.kind == "manager":
        return Recipient("manager", ctx.assignee)
    if whom.kind == "team_lead":
        return Recipient("team_lead", ctx.team)
    return whom
