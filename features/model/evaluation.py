"""A model's test-period figures, saved in its file's metadata (`evaluation`) by `escalation train`, so that
whoever serves the model can show how good it was (the dashboard's KPI page) without the MLflow run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Headline:
    """A baseline's figures on the same test period."""

    roc_auc: float | None
    pr_auc: float | None


@dataclass(frozen=True, slots=True)
class ModelEvaluation:
    target: str  # what the model predicts (escalation, or an outcome column)
    horizon_hours: float
    test_from: str  # the test period, ISO 8601
    test_to: str
    test_examples: int
    test_positives: int
    budget: float  # the share of tickets the alert threshold was chosen to flag
    roc_auc: float | None  # None: undefined on the test period (one class only)
    pr_auc: float | None
    brier: float | None
    first_event_roc_auc: float | None  # each ticket's first example only: the "at open" prediction
    precision_at_budget: float | None
    recall_at_budget: float | None
    lead_time_hours_median: float | None
    baselines: dict[str, Headline]  # "rules", "logreg"

    def to_dict(self) -> dict[str, Any]:
        """The metadata's JSON, fields in this order."""
        return asdict(self)

    @classmethod
    def of(cls, metadata: Mapping[str, Any]) -> ModelEvaluation | None:
        """The evaluation a model file's metadata holds; None when it holds none (made before training saved
        it, or by hand). KeyError or TypeError when it is damaged (the model loader names the file)."""
        data = metadata.get("evaluation")
        if data is None:
            return None
        if not isinstance(data, Mapping):
            raise TypeError(f"evaluation is a {type(data).__name__}, not an object")
        baselines = {name: Headline(b["roc_auc"], b["pr_auc"]) for name, b in data["baselines"].items()}
        return cls(**{**data, "baselines": baselines})
