"""The decision's bands, from the rules' result and the model's early warning (the next step:
`recommend`). Thresholds come from the model's alert threshold (chosen in training for the
alert budget); with no model the band comes from the SLA state alone."""

from __future__ import annotations

from dataclasses import dataclass

from core.assessment import Thresholds
from core.enums import Band
from core.sla import ActionKind, SlaResult, TargetState


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
