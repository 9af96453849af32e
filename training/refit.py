"""The refit: once early stopping, the calibration and the threshold are chosen on the validation period,
the final booster is trained again on train + validation (everything before the test period) with the
chosen number of rounds, so the model learns from the newest tickets it may see.

Its calibration is either the validation-fitted calibrator kept as it is (`keep`), or fitted again on
cross-fitted scores (`crossfit`): each of K ticket folds of train + validation is scored by a booster
boosted on the other folds with the same rounds, and the threshold is chosen again on the validation
rows' cross-fitted scores. docs/training.md compares the two on the sample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd

from core.errors import ConfigError
from features.model import Calibrator
from training import metrics
from training.calibration import fit_calibrator
from training.fit import BoostParams, Fitter, fit_rounds

REFIT_MODES = ("none", "keep", "crossfit")


@dataclass(frozen=True)
class Refit:
    booster: lgb.Booster
    calibrator: Calibrator
    threshold: float


def refit(
    x: pd.DataFrame,
    y: np.ndarray,
    rows: pd.DataFrame,
    *,
    mode: str,
    rounds: int,
    params: BoostParams,
    seed: int,
    calibration: str,
    calibrator: Calibrator,
    threshold: float,
    budget: float,
    folds: int = 5,
    fitter: Fitter | None = None,
) -> Refit:
    """`x`, `y`, `rows` (ticket_id, at, label, first, part) cover train + validation, aligned."""
    if mode not in REFIT_MODES[1:]:
        raise ConfigError(f"--refit {mode!r} is not known; use one of {', '.join(REFIT_MODES)}")
    booster = _rounds(fitter)(x, y, params, seed, rounds)
    if mode == "keep":
        return Refit(booster, calibrator, threshold)
    oof = crossfit_scores(
        x, y, rows["ticket_id"], params=params, seed=seed, rounds=rounds, folds=folds, fitter=fitter
    )
    refitted = fit_calibrator(calibration, oof, y)
    valid = (rows["part"] == "valid").to_numpy()
    chosen = metrics.choose_threshold(
        rows[valid].reset_index(drop=True), refitted.apply(oof[valid]), budget
    )
    return Refit(booster, refitted, chosen)


def crossfit_scores(
    x: pd.DataFrame,
    y: np.ndarray,
    tickets: pd.Series,
    *,
    params: BoostParams,
    seed: int,
    rounds: int,
    folds: int,
    fitter: Fitter | None = None,
) -> np.ndarray:
    """Out-of-fold raw scores: every ticket's examples scored by a booster that never saw the ticket."""
    ids = tickets.drop_duplicates().sort_values().to_numpy()
    fold_of = pd.Series(np.random.default_rng(seed).permutation(len(ids)) % folds, index=ids)
    fold = fold_of.reindex(tickets.to_numpy()).to_numpy()
    out = np.empty(len(y), dtype="float64")
    fit = _rounds(fitter)
    for k in range(folds):
        held = fold == k
        booster = fit(x[~held], y[~held], params, seed, rounds)
        out[held] = booster.predict(x[held])
    return out


Rounds = Callable[[pd.DataFrame, np.ndarray, BoostParams, int, int], lgb.Booster]


def _rounds(fitter: Fitter | None) -> Rounds:
    return fitter.rounds if fitter is not None else fit_rounds
