"""Boosting with LightGBM's Dask estimator (`lightgbm.DaskLGBMClassifier`): the rows are spread over the
workers and every worker builds histograms of its own rows (data-parallel tree learning).

Early stopping is chosen here, not on the workers: the validation AUC is not a sum over workers, so
LightGBM's distributed early stopping could stop workers at different rounds. The train period is boosted
for every round on the cluster, then the rounds are scored on the validation period one tree at a time
and the best is kept with the same rule as `lightgbm.early_stopping` (the first best AUC; stop looking after
`early_stopping_rounds` without a gain). The booster comes back as a plain `lightgbm.Booster`, so the model
file is the one a single-process run writes."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from training.fit import BoostParams, positive_weight

if TYPE_CHECKING:
    from distributed import Client


class DaskFitter:
    """A `training.fit.Fitter` on `client`'s workers, `partitions` row blocks (default: one a worker)."""

    def __init__(self, client: Client, partitions: int | None = None) -> None:
        self.client = client
        self.partitions = partitions

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
        booster = self.rounds(train_x, train_y, params, seed, params.num_boost_round)
        best = best_round(booster, valid_x, valid_y, params.early_stopping_rounds)
        kept = lgb.Booster(model_str=booster.model_to_string(num_iteration=best))
        kept.best_iteration = best  # as early stopping leaves it (a booster read from text says -1)
        return kept

    def rounds(
        self, x: pd.DataFrame, y: np.ndarray, params: BoostParams, seed: int, rounds: int
    ) -> lgb.Booster:
        import dask.dataframe as dd
        from lightgbm import DaskLGBMClassifier

        from training.cluster import worker_count

        count = self.partitions or worker_count(self.client)
        # The blocks go to the workers as scattered data, not inside the task graph: `dd.from_pandas` put
        # the whole frame in the graph, which the client pickled and sent through the scheduler (345 MiB at
        # 1M events, with Dask's warning), a copy more on the client.
        x = x.reset_index(drop=True)
        labels = pd.Series(np.asarray(y), name="label")
        bounds = [int(b) for b in np.linspace(0, len(x), count + 1)]
        workers = sorted(self.client.scheduler_info()["workers"])
        xs, ys = [], []
        for i, (a, b) in enumerate(itertools.pairwise(bounds)):
            if b > a:  # a block's rows and labels on one worker, the blocks dealt round the workers
                where = [workers[i % len(workers)]]
                xs.append(self.client.scatter(x.iloc[a:b], workers=where))
                ys.append(self.client.scatter(labels.iloc[a:b], workers=where))
        dx = dd.from_delayed(xs, meta=x.iloc[:0], verify_meta=False)
        dy = dd.from_delayed(ys, meta=labels.iloc[:0], verify_meta=False)
        model = DaskLGBMClassifier(client=self.client, n_estimators=rounds, **dask_params(params, seed, y))
        model.fit(dx, dy)
        return model.to_local().booster_


def dask_params(params: BoostParams, seed: int, y: np.ndarray) -> dict[str, Any]:
    """The single-process parameters, less what the Dask estimator sets itself: the thread count (each
    worker's own), the round count (`n_estimators`) and the evaluation metric (no validation set there)."""
    out = params.lightgbm(seed, positive_weight(np.asarray(y), params))
    for key in ("num_threads", "metric", "first_metric_only"):
        out.pop(key)
    return out


def best_round(booster: lgb.Booster, x: pd.DataFrame, y: np.ndarray, patience: int) -> int:
    """The round (1-based) `lightgbm.early_stopping` would keep for validation AUC: the first strictly best,
    looking no further than `patience` rounds past it."""
    raw = np.zeros(len(x))
    best, best_at = -np.inf, 0
    for i in range(booster.current_iteration()):
        raw += booster.predict(x, start_iteration=i, num_iteration=1, raw_score=True)
        score = roc_auc_score(y, raw) if 0 < y.sum() < len(y) else 0.0
        if score > best:
            best, best_at = score, i
        elif i - best_at >= patience:
            break
    return best_at + 1
