"""Early-warning alerts: which alerts an assessment asks for (`alert_candidates`) and the per-team daily
budget they are held to (`alert_budget`). The store raises them: once per dedup key, not again within the
cool-down, and model-driven ones within their team's budget (serving/store/budget.py)."""

from __future__ import annotations

from core.enums import OPEN_STATUSES, Band
from core.settings import ServingSettings
from serving.assess import Assessment
from serving.store import AlertBudget, AlertCandidate

ALERT_BANDS = (Band.HIGH, Band.CRITICAL)


def alert_candidates(result: Assessment, previous_band: str | None) -> list[AlertCandidate]:
    """An alert when a ticket being worked on crosses into high/critical, and one for each immediate trigger
    fired. `previous_band`: the band the ticket last had while worked on (None: new, or done until now).
    A ticket solved, closed or withdrawn raises no band alert, however late: nobody is to act on it."""
    body = result.body
    out = []
    crossed = body.state.status in OPEN_STATUSES and body.band in ALERT_BANDS and (
        previous_band not in ALERT_BANDS or (previous_band == Band.HIGH and body.band is Band.CRITICAL)
    )
    if crossed:
        out.append(
            AlertCandidate(
                f"risk:{body.ticket_id}:{body.band}:{body.assessed_at.isoformat()}",
                "risk",
                body.band,
                body.risk,
                f"ticket entered {body.band}: {body.recommended_action.text}",
            )
        )
    out += [
        AlertCandidate(
            f"trigger:{a.action_id}", "trigger", body.band, body.risk, a.reason, bypass_cooldown=True,
            action_id=a.action_id,
        )
        for a in body.sla.actions_due
        if a.trigger
    ]
    return out


def alert_budget(settings: ServingSettings) -> AlertBudget | None:
    """The per-team daily alert budget from the settings; None when there is none at all."""
    if settings.alert_budget_per_team_per_day is None and not any(
        v is not None for v in settings.alert_budget_by_team.values()
    ):
        return None
    return AlertBudget(
        settings.alert_budget_per_team_per_day,
        dict(settings.alert_budget_by_team),
        settings.alert_budget_timezone,
    )
