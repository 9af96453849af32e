"""Hyper-parameter search for the booster (`escalation train --tune N`): Optuna's TPE sampler, seeded, over
LightGBM's main parameters. Each trial boosts on the training period with early stopping on the validation
period and is scored by validation PR-AUC; the test period is never passed in, so it cannot be read. Pure of
MLflow: the caller logs the trials (training/tracking.py, one nested run each)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from core.errors import ConfigError
from features.model.metadata import TuningRecord
from training import metrics
from training.fit import BoostParams, fit_booster

# (low, high, log scale) of each searched parameter; the rest of BoostParams stays as configured
SPACE: dict[str, tuple[float, float, bool]] = {
    "learning_rate": (0.01, 0.2, True),
    "num_leaves": (4, 63, True),
    "min_data_in_leaf": (10, 300, True),
    "feature_fraction": (0.4, 1.0, False),
    "bagging_fraction": (0.5, 1.0, False),
    "lambda_l2": (1e-3, 100.0, True),
}
INTEGER = ("num_leaves", "min_data_in_leaf")


@dataclass(frozen=True)
class Trial:
    number: int  # 0-based, in the order they ran
    params: dict[str, float | int]  # the searched parameters only
    pr_auc: float | None  # validation average precision; None when the validation period has one class
    best_iteration: int
    seconds: float


@dataclass(frozen=True)
class Tuning:
    trials: tuple[Trial, ...]
    best: Trial
    params: BoostParams  # the configured parameters with the best trial's searched ones
    requested: int  # --tune N; fewer ran when the time budget ran out
    timeout_s: float | None
    seed: int

    def record(self) -> TuningRecord:
        """What the model file and the report keep of the search."""
        return TuningRecord(
            trials_requested=self.requested,
            trials_run=len(self.trials),
            timeout_s=self.timeout_s,
            seed=self.seed,
            sampler="TPE",
            objective="validation PR-AUC (average precision)",
            best_trial=self.best.number,
            best_valid_pr_auc=self.best.pr_auc,
            best_params=dict(self.best.params),
        )

    def to_report(self) -> dict[str, Any]:
        return self.record().to_dict()


def tune(
    train_x: pd.DataFrame,
    train_y: np.ndarray,
    valid_x: pd.DataFrame,
    valid_y: np.ndarray,
    base: BoostParams,
    seed: int,
    trials: int,
    *,
    timeout_s: float | None = None,
    on_trial: Callable[[Trial, Trial], None] | None = None,
) -> Tuning:
    """Search `trials` parameter sets, the first the configured one (fewer if `timeout_s` runs out first);
    `on_trial(trial, best)` after each. The same data, base parameters and seed give the same trials."""
    import optuna  # imported only when tuning

    if trials < 1:
        raise ConfigError(f"--tune must be at least 1 trial, got {trials}")
    if timeout_s is not None and timeout_s <= 0:
        raise ConfigError(f"--tune-timeout must be a positive number of seconds, got {timeout_s:g}")
    optuna.logging.set_verbosity(logging.WARNING)  # its per-trial INFO lines would repeat ours
    done: list[Trial] = []

    def objective(trial: optuna.Trial) -> float:
        chosen = {name: _suggest(trial, name, *bounds) for name, bounds in SPACE.items()}
        params = replace(base, **chosen)  # type: ignore[arg-type]
        started = time.perf_counter()
        booster = fit_booster(train_x, train_y, valid_x, valid_y, params, seed)
        scores = np.asarray(booster.predict(valid_x), dtype="float64")
        pr_auc = metrics.score_metrics(valid_y, scores)["pr_auc"]
        seconds = time.perf_counter() - started
        rounds = int(booster.best_iteration or booster.current_iteration())
        found = Trial(trial.number, chosen, pr_auc, rounds, round(seconds, 3))
        done.append(found)
        if on_trial is not None:
            on_trial(found, _best(done))
        return -1.0 if pr_auc is None else pr_auc

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    # the configured parameters are the first trial: the search ends no worse on validation than not searching
    study.enqueue_trial(tuned_fields(base))
    study.optimize(objective, n_trials=trials, timeout=timeout_s, gc_after_trial=False)
    if not done:  # a timeout reached before the first trial ended still lets that trial finish
        raise ConfigError("no tuning trial finished; raise --tune-timeout")
    best = _best(done)
    return Tuning(tuple(done), best, replace(base, **best.params), trials, timeout_s, seed)  # type: ignore[arg-type]


def trial_line(trial: Trial, best: Trial, total: int) -> str:
    """`trial 3/20: valid PR-AUC 0.412 (best 0.430, trial 2) learning_rate=0.031 …` for the console."""
    shown = " ".join(f"{k}={_short(v)}" for k, v in trial.params.items())
    return (
        f"trial {trial.number + 1}/{total}: valid PR-AUC {_f(trial.pr_auc)} "
        f"(best {_f(best.pr_auc)}, trial {best.number + 1}) {shown}"
    )


def tuned_fields(params: BoostParams) -> dict[str, float | int]:
    """The searched parameters' values in `params`: what the model card records."""
    values = asdict(params)
    return {name: values[name] for name in SPACE}


def _suggest(trial: Any, name: str, low: float, high: float, log: bool) -> float | int:
    if name in INTEGER:
        return int(trial.suggest_int(name, int(low), int(high), log=log))
    return float(trial.suggest_float(name, low, high, log=log))


def _best(done: list[Trial]) -> Trial:
    # the first of equals wins, as in Optuna; a trial without a score ranks last
    return max(done, key=lambda t: (-1.0 if t.pr_auc is None else t.pr_auc, -t.number))


def _short(value: float | int) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3g}"


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
