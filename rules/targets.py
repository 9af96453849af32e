"""One target's current cycle -> its status, and the reminders and escalation levels it schedules."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from core.enums import EscalationType, Priority
from core.sla import Action, ActionKind, Recipient, TargetKind, TargetState, TargetStatus
from rules.calendar import US, from_us
from rules.clock import Clock, running_segments
from rules.durations import format_duration
from rules.policyset import CompiledPolicy
from rules.timeline import Cycle

_amount = itemgetter(0)


def action_id(*parts: object) -> str:
    """Stable across runs and processes (no `hash()`): the same inputs always give the same id."""
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=10).hexdigest()


class ActionIds:
    """`action_id(*key, kind, detail)` for the actions of one cycle: the shared key is hashed once."""

    def __init__(self, *key: object) -> None:
        self._hash = hashlib.blake2b("|".join(map(str, key)).encode(), digest_size=10)

    def __call__(self, kind: str, detail: object) -> str:
        h = self._hash.copy()
        h.update(f"|{kind}|{detail}".encode())
        return h.hexdigest()


class CycleIds:
    """The `action_id` and the `dedup_key` of each action of one cycle. The id names the budget and the policy
    version it was computed with; the key only what the action is — ticket, target, cycle, kind and level or
    reminder — so an edited policy file (a holiday added) does not make an action fired already a new one."""

    def __init__(self, ticket_id: str, kind: TargetKind, start: int, budget: int, version: str) -> None:
        self._ids = ActionIds(ticket_id, kind, start, budget, version)
        self._keys = ActionIds(ticket_id, kind, start)

    def __call__(self, kind: str, detail: object) -> tuple[str, str]:
        return self._ids(kind, detail), self._keys(kind, detail)


@dataclass(slots=True)
class TargetOutcome:
    status: TargetStatus
    due: list[Action]
    upcoming: list[Action]
    wake: int | None  # the next instant this target changes state (its deadline), if later than now


class Context(NamedTuple):
    """What every target of one ticket shares: who the actions name, and the evaluation instant."""

    ticket_id: str
    now: int
    assignee: str | None
    team: str
    manager: Recipient  # the assignee's manager
    team_lead: Recipient  # the current team's lead


def context(ticket_id: str, now: int, assignee: str | None, team: str) -> Context:
    return Context(
        ticket_id, now, assignee, team, Recipient("manager", assignee), Recipient("team_lead", team)
    )


def evaluate_target(
    ctx: Context,
    kind: TargetKind,
    cycle: Cycle,
    pauses: list[tuple[int, int | None]],
    policy: CompiledPolicy,
    priority: Priority,
    budget: int,
    since: int,  # when the policy and priority in force were selected
) -> TargetOutcome:
    cal, now = policy.calendar, ctx.now
    segments = running_segments(cycle.start, cycle.stop, pauses)
    clock = Clock(cal, segments, cycle.stop)
    # A policy chosen mid-cycle never breaches retroactively: if its target is already used up at
    # the change, the deadline becomes the change instant (docs/sla-semantics.md, "re-selection").
    effective = budget
    if since > cycle.start:
        effective = max(budget, clock.consumed(since))
    end = now if cycle.stop is None else cycle.stop
    used = clock.consumed(end)
    levels = policy.escalation.get(kind, ())
    # Reminders (below the target), the deadline, then the levels (delays ascending, as validated):
    # one ascending list of amounts of open time, so one walk along the clock finds every instant.
    # An ended cycle sends no reminders, so only its deadline and levels need an instant.
    reminders = _reminder_marks(policy, kind, effective) if cycle.stop is None else []
    level_amounts = [] if policy.wall_clock_escalation else [effective + delay for delay, _ in levels]
    amounts = [amount for amount, _ in reminders] + [effective, *level_amounts]
    found = clock.instants(amounts)
    due_at = found[len(reminders)]
    level_at = found[len(reminders) + 1 :]
    if policy.wall_clock_escalation:
        level_at = [None if due_at is None else due_at + delay for delay, _ in levels]

    breached = due_at is not None and due_at <= end and (cycle.stop is None or due_at < cycle.stop)
    breached &= not cycle.withdrawn
    # An open cycle is paused when its clock has stopped short of `now` (a pause is ongoing).
    paused = cycle.stop is None and (not segments or segments[-1][1] is not None)
    due_time = from_us(due_at) if due_at is not None else None
    status = TargetStatus(
        target=kind,
        state=_state(cycle, breached, paused),
        budget=budget * US,
        started_at=from_us(cycle.start),
        due_at=due_time,
        remaining=(effective - used) * US,
        elapsed=used * US,
        paused=paused,
        fulfilled_at=from_us(cycle.stop) if cycle.fulfilled and cycle.stop is not None else None,
        breached_at=due_time if breached else None,
        breached_by=(used - effective) * US if breached else None,
        escalation_level=0 if cycle.withdrawn else sum(1 for t in level_at if t is not None and t <= end),
        policy=policy.name,
        policy_version=policy.version,
        calendar_version=cal.version,
    )
    outcome = TargetOutcome(status, [], [], due_at if due_at is not None and due_at > now else None)
    if cycle.stop is not None:
        return outcome  # fulfilled or ended: nothing more to do for this cycle

    ids = CycleIds(ctx.ticket_id, kind, cycle.start, budget, policy.version)
    due_text = due_time.isoformat() if due_time is not None else "?"
    if due_at is None or due_at > now:  # no reminders once breached: escalation has taken over
        for (amount, label), at in zip(reminders, found, strict=False):
            if at is not None:
                left = format_duration((effective - amount) * US)
                reason = f"{kind.value} due {due_text}: {left} of open time left"
                _remind(outcome, ctx, policy, kind, at, due_at, label, reason, ids)
    breached_text = f"{kind.value} breached at {due_text}"
    for n, ((delay, whom), at) in enumerate(zip(levels, level_at, strict=True), start=1):
        if at is None:
            continue
        level_id, level_key = ids("escalate", n)
        action = Action(
            action_id=level_id,
            kind=ActionKind.ESCALATE,
            at=from_us(at),
            to=_recipient(whom, ctx),
            reason=breached_text + (f"; level {n} after {format_duration(delay * US)}" if delay else ""),
            target=kind,
            level=n,
            escalation_type=EscalationType.AUTOMATIC,
            rule=policy.name,
            policy_version=policy.version,
            calendar_version=cal.version,
            dedup_key=level_key,
        )
        (outcome.due if at <= now else outcome.upcoming).append(action)
    return outcome


def _reminder_marks(policy: CompiledPolicy, kind: TargetKind, effective: int) -> list[tuple[int, str]]:
    """(open time used, label) of each reminder of this target, earliest first."""
    marks = []
    for r in policy.reminders_for[kind]:
        at_used = effective - r.lead_us if r.lead_us is not None else int(effective * r.threshold)
        if 0 < at_used < effective:  # a lead longer than the target would remind before the clock starts
            marks.append((at_used, r.label))
    marks.sort(key=_amount)  # stable: reminders at the same instant keep their file order
    return marks


def _remind(
    outcome: TargetOutcome,
    ctx: Context,
    policy: CompiledPolicy,
    kind: TargetKind,
    at: int,
    due_at: int | None,
    label: str,
    reason: str,
    ids: CycleIds,
) -> None:
    cal, now = policy.calendar, ctx.now
    at = cal.next_open_us(at)  # reminders are for people at work: never in closed hours
    if at <= now and not cal.is_open_us(now):
        at = cal.next_open_us(now)
    if due_at is not None and at >= due_at:
        return
    reminder_id, reminder_key = ids("reminder", label)
    action = Action(
        action_id=reminder_id,
        kind=ActionKind.REMINDER,
        at=from_us(at),
        to=Recipient("assignee", ctx.assignee),
        reason=reason,
        target=kind,
        rule=policy.name,
        policy_version=policy.version,
        calendar_version=cal.version,
        dedup_key=reminder_key,
    )
    (outcome.due if at <= now else outcome.upcoming).append(action)


def _state(cycle: Cycle, breached: bool, paused: bool) -> TargetState:
    if cycle.withdrawn:
        return TargetState.STOPPED  # merged, deleted or spam: no verdict, whatever the clock had reached
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
        return ctx.manager
    if whom.kind == "team_lead":
        return ctx.team_lead
    return whom
