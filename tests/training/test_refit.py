"""The refit on train + validation: exact rounds, out-of-fold scores, the calibration modes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import ConfigError
from training.calibration import fit_calibrator
from training.fit import BoostParams
from training.refit import crossfit_scores, refit

PARAMS = BoostParams(num_threads=1, min_data_in_leaf=5)


def _data() -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    rng = np.random.default_rng(0)
    n = 400
    x = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (x["a"] + rng.normal(scale=0.5, size=n) > 0.8).to_numpy(dtype="int64")
    rows = pd.DataFrame({
        "ticket_id": [f"T{i // 4}" for i in range(n)],
        "at": pd.date_range("2024-01-01", periods=n, freq="h", tz="UTC"),
        "label": y.astype(bool),
        "first": [i % 4 == 0 for i in range(n)],
        "part": ["train"] * 300 + ["valid"] * 100,
    })
    return x, y, rows


def test_keep_boosts_exact_rounds_and_keeps_calibration() -> None:
    x, y, rows = _data()
    calibrator = fit_calibrator("platt", np.linspace(0.01, 0.99, len(y)), y)
    done = refit(x, y, rows, mode="keep", rounds=17, params=PARAMS, seed=1, calibration="platt",
                 calibrator=calibrator, threshold=0.3, budget=0.1)
    assert done.booster.current_iteration() == 17
    assert done.calibrator is calibrator and done.threshold == 0.3


def test_crossfit_scores_each_ticket_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    x, y, rows = _data()
    oof = crossfit_scores(x, y, rows["ticket_id"], params=PARAMS, seed=3, rounds=20, folds=4)
    again = crossfit_scores(x, y, rows["ticket_id"], params=PARAMS, seed=3, rounds=20, folds=4)
    np.testing.assert_array_equal(oof, again)  # the same seed, the same folds and scores
    assert np.corrcoef(oof, x["a"])[0, 1] > 0.5
    seen: list[tuple[set[str], set[str]]] = []  # (tickets boosted on, tickets scored) per fold

    class Spy:
        def __init__(self, trained: pd.DataFrame) -> None:
            self.trained = set(rows.loc[trained.index, "ticket_id"])

        def predict(self, held: pd.DataFrame) -> np.ndarray:
            seen.append((self.trained, set(rows.loc[held.index, "ticket_id"])))
            return np.zeros(len(held))

    monkeypatch.setattr("training.refit.fit_rounds", lambda x, y, params, seed, rounds: Spy(x))
    crossfit_scores(x, y, rows["ticket_id"], params=PARAMS, seed=3, rounds=20, folds=4)
    assert len(seen) == 4 and all(not (trained & scored) for trained, scored in seen)
    assert set().union(*(scored for _, scored in seen)) == set(rows["ticket_id"])


def test_crossfit_refits_the_calibration_and_threshold() -> None:
    x, y, rows = _data()
    calibrator = fit_calibrator("platt", np.full(len(y), 0.5), y)
    done = refit(x, y, rows, mode="crossfit", rounds=20, params=PARAMS, seed=3, calibration="platt",
                 calibrator=calibrator, threshold=0.3, budget=0.1)
    assert done.calibrator is not calibrator and done.threshold != 0.3


def test_unknown_mode() -> None:
    x, y, rows = _data()
    with pytest.raises(ConfigError, match="--refit 'always' is not known; use one of none, keep, crossfit"):
        refit(x, y, rows, mode="always", rounds=5, params=PARAMS, seed=1, calibration="platt",
              calibrator=fit_calibrator("none", y, y), threshold=0.3, budget=0.1)
