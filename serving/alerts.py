"""Early-warning alerts: which alerts an assessment asks for (`alert_candidates`). The store raises them:
once per dedup key and not again within the cool-down."""

from __future__ import annotations

from serving.assess import Assessment
from serving.store import AlertCandidate

ALERT_BANDS = ("high", "critical")


def alert_candidates(result: Assessment, previous_band: str | None) -> list[AlertCandidate]:
    """An alert when the ticket crosses into high/critical, and one for each immediate trigger fired."""
    body, tid = result.body, result.body["ticket_id"]
    out = []
    crossed = body["band"] in ALERT_BANDS and (
        previous_band not in ALERT_BANDS or (previous_band == "high" and body["band"] == "critical")
    )
    if crossed:
        out.append(
            AlertCandidate(
                f"risk:{tid}:{body['band']}:{body['assessed_at']}",
                "risk",
                body["band"],
                body["risk"],
                f"ticket entered {body['band']}: {body['recommended_action']['text']}",
            )
        )
    for a in body["sla"]["actions_due"]:
        if a["kind"] == "escalate" and a["rule"] and a["reason"].startswith("immediate trigger"):
            out.append(
                AlertCandidate(
                    f"trigger:{a['action_id']}",
                    "trigger",
                    body["band"],
                    body["risk"],
                    a["reason"],
                    bypass_cooldown=True,
                )
            )
    return out
