"""SLA features, straight from the rules engine at t: the same `rules.evaluate` and the same business
calendar the SLA clocks run on, so "business hours" mean the same thing in features and deadlines."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from core.sla import SlaResult, TargetKind, TargetState
from core.tickets import Event, Ticket
from rules import BusinessCalendar, PolicySet, SlaEvaluation

HOUR = timedelta(hours=1)
BREACHED = frozenset({TargetState.BREACHED, TargetState.MISSED})
Values = dict[str, float | str | None]


def sla_state(
    policies: PolicySet, ticket: Ticket, events: Sequence[Event], at: datetime,
    evaluation: SlaEvaluation | None = None,
) -> tuple[SlaResult, BusinessCalendar | None]:
    """The engine's result at `at` and the calendar of the policy in force (None: no policy matched).
    No signals or risk are passed: those feed immediate triggers, and a feature must not depend on
    the model it feeds. `evaluation`: the caller's, of the same ticket, events and instant (serving
    evaluates once a request); None: evaluated here."""
    result = (evaluation or SlaEvaluation(policies, ticket, events, at)).result()
    calendar = policies.policy(result.policy).calendar if result.policy is not None else None
    return result, calendar


def sla_features(result: SlaResult) -> Values:
    out: Values = {"sla_policy": result.policy, "sla_escalation_level": float(result.escalation_level)}
    for kind in TargetKind:
        status = result.target(kind)
        prefix = f"sla_{kind.value}"
        if status is None:  # no such target for this policy and priority
            out.update({f"{prefix}_remaining_business_hours": math.nan, f"{prefix}_used_share": math.nan,
                        f"{prefix}_breached": math.nan})
            continue
        budget = status.budget / HOUR
        out[f"{prefix}_remaining_business_hours"] = status.remaining / HOUR
        out[f"{prefix}_used_share"] = (status.elapsed / HOUR) / budget if budget > 0 else math.nan
        out[f"{prefix}_breached"] = float(status.state in BREACHED)
    return out


def business_hours(calendar: BusinessCalendar | None, start: datetime, end: datetime) -> float:
    """Open time of `calendar` in [start, end), in hours; NaN without a calendar."""
    if calendar is None:
        return math.nan
    return calendar.elapsed(start, end) / HOUR
