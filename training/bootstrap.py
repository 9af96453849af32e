"""Is one model better than another on the same test examples, or is the difference noise? A paired bootstrap
of the PR-AUC difference that resamples whole tickets: a ticket's examples are correlated (the same
conversation scored at each event), so resampling examples one by one would make the interval too narrow.
Paired: each resample draws the same tickets for both models, so what they share cancels out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score

from core.bounds import RESAMPLES_MAX
from core.errors import ConfigError


@dataclass(frozen=True)
class Difference:
    a: float  # PR-AUC of model a on the examples as they are
    b: float
    low: float  # the `level` interval of b − a over the resamples
    high: float
    level: float
    resamples: int  # resamples with both classes (the others have no PR-AUC and are left out)
    tickets: int

    @property
    def diff(self) -> float:
        return self.b - self.a

    @property
    def within_noise(self) -> bool:
        return self.low <= 0.0 <= self.high


def paired_pr_auc(
    labels: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    tickets: pd.Series | np.ndarray,
    *,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> Difference:
    """PR-AUC of scores `a` and `b` of the same examples, and a percentile interval of b − a from
    `resamples` ticket resamples (a ticket drawn k times weighs its examples k times)."""
    labels = np.asarray(labels, dtype="int64")
    if not 0 < labels.sum() < len(labels):
        raise ConfigError("the test examples hold only one class: PR-AUC and its interval are undefined")
    if not 10 <= resamples <= RESAMPLES_MAX:
        raise ConfigError(f"--resamples must be between 10 and {RESAMPLES_MAX:,}, got {resamples:,}")
    codes, uniques = pd.factorize(pd.Series(np.asarray(tickets)), sort=True)
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(resamples):
        drawn = np.bincount(rng.integers(0, len(uniques), len(uniques)), minlength=len(uniques))
        weight = drawn[codes]
        positives = (weight * labels).sum()
        if positives == 0 or positives == weight.sum():
            continue
        diffs.append(
            average_precision_score(labels, b, sample_weight=weight)
            - average_precision_score(labels, a, sample_weight=weight)
        )
    if not diffs:
        raise ConfigError("no resample of the test tickets held both classes; compare on a longer history")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return Difference(
        float(average_precision_score(labels, a)),
        float(average_precision_score(labels, b)),
        float(low),
        float(high),
        level,
        len(diffs),
        len(uniques),
    )


def verdict(diff: Difference, a_name: str, b_name: str) -> str:
    """One line: which is better by PR-AUC, by how much, and whether the difference is within noise."""
    interval = (
        f"{diff.diff:+.3f}, {diff.level:.0%} interval {diff.low:+.3f} to {diff.high:+.3f}; paired bootstrap "
        f"over {diff.tickets:,} tickets, {diff.resamples:,} resamples"
    )
    figures = f"PR-AUC {diff.b:.3f} vs {diff.a:.3f} ({interval})"
    if diff.within_noise:
        return f"verdict: no clear winner — {b_name} {figures}: the interval holds 0, within noise"
    better, worse = (b_name, a_name) if diff.diff > 0 else (a_name, b_name)
    return f"verdict: {better} is better than {worse} — {b_name} {figures}: beyond noise"
