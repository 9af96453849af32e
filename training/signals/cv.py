"""Cross-validation of the learned signal head as it is served: each signal is what the phrase files find
(unless the head overrules the match: its phrase floor), or what the head finds where the phrase rules did
not drop it for its context (negated, the writer about themself, …), shouting from its surface rule — scored
per file with the macro-F1 `evaluate-text` reports, on training rows only. It is how the head's settings
were chosen (docs/signals.md, *Looking for a better head*):

    python bench/cv_signal_head.py --data split/en_support_tweets.train.csv ... --cache var/emb --C 4 --C 8

Out-of-fold probabilities come from one logistic regression per signal and fold on the head's own inputs
(`design_matrix`); the threshold that turns them into a signal for fold f is chosen on the other folds'
out-of-fold probabilities (best F1), and so is its phrase floor, so no row's figure saw its own label."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from core.text import SignalName
from features.text.ngrams import BucketIds
from features.text.signal_head import (
    LEARNED,
    PHRASES,
    SignalHead,
    binary_f1,
    design_matrix,
    phrase_floor,
)
from training.signals.evaluate import MIN_CASES

Bools = npt.NDArray[np.bool_]
_GRID = np.linspace(0.05, 0.95, 91)  # as SignalHead.fit


def fold_ids(n: int, folds: int, seed: int) -> npt.NDArray[np.int64]:
    """Each row's fold, a shuffle fixed by `seed`."""
    from sklearn.model_selection import KFold

    out = np.zeros(n, dtype=np.int64)
    for f, (_, held) in enumerate(KFold(folds, shuffle=True, random_state=seed).split(np.arange(n))):
        out[held] = f
    return out


def out_of_fold(
    E: npt.NDArray[np.floating],
    buckets: list[BucketIds],
    phrases: npt.NDArray[np.floating],
    Y: npt.NDArray[np.floating],
    folds: npt.NDArray[np.int64],
    *,
    C: float,
    phrase_weight: float,
    seed: int = 2017,
) -> npt.NDArray[np.float64]:
    """P(signal) per LEARNED column for each row, from a model that never saw the row's fold."""
    X = design_matrix(E, buckets, phrases, phrase_weight)
    head = SignalHead("cv", "cv", C=C, phrase_weight=phrase_weight, random_state=seed)
    P = np.zeros((len(Y), len(LEARNED)))
    for j in range(len(LEARNED)):
        y = np.asarray(Y[:, j], dtype=int)
        for f in np.unique(folds):
            train, held = folds != f, folds == f
            if y[train].sum() == 0:
                continue
            P[held, j] = head.model().fit(X[train], y[train]).predict_proba(X[held])[:, 1]
    return P


def cross_fitted(
    P: npt.NDArray[np.float64],
    Y: npt.NDArray[np.floating],
    folds: npt.NDArray[np.int64],
    phrases: npt.NDArray[np.floating],
) -> tuple[Bools, Bools]:
    """Per LEARNED column: P ≥ threshold, and whether a phrase match stands (P ≥ the phrase floor), the
    threshold and floor of fold f chosen on the other folds as `SignalHead.fit` chooses them."""
    learned = np.zeros(P.shape, dtype=bool)
    stands = np.zeros(P.shape, dtype=bool)
    for j, name in enumerate(LEARNED):
        y = np.asarray(Y[:, j], dtype=bool)
        hit = np.asarray(phrases[:, PHRASES.index(name)], dtype=bool)
        for f in np.unique(folds):
            held = folds == f
            t = float(max(_GRID, key=lambda t: binary_f1(y[~held], P[~held, j] >= t)))
            floor = phrase_floor(y[~held], P[~held, j], hit[~held], t)
            learned[held, j] = P[held, j] >= t
            stands[held, j] = P[held, j] >= floor
    return learned, stands


def served(learned: Bools, phrases: Bools, vetoed: Bools, stands: Bools | None = None) -> Bools:
    """What the analysis reports per PHRASES column (as `analysis._with_learned`): a phrase match where the
    head does not overrule it (`stands`, per LEARNED column; every match when None), the head's signal unless
    the phrase rules dropped that signal for its context; shouting by its rule."""
    out = np.asarray(phrases, dtype=bool).copy()
    for j, name in enumerate(LEARNED):
        k = PHRASES.index(name)
        if stands is not None:
            out[:, k] &= stands[:, j]
        out[:, k] |= learned[:, j] & ~np.asarray(vetoed[:, k], dtype=bool)
    return out


def macro_f1(
    truth: Bools, found: Bools, groups: Sequence[str]
) -> dict[str, tuple[float | None, dict[str, float]]]:
    """Per group (file): the macro-F1 over the PHRASES columns with at least MIN_CASES labelled cases, and
    each such column's F1."""
    names = np.asarray(groups)
    out: dict[str, tuple[float | None, dict[str, float]]] = {}
    for g in dict.fromkeys(names.tolist()):
        rows = names == g
        per = {
            name.value: binary_f1(truth[rows, k], found[rows, k])
            for k, name in enumerate(PHRASES)
            if truth[rows, k].sum() >= MIN_CASES
        }
        out[g] = (float(np.mean(list(per.values()))) if per else None, per)
    return out


def labels(frame_signals: npt.NDArray[np.floating]) -> Bools:
    """The nine signal columns (PHRASES order, as read by `read_messages`) as booleans."""
    assert frame_signals.shape[1] == len(SignalName)
    return np.asarray(frame_signals, dtype=float) == 1
