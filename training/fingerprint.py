"""Content hashes: of a history (logged with every run, keys the feature-frame cache) and of text analyses."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from core.text import MessageAnalysis
from features.history import TicketHistory
from features.model.metadata import DataFingerprint


def fingerprint(history: TicketHistory) -> DataFingerprint:
    """Content hash, size and date range of the history a model was trained on."""
    digest = hashlib.sha256()
    for frame in (history.tickets.reset_index(), history.events):
        digest.update(pd.util.hash_pandas_object(frame.astype("str"), index=False).to_numpy().tobytes())
    created = history.tickets["created_at"]
    return DataFingerprint(
        sha256=digest.hexdigest(),
        tickets=len(history.tickets),
        events=len(history.events),
        first=created.min().isoformat(),
        last=created.max().isoformat(),
    )


def analyses_hash(analyses: Mapping[str, MessageAnalysis]) -> str:
    """'none' without analyses; otherwise a hash of every (event id, analysis), order-free, exact to the
    last digit of each score."""
    if not analyses:
        return "none"
    digest = hashlib.sha256()
    for event_id in sorted(analyses):
        digest.update(event_id.encode())
        digest.update(json.dumps(_exact(analyses[event_id]), sort_keys=True).encode())
    return digest.hexdigest()


def _exact(analysis: MessageAnalysis) -> dict[str, Any]:
    """The analysis with its sentiment scores unrounded (`to_dict` rounds them): a frame cached under this
    hash was built from exactly these values, so a rounded twin never reads it."""
    found = analysis.to_dict()
    if analysis.sentiment is not None:
        found["sentiment"]["scores"] = {k.value: v for k, v in analysis.sentiment.scores.items()}
    return found


def examples_hash(examples: pd.DataFrame) -> str:
    keys = examples[["ticket_id", "at"]].astype("str")
    return hashlib.sha256(pd.util.hash_pandas_object(keys, index=False).to_numpy().tobytes()).hexdigest()
