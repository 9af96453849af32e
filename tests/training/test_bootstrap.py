"""The compare-models verdict: a paired bootstrap over tickets of the PR-AUC difference."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import ConfigError
from training.bootstrap import Difference, paired_pr_auc, verdict


def scored(seed: int, tickets: int = 300) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three examples a ticket sharing its label; a signal the scores may or may not see."""
    rng = np.random.default_rng(seed)
    ticket = np.repeat(np.arange(tickets), 3)
    signal = np.repeat(rng.normal(size=tickets), 3)
    labels = (signal + rng.normal(scale=0.5, size=len(ticket)) > 1.0).astype("int64")
    return labels, signal, ticket


def test_a_clearly_better_model_is_named_beyond_noise() -> None:
    labels, signal, ticket = scored(1)
    rng = np.random.default_rng(2)
    weak = signal + rng.normal(scale=3.0, size=len(signal))
    strong = signal + rng.normal(scale=0.2, size=len(signal))
    diff = paired_pr_auc(labels, weak, strong, ticket, resamples=200)
    assert diff.b > diff.a and diff.low > 0 and not diff.within_noise
    assert diff.tickets == 300 and diff.resamples == 200
    line = verdict(diff, "champion v1", "challenger v2")
    assert line.startswith("verdict: challenger v2 is better than champion v1 — challenger v2 PR-AUC ")
    assert line.endswith("beyond noise")
    # swapped roles: the same interval mirrored, the champion named better
    back = paired_pr_auc(labels, strong, weak, ticket, resamples=200)
    assert back.high < 0
    assert verdict(back, "champion v1", "challenger v2").startswith(
        "verdict: champion v1 is better than challenger v2"
    )


def test_the_same_scores_are_within_noise_and_the_seed_repeats() -> None:
    labels, signal, ticket = scored(3)
    rng = np.random.default_rng(4)
    a = signal + rng.normal(scale=1.0, size=len(signal))
    b = a + rng.normal(scale=1e-3, size=len(a))  # the same model, up to rounding
    diff = paired_pr_auc(labels, a, b, ticket, resamples=200, seed=5)
    assert diff.within_noise and diff.low <= 0 <= diff.high
    assert paired_pr_auc(labels, a, b, ticket, resamples=200, seed=5) == diff
    assert "within noise" in verdict(diff, "champion v1", "challenger v2")


def test_resampling_tickets_not_examples_widens_the_interval() -> None:
    """Examples of one ticket are not independent: a per-example bootstrap would be too sure."""
    labels, signal, ticket = scored(6)
    rng = np.random.default_rng(7)
    # each model errs per ticket (its examples look alike to it), as real models do
    a = signal + np.repeat(rng.normal(scale=1.5, size=300), 3)
    b = signal + np.repeat(rng.normal(scale=1.0, size=300), 3)
    by_ticket = paired_pr_auc(labels, a, b, ticket, resamples=300)
    by_example = paired_pr_auc(labels, a, b, np.arange(len(labels)), resamples=300)
    assert by_ticket.high - by_ticket.low > by_example.high - by_example.low


def test_one_class_and_too_few_resamples_are_refused() -> None:
    ones = np.ones(6, dtype="int64")
    with pytest.raises(ConfigError, match="only one class"):
        paired_pr_auc(ones, ones * 0.5, ones * 0.5, np.arange(6))
    labels = np.array([0, 1, 0, 1])
    with pytest.raises(ConfigError, match="--resamples must be between 10 and 100,000, got 3"):
        paired_pr_auc(labels, labels * 1.0, labels * 1.0, np.arange(4), resamples=3)


def test_verdict_wording() -> None:
    diff = Difference(a=0.300, b=0.341, low=0.012, high=0.070, level=0.95, resamples=1000, tickets=412)
    assert verdict(diff, "champion v3", "challenger v7") == (
        "verdict: challenger v7 is better than champion v3 — challenger v7 PR-AUC 0.341 vs 0.300 "
        "(+0.041, 95% interval +0.012 to +0.070; paired bootstrap over 412 tickets, 1,000 resamples): "
        "beyond noise"
    )
