"""A manager's verdict on a warning: the feedback the API and the dashboard record (POST /v1/feedback), and
the feedback file of a history that `escalation export-history` writes and `escalation train` reads
(data/README.md, "Feedback")."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from core.bounds import Id, Note, OptionalName
from core.tickets import Instant


class Verdict(StrEnum):
    USEFUL = "useful"
    FALSE_ALARM = "false_alarm"


class Feedback(BaseModel):
    """One verdict: on an alert (`alert_id`), on an assessment, or on the ticket's warning as shown.
    `team` is the team the alert counted for (the ticket's team when the verdict names no alert)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feedback_id: int
    ticket_id: Id
    team: OptionalName
    verdict: Verdict
    at: Instant
    alert_id: int | None = None
    assessment_id: int | None = None
    comment: Note | None = None
