"""The decision: risk band, recommended action and escalation type, from the rules' result and the
model's early warning. Thresholds come from the model's alert threshold (chosen in training for the
alert budget); with no model the band comes from the SLA state alone."""

from __future__ import annotations

from dataclasses import dataclass

from core.assessment import RecommendedAction, Thresholds
from core.enums import Band, EscalationType
from core.sla import Action, ActionKind, SlaResult, TargetState


@dataclass(frozen=True, slots=True)
class Bands:
    """low < medium <= risk < high <= risk < critical <= risk. `high` is the model's alert threshold
    (the top budget share of active tickets a day); medium is half of it; critical halfway to 1."""

    medium: float
    high: float
    critical: float

    def band(self, risk: float) -> Band:
        if risk >= self.critical:
            return Band.CRITICAL
        if risk >= self.high:
            return Band.HIGH
        return Band.MEDIUM if risk >= self.medium else Band.LOW

    def thresholds(self) -> Thresholds:
        return Thresholds(
            medium=round(self.medium, 6), high=round(self.high, 6), critical=round(self.critical, 6)
        )


def bands_for(threshold: float) -> Bands:
    return Bands(medium=threshold / 2, high=threshold, critical=threshold + (1 - threshold) / 2)


def rules_band(sla: SlaResult) -> Band:
    """The SLA state's own urgency: breached or escalated is high, level 2+ critical, reminder medium."""
    breached = any(t.state is TargetState.BREACHED for t in sla.targets)
    if sla.escalation_level >= 2:
        return Band.CRITICAL
    if breached or sla.escalation_level >= 1:
        return Band.HIGH
    return Band.MEDIUM if any(a.kind is ActionKind.REMINDER for a in sla.actions) else Band.LOW


def higher(a: Band, b: Band) -> Band:
    return a if a.rank >= b.rank else b


_ORDER = {ActionKind.ESCALATE: 0, ActionKind.REPRIORITISE: 1, ActionKind.ROUTE: 2, ActionKind.REMINDER: 3}


def recommend(sla: SlaResult, model_band: Band | None, risk: float | None, team: str) -> RecommendedAction:
    """One recommended action in words, combining the actions the rules have due and the model's warning."""
    due = sorted(sla.actions, key=lambda a: (_ORDER[a.kind], -(a.level or 0)))
    parts = [_words(a) for a in due]
    primary = due[0] if due else None
    warning = model_band in (Band.HIGH, Band.CRITICAL) and (
        primary is None or primary.kind is not ActionKind.ESCALATE
    )
    if warning:
        level = min(sla.escalation_level + 1, 4)
        parts.insert(
            0,
            (
                f"escalate early to level {level}: team lead of {team} (risk {risk:.0%}, {model_band})"
                if model_band == "critical"
                else f"review now with the team lead of {team}: early warning (risk {risk:.0%})"
            ),
        )
    if not parts:
        return RecommendedAction(
            kind="none", text="no action needed", escalation_type=None, level=None, to=None, source="none",
            action_ids=[],
        )
    if warning and (primary is None or primary.kind is ActionKind.REMINDER):
        kind = "escalate" if model_band == "critical" else "review"
        etype: EscalationType | None = EscalationType.HIERARCHICAL
        level_out: int | None = min(sla.escalation_level + 1, 4)
        to: str | None = f"team_lead {team}"
        source = "model" if primary is None else "rules+model"
    else:
        assert primary is not None  # parts is non-empty and no warning came first
        kind, etype, level_out, to = primary.kind.value, _type_of(primary), primary.level, str(primary.to)
        source = "rules+model" if model_band in (Band.HIGH, Band.CRITICAL) else "rules"
    return RecommendedAction(
        kind=kind, text="; ".join(parts), escalation_type=etype, level=level_out, to=to, source=source,
        action_ids=[a.action_id for a in due],
    )


def _type_of(action: Action) -> EscalationType | None:
    if action.escalation_type is not None:
        return action.escalation_type
    return EscalationType.FUNCTIONAL if action.kind is ActionKind.ROUTE else None


def _words(a: Action) -> str:
    if a.kind is ActionKind.ESCALATE:
        return f"escalate now to level {a.level}: {a.to} ({a.reason})"
    if a.kind is ActionKind.REPRIORITISE:
        return f"raise priority to {a.priority.value if a.priority else '?'} ({a.reason})"
    if a.kind is ActionKind.ROUTE:
        return f"route to the {a.team} team ({a.reason})"
    return f"remind {a.to}: {a.reason}"
