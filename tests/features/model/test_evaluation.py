"""The test-period figures a model file carries (features/model/evaluation.py): written by training as the
JSON they were when they were a dict, read back typed, absent from a file made without them."""

from __future__ import annotations

from features.model.evaluation import Headline, ModelEvaluation

FIGURES = ModelEvaluation(
    target="escalation", horizon_hours=72.0, test_from="2026-04-01", test_to="2026-04-30", test_examples=1200,
    test_positives=150, budget=0.1, roc_auc=0.812, pr_auc=0.301, brier=0.091, first_event_roc_auc=None,
    precision_at_budget=0.31, recall_at_budget=0.42, lead_time_hours_median=18.5,
    baselines={"rules": Headline(0.561, 0.12), "logreg": Headline(roc_auc=None, pr_auc=0.27)},
)


def test_the_figures_go_into_the_metadata_as_json_and_come_back_typed() -> None:
    saved = FIGURES.to_dict()
    assert list(saved) == [
        "target", "horizon_hours", "test_from", "test_to", "test_examples", "test_positives", "budget",
        "roc_auc", "pr_auc", "brier", "first_event_roc_auc", "precision_at_budget", "recall_at_budget",
        "lead_time_hours_median", "baselines",
    ]
    assert saved["baselines"] == {"rules": {"roc_auc": 0.561, "pr_auc": 0.12},
                                  "logreg": {"roc_auc": None, "pr_auc": 0.27}}
    assert ModelEvaluation.of({"budget": 0.1, "evaluation": saved}) == FIGURES


def test_a_model_made_without_test_figures_has_none() -> None:
    assert ModelEvaluation.of({"budget": 0.1}) is None
