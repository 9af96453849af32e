"""What training records about a model (features/model/metadata.py), for tests that build a model by hand:
plausible values, any of them changed by keyword."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from features.model.metadata import ModelMetadata


def model_metadata(**changes: Any) -> ModelMetadata:
    card = ModelMetadata(
        target="escalation@72h", target_kind="escalation", target_column=None, escalation_types=(),
        horizon_hours=72.0, budget=0.1, calibration="isotonic", best_iteration=10, seed=42, every_event=True,
        examples="events", ticket_features=(), feature_spec_version=1, policies_version="0123456789ab",
        text_analyses=None, train_from="2026-01-01", valid_from="2026-03-01", test_from="2026-04-01",
        test_to="2026-04-30",
    )
    return replace(card, **changes)
