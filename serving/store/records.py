"""What the store gives back to a reader of a ticket's history, typed: an assessment with its id, and an
alert as raised (or suppressed by the team's budget). `to_json` is the API's rendering of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.assessment import TicketAssessment


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """One assessment as the store keeps it (its body is the JSON the API answered), with its id."""

    assessment_id: int
    body: TicketAssessment

    def to_json(self) -> dict[str, Any]:
        return {"assessment_id": self.assessment_id, **self.body.model_dump(mode="json")}


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """An alert: a band crossing (`risk`) or an immediate trigger (`trigger`: its dedup key names the action,
    'trigger:<action id>'); `status` raised or suppressed (the team's daily budget), and why."""

    alert_id: int
    dedup_key: str
    ticket_id: str
    kind: str  # risk | trigger
    band: str
    risk: float | None
    reason: str  # the engine's English note, for logs: pages word the typed fields
    raised_at: datetime
    cooldown_until: datetime
    team: str | None
    status: str  # raised | suppressed
    suppressed_reason: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id,
            "dedup_key": self.dedup_key,
            "ticket_id": self.ticket_id,
            "kind": self.kind,
            "band": self.band,
            "risk": self.risk,
            "reason": self.reason,
            "raised_at": self.raised_at.isoformat(),
            "cooldown_until": self.cooldown_until.isoformat(),
            "team": self.team,
            "status": self.status,
            "suppressed_reason": self.suppressed_reason,
        }
