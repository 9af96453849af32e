"""The test-period figures of one set of scores — the trained model's, a baseline's, a compared model's —
typed once for the training report and compare-models alike; `to_dict` is their JSON in the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from training import metrics


@dataclass(frozen=True, slots=True)
class FirstEvent:
    """Each ticket's first example only: the "at open" prediction."""

    roc_auc: float | None
    pr_auc: float | None
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {"roc_auc": self.roc_auc, "pr_auc": self.pr_auc, "rows": self.rows}


@dataclass(frozen=True, slots=True)
class ScoreFigures:
    """Ranking, calibration and the alert budget (training/metrics.py). `brier` is None for scores that are
    no probability (the rules baseline's levels 0-4): its report leaves the key out."""

    roc_auc: float | None
    pr_auc: float | None
    brier: float | None
    positive_rate: float | None
    precision_at_budget: float | None
    recall_at_budget: float | None
    alerts_per_day: float | None
    first_event: FirstEvent

    def to_dict(self) -> dict[str, Any]:
        ranking: dict[str, Any] = {"roc_auc": self.roc_auc, "pr_auc": self.pr_auc}
        if self.brier is not None:
            ranking["brier"] = self.brier
        return {
            **ranking,
            "positive_rate": self.positive_rate,
            "precision_at_budget": self.precision_at_budget,
            "recall_at_budget": self.recall_at_budget,
            "alerts_per_day": self.alerts_per_day,
            "first_event": self.first_event.to_dict(),
        }


def score_figures(
    test: pd.DataFrame, column: str, budget: float, *, probability: bool = True
) -> ScoreFigures:
    """The figures of `test[column]` against `test["label"]`; `probability=False`: no Brier score."""
    scores = test[column].to_numpy(dtype="float64")
    found = metrics.score_metrics(test["label"].to_numpy(), scores)
    at_budget = metrics.budget_metrics(test, scores, budget)
    first = metrics.first_event_metrics(test, scores)
    return ScoreFigures(
        roc_auc=found["roc_auc"],
        pr_auc=found["pr_auc"],
        brier=found["brier"] if probability else None,
        positive_rate=found["positive_rate"],
        precision_at_budget=at_budget["precision_at_budget"],
        recall_at_budget=at_budget["recall_at_budget"],
        alerts_per_day=at_budget["alerts_per_day"],
        first_event=FirstEvent(first["roc_auc"], first["pr_auc"], int(first["rows"] or 0)),
    )


def headline_of(test: pd.DataFrame, scores: np.ndarray) -> HeadlineFigures:
    """ROC-AUC, PR-AUC and first-event ROC-AUC of `scores` (the refit's before and after)."""
    found = metrics.score_metrics(test["label"].to_numpy(), scores)
    first = metrics.first_event_metrics(test, scores)
    return HeadlineFigures(found["roc_auc"], found["pr_auc"], first["roc_auc"])


@dataclass(frozen=True, slots=True)
class HeadlineFigures:
    """Three figures to set side by side: the test period before and after the refit."""

    roc_auc: float | None
    pr_auc: float | None
    first_event_roc_auc: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"roc_auc": self.roc_auc, "pr_auc": self.pr_auc,
                "first_event_roc_auc": self.first_event_roc_auc}
