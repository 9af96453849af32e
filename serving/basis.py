"""`assessment_basis`: what makes two assessments the same — the store records one per basis."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from core.assessment import TicketAssessment
from core.tickets import Event


def assessment_basis(events: Sequence[Event], body: TicketAssessment) -> str:
    """The inputs of an assessment: the events (whatever their batching) and the versions that judged them.
    An event is named by its id: the store keeps one content per id (another content is a 409), so the set
    of ids fixes the set of events — hashing ids keeps this cheap on a ticket with hundreds of events."""
    ids = sorted(e.event_id for e in events)
    versions = [body.model_version, body.policy_version, body.sentiment_version]
    return hashlib.sha256(json.dumps([ids, versions]).encode()).hexdigest()
