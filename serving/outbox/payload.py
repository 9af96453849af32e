"""`WritebackPayload`: what a `writeback` delivery writes back to a helpdesk ticket, stored as the outbox
row's JSON payload (the keys and their order are those of rows written before: they are read back)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.enums import Band


@dataclass(frozen=True)
class WritebackPayload:
    helpdesk: str  # zendesk, freshdesk, zammad
    ticket: int  # the ticket's number at its helpdesk
    risk_percent: int | None
    band: Band
    previous_band: Band | None
    note: str | None  # posted on the ticket when its band rose, None: none
    assessment_id: int | None = None  # the store adds it when it enqueues the delivery

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "helpdesk": self.helpdesk, "ticket": self.ticket, "risk_percent": self.risk_percent,
            "band": self.band.value,
            "previous_band": self.previous_band.value if self.previous_band else None, "note": self.note}
        if self.assessment_id is not None:
            out["assessment_id"] = self.assessment_id
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WritebackPayload:
        previous, assessment = data.get("previous_band"), data.get("assessment_id")
        return cls(helpdesk=str(data["helpdesk"]), ticket=int(data["ticket"]),
                   risk_percent=data.get("risk_percent"), band=Band(data["band"]),
                   previous_band=Band(previous) if previous else None,
                   note=data.get("note"), assessment_id=int(assessment) if assessment is not None else None)

    def same_on_the_ticket(self, other: WritebackPayload) -> bool:
        """Writing `other` after this would change nothing on the ticket: no note, the same rounded risk and
        band."""
        return not other.note and (self.helpdesk, self.risk_percent, self.band) == \
            (other.helpdesk, other.risk_percent, other.band)
