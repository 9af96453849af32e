"""Fit the LightGBM classifier with early stopping on the validation period."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import lightgbm as lgb
import numpy as np
import pandas as pd
from tqdm import tqdm


@dataclass(frozen=True)
class BoostParams:
    # regularised: the signal in ticket histories is weak and noisy; chosen on the sample's validation period
    num_boost_round: int = 1000
    learning_rate: float = 0.02
    num_leaves: int = 15
    min_data_in_leaf: int = 80
    feature_fraction: float = 0.6
    bagging_fraction: float = 0.8
    lambda_l2: float = 10.0
    early_stopping_rounds: int = 100
    balance: bool = True  # weight positives up; the calibrator maps scores back to probabilities
    num_threads: int = 0  # 0: LightGBM's default (all cores)
    metric: str = "auc"  # early stopping on ranking; AP is noisy and logloss is skewed by the class weight

    def lightgbm(self, seed: int, pos_weight: float) -> dict[str, Any]:
        return {
            "objective": "binary",
            "metric": [self.metric],
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_data_in_leaf,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": 1,
            "lambda_l2": self.lambda_l2,
            "scale_pos_weight": pos_weight,
            "seed": seed,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": self.num_threads,
            "verbosity": -1,
            "first_metric_only": True,
            "cat_smooth": 10,
            "min_data_per_group": 50,
        }


class Fitter(Protocol):
    """Where the boosting runs: `LocalFitter` (this process) or `training.dask_fit.DaskFitter`."""

    def early_stopped(
        self,
        train_x: pd.DataFrame,
        train_y: np.ndarray,
        valid_x: pd.DataFrame,
        valid_y: np.ndarray,
        params: BoostParams,
        seed: int,
        *,
        progress: bool = False,
    ) -> lgb.Booster: ...

    def rounds(
        self, x: pd.DataFrame, y: np.ndarray, params: BoostParams, seed: int, rounds: int
    ) -> lgb.Booster:
        ...


class LocalFitter:
    """Boosting in this process (`fit_booster`, `fit_rounds`)."""

    def early_stopped(
        self,
        train_x: pd.DataFrame,
        train_y: np.ndarray,
        valid_x: pd.DataFrame,
        valid_y: np.ndarray,
        params: BoostParams,
        seed: int,
        *,
        progress: bool = False,
    ) -> lgb.Booster:
        return fit_booster(train_x, train_y, valid_x, valid_y, params, seed, progress=progress)

    def rounds(
        self, x: pd.DataFrame, y: np.ndarray, params: BoostParams, seed: int, rounds: int
    ) -> lgb.Booster:
        return fit_rounds(x, y, params, seed, rounds)


def fit_booster(
    train_x: pd.DataFrame,
    train_y: np.ndarray,
    valid_x: pd.DataFrame,
    valid_y: np.ndarray,
    params: BoostParams,
    seed: int,
    *,
    progress: bool = False,
) -> lgb.Booster:
    """Boost until validation average precision stops improving; the best iteration is kept."""
    pos_weight = positive_weight(train_y, params)
    train = lgb.Dataset(train_x, label=train_y, categorical_feature="auto", free_raw_data=False)
    valid = lgb.Dataset(valid_x, label=valid_y, reference=train)
    with tqdm(total=params.num_boost_round, desc="boosting", unit="round", disable=not progress) as bar:

        def tick(env: Any) -> None:
            bar.update(1)

        booster = lgb.train(
            params.lightgbm(seed, pos_weight),
            train,
            num_boost_round=params.num_boost_round,
            valid_sets=[valid],
            valid_names=["valid"],
            callbacks=[lgb.early_stopping(params.early_stopping_rounds, verbose=False), tick],
        )
    booster.free_dataset()
    return booster


def fit_rounds(
    x: pd.DataFrame, y: np.ndarray, params: BoostParams, seed: int, rounds: int
) -> lgb.Booster:
    """Boost exactly `rounds` rounds, with no validation set: the refit on everything before the test
    period, with the number of rounds early stopping chose."""
    pos_weight = positive_weight(y, params)
    data = lgb.Dataset(x, label=y, categorical_feature="auto", free_raw_data=False)
    booster = lgb.train(params.lightgbm(seed, pos_weight), data, num_boost_round=rounds)
    booster.free_dataset()
    return booster


def positive_weight(y: np.ndarray, params: BoostParams) -> float:
    # sqrt of the class ratio: enough to focus on the rare class without wrecking the score scale
    negatives, positives = float((y == 0).sum()), float((y == 1).sum())
    return float(np.sqrt(negatives / positives)) if params.balance and positives else 1.0
