"""Test-period metrics: ranking (ROC-AUC, PR-AUC), calibration (Brier), the alert budget and lead time.

The alert budget is what a manager can review: the top `budget` share of the tickets active on a day
(tickets with at least one example that day), ranked by their highest score that day. A ticket-day is
positive when any of its examples that day is.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

LEAD_BINS_H = (0, 1, 4, 12, 24, 48, 72, math.inf)


def score_metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, float | None]:
    """ROC-AUC, PR-AUC (average precision) and Brier; AUCs are None when only one class is present."""
    labels, scores = np.asarray(labels, dtype="int64"), np.asarray(scores, dtype="float64")
    both = 0 < labels.sum() < len(labels)
    return {
        "roc_auc": float(roc_auc_score(labels, scores)) if both else None,
        "pr_auc": float(average_precision_score(labels, scores)) if both else None,
        "brier": float(brier_score_loss(labels, np.clip(scores, 0, 1))) if len(labels) else None,
        "positive_rate": float(labels.mean()) if len(labels) else None,
    }


def ticket_days(examples: pd.DataFrame, scores: np.ndarray) -> pd.DataFrame:
    """One row per (day, ticket): the highest score and whether any example was positive."""
    frame = pd.DataFrame(
        {
            "day": examples["at"].dt.floor("D").to_numpy(),
            "ticket_id": examples["ticket_id"].to_numpy(),
            "score": scores,
            "label": examples["label"].to_numpy(dtype=bool),
        }
    )
    return (
        frame.groupby(["day", "ticket_id"], observed=True, sort=True)
        .agg(score=("score", "max"), label=("label", "any"))
        .reset_index()
    )


def budget_metrics(examples: pd.DataFrame, scores: np.ndarray, budget: float) -> dict[str, float | None]:
    """Precision and recall when each day the top `budget` share of active tickets is alerted."""
    days = ticket_days(examples, scores)
    days["rank"] = days.groupby("day")["score"].rank(method="first", ascending=False)
    size = days.groupby("day")["ticket_id"].transform("size")
    alerted = days["rank"] <= np.ceil(budget * size)
    hits, positives = int((alerted & days["label"]).sum()), int(days["label"].sum())
    return {
        "precision_at_budget": hits / int(alerted.sum()) if alerted.any() else None,
        "recall_at_budget": hits / positives if positives else None,
        "alerts_per_day": float(alerted.groupby(days["day"]).sum().mean()) if len(days) else None,
    }


def choose_threshold(examples: pd.DataFrame, scores: np.ndarray, budget: float) -> float:
    """The score above which about `budget` of the active ticket-days alert (chosen on validation)."""
    days = ticket_days(examples, scores)
    return float(np.quantile(days["score"].to_numpy(), 1 - budget, method="higher"))


def threshold_metrics(
    examples: pd.DataFrame, scores: np.ndarray, threshold: float
) -> dict[str, float | None]:
    """What the saved threshold does on ticket-days: alert rate, precision, recall."""
    days = ticket_days(examples, scores)
    alerted = days["score"] >= threshold
    hits, positives = int((alerted & days["label"]).sum()), int(days["label"].sum())
    return {
        "alert_rate": float(alerted.mean()) if len(days) else None,
        "precision": hits / int(alerted.sum()) if alerted.any() else None,
        "recall": hits / positives if positives else None,
    }


def first_event_metrics(examples: pd.DataFrame, scores: np.ndarray) -> dict[str, float | None]:
    """ROC-AUC and PR-AUC of each ticket's first example only: the "at open" prediction."""
    first = examples["first"].to_numpy(dtype=bool)
    found = score_metrics(examples["label"].to_numpy()[first], scores[first])
    return {"roc_auc": found["roc_auc"], "pr_auc": found["pr_auc"], "rows": int(first.sum())}


@dataclass(frozen=True, slots=True)
class LeadTimes:
    """Hours from the first alert to the escalation, over the escalations in the test period (`caught`:
    alerted before they happened). `note`: why there are none (an outcome target has no instant)."""

    escalations: int = 0
    caught: int = 0
    median: float | None = None
    p10: float | None = None
    p25: float | None = None
    p75: float | None = None
    p90: float | None = None
    mean: float | None = None
    histogram: dict[str, int] = field(default_factory=dict)  # caught escalations by LEAD_BINS_H
    note: str | None = None

    @property
    def caught_share(self) -> float | None:
        return self.caught / self.escalations if self.escalations else None

    def to_dict(self) -> dict[str, Any]:
        if self.note is not None:
            return {"median": None, "note": self.note}
        if not self.escalations:
            return {"median": None, "escalations": 0}
        return {"median": self.median, "p10": self.p10, "p25": self.p25, "p75": self.p75, "p90": self.p90,
                "mean": self.mean, "escalations": self.escalations, "caught": self.caught,
                "caught_share": self.caught_share, "histogram": dict(self.histogram)}


def lead_times(examples: pd.DataFrame, scores: np.ndarray, threshold: float) -> LeadTimes:
    """For each escalation with examples in its horizon: hours between the first example whose score
    crossed the threshold and the escalation. Escalations never crossed for are `missed`."""
    scored = examples.assign(score=np.asarray(scores, dtype="float64"))
    window = scored[scored["label"].to_numpy(dtype=bool) & scored["escalation_at"].notna().to_numpy()]
    if window.empty:
        return LeadTimes()
    crossed = window[window["score"] >= threshold]
    first = crossed.groupby(["ticket_id", "escalation_at"], observed=True)["at"].min()
    # both sides in UTC: with no example over the threshold, `first` is empty and its values lose their zone
    lead = pd.to_datetime(first.index.get_level_values("escalation_at"), utc=True) - pd.to_datetime(
        first.to_numpy(), utc=True
    )
    hours = np.asarray(lead / pd.Timedelta(hours=1), dtype="float64")
    total = int(window.groupby(["ticket_id", "escalation_at"], observed=True).ngroups)
    counts, _ = (
        np.histogram(hours, bins=LEAD_BINS_H) if len(hours) else (np.zeros(len(LEAD_BINS_H) - 1), None)
    )
    labels = [
        f"{lo:g}-{hi:g}h" if hi != math.inf else f">{lo:g}h" for lo, hi in itertools.pairwise(LEAD_BINS_H)
    ]

    def q(p: float) -> float | None:
        return float(np.quantile(hours, p)) if len(hours) else None

    return LeadTimes(
        escalations=total,
        caught=len(hours),
        median=q(0.5),
        p10=q(0.1),
        p25=q(0.25),
        p75=q(0.75),
        p90=q(0.9),
        mean=float(hours.mean()) if len(hours) else None,
        histogram=dict(zip(labels, (int(c) for c in counts), strict=True)),
    )
