"""`assessment_basis`: what makes two assessments the same — the store records one per basis."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from core.tickets import Event
from serving.store.codec import event_payload


def assessment_basis(events: Sequence[Event], body: dict[str, Any]) -> str:
    """The inputs of an assessment: the events (whatever their batching) and the versions that judged them."""
    payloads = sorted(json.dumps(event_payload(e), sort_keys=True) for e in events)
    versions = [body["model_version"], body["policy_version"], body["sentiment_version"]]
    return hashlib.sha256(json.dumps([payloads, versions]).encode()).hexdigest()
