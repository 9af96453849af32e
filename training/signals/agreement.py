"""How far two readers of the same messages agree on the nine signals: the ceiling a model's figures are read
against. A model scored against one reader's labels cannot be expected to agree with them much more than a
second careful reader does (docs/signals.md, *How far two readers agree*)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score

from training.signals.data import SIGNALS, read_messages
from training.signals.evaluate import MIN_CASES


@dataclass(frozen=True)
class SignalAgreement:
    signal: str
    first: int  # the first reader's positives among the paired messages
    second: int  # the second reader's
    f1: float | None  # the second reader against the first (symmetric); None where neither found it
    kappa: float  # Cohen's kappa; 1.0 where both readers found nothing


@dataclass(frozen=True)
class Agreement:
    paired: int  # messages in both files (by text, whitespace collapsed)
    unpaired: int  # messages in one file only, left out
    signals: tuple[SignalAgreement, ...]  # the signals both files label

    @property
    def macro_f1(self) -> float | None:
        """Over the signals with at least MIN_CASES positives for the first reader, as `evaluate-text`
        counts a model's macro-F1 against them."""
        counted = [s.f1 for s in self.signals if s.first >= MIN_CASES and s.f1 is not None]
        return float(np.mean(counted)) if counted else None


def agreement(first: Path, second: Path) -> Agreement:
    """Pair the two files' messages by text and compare their signal labels. Raises LabelledDataError
    naming every bad row of either file."""
    a = read_messages([first]).drop_duplicates("text").set_index("text")
    b = read_messages([second]).drop_duplicates("text").set_index("text")
    common = a.index.intersection(b.index)
    signals = []
    for signal in SIGNALS:
        x, y = a.loc[common, signal].to_numpy(), b.loc[common, signal].to_numpy()
        known = ~(np.isnan(x) | np.isnan(y))
        if not known.any():
            continue
        x, y = x[known].astype(int), y[known].astype(int)
        found = bool(x.any() or y.any())
        kappa = float(cohen_kappa_score(x, y)) if len(set(x) | set(y)) > 1 else 1.0
        f1 = float(f1_score(x, y)) if found else None
        signals.append(SignalAgreement(signal, int(x.sum()), int(y.sum()), f1, kappa))
    return Agreement(len(common), len(a) + len(b) - 2 * len(common), tuple(signals))
