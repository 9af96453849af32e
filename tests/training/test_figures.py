"""The test-period figures, one type for the training report and compare-models: read by attribute, written
as the report's JSON always was (the order of its keys, no Brier score for the rules' levels)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from training.bootstrap import Difference
from training.compare import Compared, Comparison, comparison_table
from training.figures import headline_of, score_figures


def _test() -> pd.DataFrame:
    return pd.DataFrame({
        "ticket_id": ["a", "b", "c", "d", "a", "b"],
        "at": pd.to_datetime(["2024-01-01T09:00Z"] * 4 + ["2024-01-02T09:00Z"] * 2),
        "label": [True, False, False, False, False, True],
        "first": [True, True, True, True, False, False],
        "score": [0.9, 0.8, 0.1, 0.2, 0.7, 0.3],
        "rules": [3.0, 1.0, 0.0, 0.0, 2.0, 1.0],
    })


def test_figures_are_attributes_and_keep_the_reports_keys_in_order() -> None:
    found = score_figures(_test(), "score", budget=0.25)
    assert (found.precision_at_budget, found.recall_at_budget, found.alerts_per_day) == (0.5, 0.5, 1.0)
    assert found.first_event.rows == 4 and found.first_event.roc_auc == 1.0
    assert list(found.to_dict()) == ["roc_auc", "pr_auc", "brier", "positive_rate", "precision_at_budget",
                                     "recall_at_budget", "alerts_per_day", "first_event"]
    assert found.to_dict()["first_event"] == {"roc_auc": 1.0, "pr_auc": 1.0, "rows": 4}


def test_scores_that_are_no_probability_have_no_brier_score() -> None:
    levels = score_figures(_test(), "rules", budget=0.25, probability=False)
    assert levels.brier is None and "brier" not in levels.to_dict()
    assert levels.roc_auc is not None


def test_headline_is_three_figures() -> None:
    test = _test()
    found = headline_of(test, test["score"].to_numpy())
    assert found.to_dict() == {"roc_auc": found.roc_auc, "pr_auc": found.pr_auc, "first_event_roc_auc": 1.0}


def test_comparison_table_reads_both_models_figures() -> None:
    test = _test()
    better = score_figures(test, "score", 0.25)
    worse = score_figures(test.assign(score=np.linspace(0, 1, 6)), "score", 0.25)
    diff = Difference(a=worse.pr_auc or 0.0, b=better.pr_auc or 0.0, low=0.1, high=0.3, level=0.95,
                      resamples=50, tickets=4)
    table = comparison_table(Comparison("2024-01-01 00:00:00 UTC", 6, 2, Compared("1", worse),
                                        Compared("2", better), diff, "verdict: challenger v2"))
    lines = table.splitlines()
    assert lines[0] == "test period from 2024-01-01 00:00:00 UTC: 6 examples, 2 positive"
    assert "champion v1" in lines[1] and "challenger v2" in lines[1]
    pr = next(line for line in lines if line.startswith("PR-AUC"))
    assert pr.split()[1:] == [f"{worse.pr_auc:.3f}", f"{better.pr_auc:.3f}"]
    assert lines[-1] == "verdict: challenger v2"
