"""`evaluate`: (policies, ticket, its events, now) -> SLA state per target and the actions due.

Pure: no clock, no I/O, no stored counters. The same inputs give the same result, so the scoring
API, the sweeper, the explain command and training features all agree.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from core.enums import EscalationType, Priority, TicketStatus
from core.sla import Action, ActionKind, Recipient, SlaResult, TargetKind, TargetState
from core.tickets import Event, Ticket
from rules.calendar import from_us, to_us
from rules.conditions import explain_match
from rules.custom_fields import custom_facts
from rules.policyset import CompiledPolicy, CompiledRule, PolicySet
from rules.targets import Context, TargetOutcome, action_id, context, evaluate_target
from rules.timeline import ENDED, Clocks, Cycle, History, derive_clocks, read_history

Selection = tuple[int, CompiledPolicy | None, Priority]  # (since µs, policy, priority)
TARGETS = tuple(TargetKind)  # iterating the enum class itself is slow, and this runs per ticket
FAILED = (TargetState.MISSED, TargetState.BREACHED)  # an ended cycle's failing verdicts


def evaluate(
    policies: PolicySet,
    ticket: Ticket,
    events: Iterable[Event],
    now: datetime,
    *,
    signals: Iterable[str] = (),
    risk: float | None = None,
) -> SlaResult:
    """The SLA state of `ticket` at `now` from its events up to `now`. `signals` (conflict signal
    names) and `risk` (0..1) come from the caller and feed the immediate triggers only."""
    return SlaEvaluation(policies, ticket, events, now).result(signals=signals, risk=risk)


TRIGGER_INPUTS = frozenset({"signals", "risk"})  # the facts the caller gives, not the events


@dataclass(frozen=True, slots=True)
class _Clocks:
    """What the policy in force and the targets' clocks come to: all of an evaluation but the rule actions."""

    auto: tuple[CompiledRule, Priority] | None
    policy: CompiledPolicy | None
    priority: Priority
    outcomes: tuple[TargetOutcome, ...]
    status: TicketStatus


class SlaEvaluation:
    """`evaluate` of one ticket at one instant, for one or more sets of the immediate triggers' inputs
    (`signals`, `risk`): serving asks without them for the model's features (a feature must not depend on the
    model it feeds) and with them for its answer. What they cannot change is computed once: the history read
    from the events and — unless choosing a policy or an automatic priority reads them
    (`PolicySet.selection_fields`) — the policy in force and every target's clock. Results are the same as
    separate `evaluate` calls."""

    def __init__(self, policies: PolicySet, ticket: Ticket, events: Iterable[Event], now: datetime) -> None:
        self.policies, self.ticket, self.now = policies, ticket, now
        self._now_us = to_us(now)
        self._history = read_history(ticket, events, self._now_us)
        self._facts = ticket_facts(self._history)
        if policies.custom_fields:
            self._facts.update(custom_facts(ticket, policies.custom_fields))
        self._shared = not policies.selection_fields & TRIGGER_INPUTS
        self._clocks: _Clocks | None = None

    def result(self, *, signals: Iterable[str] = (), risk: float | None = None) -> SlaResult:
        policies, ticket, history, now = self.policies, self.ticket, self._history, self.now
        facts = {**self._facts, "signals": frozenset(signals), "risk": risk}
        clocks = self._clocks if self._shared else None
        if clocks is None:
            clocks = self._clocks = self._clocks_for(facts)
        policy, priority, outcomes = clocks.policy, clocks.priority, clocks.outcomes
        facts["priority"] = priority
        due = [a for o in outcomes for a in o.due]
        upcoming = [a for o in outcomes for a in o.upcoming]
        trigger_level = 0
        if clocks.status not in ENDED:  # a solved or withdrawn ticket asks nothing more of anyone
            rule_actions, trigger_level = _rule_actions(policies, history, facts, clocks.auto, now)
            due += rule_actions
        upcoming.sort(key=lambda a: a.at)
        wakes = [a.at for a in upcoming] + [from_us(o.wake) for o in outcomes if o.wake is not None]
        targets = tuple(o.status for o in outcomes)
        return SlaResult(
            ticket_id=ticket.ticket_id,
            evaluated_at=now,
            policy=policy.name if policy else None,
            priority=priority,
            targets=targets,
            escalation_level=max([trigger_level, *(t.escalation_level for t in targets)]),
            actions=tuple(due),
            upcoming=tuple(upcoming),
            next_due_at=min(wakes) if wakes else None,
            policy_version=policy.version if policy else "",
            calendar_version=policy.calendar.version if policy else "",
            policies_version=policies.version,
            matched=tuple(explain_match(policy.spec.when, facts, policies.fields)) if policy else (),
        )

    def _clocks_for(self, facts: dict[str, Any]) -> _Clocks:
        policies, ticket, history = self.policies, self.ticket, self._history
        auto = _auto_priority(policies, facts, ticket.priority)
        selections = select_over_time(policies, history, facts, auto[1] if auto else ticket.priority)
        _, policy, priority = selections[-1]
        clocks_by_policy: dict[int, Clocks] = {}
        outcomes: list[TargetOutcome] = []
        ctx = context(ticket.ticket_id, self._now_us, history.assignee, history.team)
        for kind in TARGETS:
            outcome = _evaluate_kind(kind, history, selections, clocks_by_policy, ctx)
            if outcome is not None:
                outcomes.append(outcome)
        status = _current_status(history, policy, clocks_by_policy)
        return _Clocks(auto, policy, priority, tuple(outcomes), status)


