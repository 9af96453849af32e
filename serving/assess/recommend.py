"""The one next step for a ticket, from the actions the rules have due and the model's warning:

1. an escalation is due: the highest level due, to the person the policy names for it — or, when that level
   is below the ticket's current level (a later level already reached), a follow-up at the current level;
2. the model warns (high or critical) and no escalation is due: review with the team lead (high) or
   escalate early one level up (critical);
3. re-prioritisation, then routing;
4. an SLA target is breached and nothing above applies (no escalation path): follow up with the team lead;
5. a reminder: the soonest deadline's;
6. else nothing is due.

One step, worded once; the other due actions travel in `others`, as history."""

from __future__ import annotations

from core.assessment import NextStep, RecommendedAction
from core.enums import Band, EscalationType
from core.sla import Action, ActionKind, SlaResult, TargetState
from serving.wording.actions import next_step
from serving.wording.clock import LANGUAGES

_WARNS = (Band.HIGH, Band.CRITICAL)


def recommend(
    sla: SlaResult, model_band: Band | None, risk: float | None, team: str
) -> RecommendedAction:
    due = sorted(sla.actions, key=lambda a: (a.at, a.action_id))
    chosen, step, etype = _choose(sla, due, model_band, risk, team)
    warned = model_band in _WARNS
    if chosen is None and step.kind in ("review", "escalate"):
        source = "model" if not due else "rules+model"
    elif step.kind == "none":
        source = "none"
    else:
        source = "rules+model" if warned else "rules"
    others = [next_step(_step_of(a, sla)) for a in due if a is not chosen]
    text = next_step(step)
    return RecommendedAction(
        kind=step.kind,
        text=text,
        texts={lang: next_step(step, lang) for lang in LANGUAGES},
        escalation_type=etype,
        level=step.level,
        to=str(chosen.to) if chosen is not None else _to(step),
        source=source,
        action_ids=[a.action_id for a in ([chosen] if chosen else []) + [a for a in due if a is not chosen]],
        others=[o for o in dict.fromkeys(others) if o != text],
        step=step,
    )


def _choose(
    sla: SlaResult, due: list[Action], model_band: Band | None, risk: float | None, team: str
) -> tuple[Action | None, NextStep, EscalationType | None]:
    current = sla.escalation_level
    escalations = [a for a in due if a.kind is ActionKind.ESCALATE]
    if escalations:
        top = max(escalations, key=lambda a: (a.level or 0, a.at))
        step = _step_of(top, sla)
        if (top.level or 0) < current:
            step = NextStep(kind="follow_up", level=current, who_kind=top.to.kind, who_name=top.to.name,
                            why=step.why, target=step.target, seconds=step.seconds, due_at=step.due_at,
                            name=step.name)
        return top, step, top.escalation_type
    if model_band in _WARNS:
        kind = "escalate" if model_band is Band.CRITICAL else "review"
        step = NextStep(kind=kind, level=min(current + 1, 4), who_kind="team_lead", who_name=team, why="risk",
                        risk=risk)
        return None, step, EscalationType.HIERARCHICAL
    for kind in (ActionKind.REPRIORITISE, ActionKind.ROUTE):
        found = next((a for a in due if a.kind is kind), None)
        if found is not None:
            etype = EscalationType.FUNCTIONAL if kind is ActionKind.ROUTE else found.escalation_type
            return found, _step_of(found, sla), etype
    breached = [t for t in sla.targets if t.state is TargetState.BREACHED]
    if breached:
        worst = max(breached, key=lambda t: t.breached_by.total_seconds() if t.breached_by else 0.0)
        seconds = worst.breached_by.total_seconds() if worst.breached_by else 0.0
        step = NextStep(kind="follow_up", level=current, who_kind="team_lead", who_name=team, why="overdue",
                        target=worst.target.value, seconds=seconds)
        return None, step, None
    reminders = [a for a in due if a.kind is ActionKind.REMINDER]
    if reminders:
        soonest = min(reminders, key=lambda a: _due_at_s(a, sla))
        return soonest, _step_of(soonest, sla), None
    return None, NextStep(kind="none"), None


def _step_of(a: Action, sla: SlaResult) -> NextStep:
    """One due action as a step, with why it is due."""
    why: dict[str, object] = {}
    if a.trigger:
        why = {"why": "trigger", "name": a.rule}
    elif a.target is not None:
        status = sla.target(a.target)
        if status is not None and status.state is TargetState.BREACHED and a.kind is ActionKind.ESCALATE:
            by = status.breached_by.total_seconds() if status.breached_by else 0.0
            why = {"why": "overdue", "target": a.target.value, "seconds": by}
        else:
            why = {"why": "due_in", "target": a.target.value, "seconds": _due_at_s(a, sla),
                   "due_at": status.due_at if status is not None else None}
    elif a.rule:
        why = {"why": "rule", "name": a.rule}
    kind = {ActionKind.ESCALATE: "escalate", ActionKind.REPRIORITISE: "reprioritise",
            ActionKind.ROUTE: "route", ActionKind.REMINDER: "reminder"}[a.kind]
    return NextStep(
        kind=kind, level=a.level, who_kind=a.to.kind, who_name=a.to.name,
        priority=a.priority.value if a.priority else None, team=a.team, **why,  # type: ignore[arg-type]
    )


def _due_at_s(a: Action, sla: SlaResult) -> float:
    """Wall-clock seconds from now to the deadline of the action's target (0 when unknown or past)."""
    status = sla.target(a.target) if a.target is not None else None
    if status is None or status.due_at is None:
        return 0.0
    return max(0.0, (status.due_at - sla.evaluated_at).total_seconds())


def _to(step: NextStep) -> str | None:
    if step.who_kind is None:
        return None
    return f"{step.who_kind} {step.who_name}" if step.who_name else step.who_kind