def ticket_facts(history: History, signals: Iterable[str] = (), risk: float | None = None) -> dict[str, Any]:
    """What conditions can look at. Text is case-folded once here, so conditions need not."""
    t = history.ticket
    subject, body = t.subject.casefold(), history.body.casefold()
    return {
        "priority": t.priority,
        "channel": t.channel.value,
        "customer_id": t.customer_id,
        "customer_tier": t.customer_tier,
        "customer_value": t.customer_value,
        "product": t.product,
        "category": t.category,
        "team": history.team,
        "language": t.language,
        "assignee": history.assignee,
        "subject": subject,
        "body": body,
        "text": f"{subject}\n{body}",
        "customer_text": "\n".join(history.customer_text).casefold(),
        "signals": frozenset(signals),
        "risk": risk,
    }


def select_over_time(
    policies: PolicySet, history: History, facts: dict[str, Any], initial: Priority
) -> list[Selection]:
    """The policy in force from creation on, re-selected at each priority change or team transfer."""
    priority, team = initial, history.ticket.team
    policy = policies.select({**facts, "priority": priority, "team": team})
    selections: list[Selection] = [(history.created, policy, priority)]
    for at, new_priority, new_team in history.changes:
        priority, team = new_priority or priority, new_team or team
        policy = policies.select({**facts, "priority": priority, "team": team})
        if policy is not selections[-1][1] or priority is not selections[-1][2]:
            selections.append((at, policy, priority))
    return selections


def _evaluate_kind(
    kind: TargetKind,
    history: History,
    selections: list[Selection],
    clocks_by_policy: dict[int, Clocks],
    ctx: Context,
) -> TargetOutcome | None:
    """The target's latest cycle, with the verdicts of its earlier ones counted in (`earlier_met`,
    `earlier_failed`): a reopen or a next customer message starts a new cycle, and the old verdict stands."""
    current = selections[-1][1]
    if current is None:
        return None
    cycles: list[Cycle] = getattr(_clocks(current, history, clocks_by_policy), kind.value)
    if not cycles:
        return None
    outcome = _judge(kind, cycles[-1], True, history, selections, clocks_by_policy, ctx)
    if outcome is None or len(cycles) == 1:
        return outcome
    met = failed = 0
    for cycle in cycles[:-1]:
        earlier = _judge(kind, cycle, False, history, selections, clocks_by_policy, ctx)
        state = earlier.status.state if earlier is not None else None
        met += state is TargetState.MET
        failed += state in FAILED
    outcome.status = replace(outcome.status, earlier_met=met, earlier_failed=failed)
    return outcome


def _judge(
    kind: TargetKind,
    cycle: Cycle,
    latest: bool,
    history: History,
    selections: list[Selection],
    clocks_by_policy: dict[int, Clocks],
    ctx: Context,
) -> TargetOutcome | None:
    # A cycle is judged by the policy in force when it ended (fulfilled) or, if open, by today's.
    at = cycle.stop if cycle.stop is not None else ctx.now
    since, policy, priority = selections[bisect_right(selections, at, key=lambda s: s[0]) - 1]
    if policy is None:
        return None
    clocks = _clocks(policy, history, clocks_by_policy)
    if policy is not selections[-1][1]:  # that policy's own cycles (its reopen rule may differ)
        own: list[Cycle] = getattr(clocks, kind.value)
        cycle = own[-1] if latest else next((c for c in own if c.start == cycle.start), cycle)
    budget = policy.budgets[kind].get(priority)
    if budget is None:
        return None  # the policy sets no such target for this priority
    return evaluate_target(ctx, kind, cycle, clocks.pauses, policy, priority, budget, since)


def _clocks(policy: CompiledPolicy, history: History, cache: dict[int, Clocks]) -> Clocks:
    clocks = cache.get(id(policy))
    if clocks is None:
        clocks = derive_clocks(history, policy.pause_statuses, policy.spec.customer_message_resumes)
        cache[id(policy)] = clocks
    return clocks


def _current_status(
    history: History, policy: CompiledPolicy | None, cache: dict[int, Clocks]
) -> TicketStatus:
    if policy is not None and id(policy) in cache:
        return cache[id(policy)].status
    return derive_clocks(history, frozenset(), True).status


def _auto_priority(
    policies: PolicySet, facts: dict[str, Any], current: Priority
) -> tuple[CompiledRule, Priority] | None:
    for rule in policies.auto_priority:
        if rule.matches(facts):
            wanted: Priority = rule.spec.set_priority  # type: ignore[union-attr]
            lower_ok = rule.spec.allow_lower  # type: ignore[union-attr]
            if wanted.rank > current.rank or (lower_ok and wanted.rank < current.rank):
                return rule, wanted
            return None  # first match wins, even when it changes nothing
    return None


def _rule_actions(
    policies: PolicySet,
    history: History,
    facts: dict[str, Any],
    auto: tuple[CompiledRule, Priority] | None,
    now: datetime,
) -> tuple[list[Action], int]:
    """Re-prioritisation, functional routing and immediate triggers: due when their conditions hold."""
    tid, actions, level = history.ticket.ticket_id, [], 0
    if auto is not None and not history.priority_changed:  # a person's choice of priority wins
        rule, priority = auto
        actions.append(
            Action(
                action_id=action_id(tid, "reprioritise", rule.name, priority.value, rule.version),
                kind=ActionKind.REPRIORITISE,
                at=now,
                to=Recipient("team", history.team),
                reason=f"automatic prioritisation rule {rule.name!r}",
                priority=priority,
                rule=rule.name,
                policy_version=rule.version,
                dedup_key=action_id(tid, "reprioritise", rule.name, priority.value),
            )
        )
    route = next((r for r in policies.routing if r.matches(facts)), None)
    team = route.spec.team if route else None  # type: ignore[union-attr]
    if route and team != history.team and not history.team_changed:  # a person's transfer wins
        actions.append(
            Action(
                action_id=action_id(tid, "route", route.name, team, route.version),
                kind=ActionKind.ROUTE,
                at=now,
                to=Recipient("team", team),
                team=team,
                reason=f"routing rule {route.name!r}: the team with the expertise",
                escalation_type=EscalationType.FUNCTIONAL,
                rule=route.name,
                policy_version=route.version,
                dedup_key=action_id(tid, "route", route.name, team),
            )
        )
    for trigger in policies.triggers:
        if trigger.matches(facts):
            spec = trigger.spec
            whom = Recipient(spec.to.kind, spec.to.name)  # type: ignore[union-attr]
            if whom.kind == "manager":
                whom = Recipient("manager", history.assignee)
            elif whom.kind == "team_lead":
                whom = Recipient("team_lead", history.team)
            actions.append(
                Action(
                    action_id=action_id(tid, "trigger", trigger.name, trigger.version),
                    kind=ActionKind.ESCALATE,
                    at=now,
                    to=whom,
                    level=spec.level,  # type: ignore[union-attr]
                    reason=f"immediate trigger {trigger.name!r}",
                    escalation_type=spec.type,  # type: ignore[union-attr]
                    rule=trigger.name,
                    trigger=True,
                    policy_version=trigger.version,
                    dedup_key=action_id(tid, "trigger", trigger.name, spec.level),  # type: ignore[union-attr]
                )
            )
            level = max(level, spec.level)  # type: ignore[union-attr]
    return actions, level
