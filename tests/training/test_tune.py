"""`--tune N`: a seeded Optuna search on the training and validation periods only, its best parameters in the
final model, each trial a nested MLflow run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from core.errors import ConfigError
from core.settings import get_settings
from features.history import TicketHistory
from features.model.metadata import DataFingerprint
from rules import PolicySet
from training import tracking
from training import tune as tune_module
from training.examples import build_examples
from training.fit import BoostParams
from training.split import split_by_creation
from training.summary import summary_table
from training.targets import parse_target
from training.train import TrainConfig, TrainResult, train_model
from training.tune import SPACE, Trial, trial_line, tune

TRIALS = 3


def frames(seed: int, rows: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Two informative columns and one of noise; about a fifth positive."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.normal(size=(rows, 3)), columns=["a", "b", "noise"])
    y = (x["a"] + 0.5 * x["b"] + rng.normal(scale=1.0, size=rows) > 1.0).to_numpy(dtype="int64")
    return x, y


SMALL = BoostParams(num_boost_round=40, early_stopping_rounds=10, num_threads=1)


def test_same_seed_same_trials_and_the_best_is_the_highest() -> None:
    train_x, train_y = frames(1, 400)
    valid_x, valid_y = frames(2, 200)
    seen: list[tuple[int, int]] = []

    def on_trial(trial: Trial, best: Trial) -> None:
        seen.append((trial.number, best.number))

    first = tune(train_x, train_y, valid_x, valid_y, SMALL, 7, TRIALS, on_trial=on_trial)
    again = tune(train_x, train_y, valid_x, valid_y, SMALL, 7, TRIALS)
    other = tune(train_x, train_y, valid_x, valid_y, SMALL, 8, TRIALS)
    assert [(t.params, t.pr_auc) for t in first.trials] == [(t.params, t.pr_auc) for t in again.trials]
    assert [t.params for t in first.trials] != [t.params for t in other.trials]
    assert [n for n, _ in seen] == list(range(TRIALS))
    assert first.best.pr_auc == max(t.pr_auc or 0.0 for t in first.trials)
    assert seen[-1][1] == first.best.number
    assert set(first.best.params) == set(SPACE)
    # the best trial's values in the configured parameters; the rest of them as configured
    assert first.params.learning_rate == first.best.params["learning_rate"]
    assert first.params.num_boost_round == SMALL.num_boost_round and first.params.num_threads == 1
    assert first.to_report()["trials_run"] == TRIALS
    # the first trial is the configured parameters: tuning is never worse on validation than not tuning
    assert first.trials[0].params == {name: getattr(SMALL, name) for name in SPACE}


def test_bad_counts_are_refused_with_the_option_named() -> None:
    x, y = frames(1, 50)
    with pytest.raises(ConfigError, match="--tune must be at least 1 trial, got 0"):
        tune(x, y, x, y, SMALL, 1, 0)
    with pytest.raises(ConfigError, match="--tune-timeout must be a positive number of seconds, got -1"):
        tune(x, y, x, y, SMALL, 1, 2, timeout_s=-1)


def test_trial_line() -> None:
    trial = Trial(2, {"learning_rate": 0.0312, "num_leaves": 15}, 0.4123, 30, 0.5)
    best = Trial(1, {"learning_rate": 0.05, "num_leaves": 7}, 0.43, 20, 0.4)
    assert trial_line(trial, best, 20) == (
        "trial 3/20: valid PR-AUC 0.412 (best 0.430, trial 2) learning_rate=0.0312 num_leaves=15"
    )


# --- on a tiny history: the first 200 tickets of the sample -------------------------------------------------


@pytest.fixture(scope="module")
def tiny(sample_history: TicketHistory) -> TicketHistory:
    keep = sample_history.tickets.sort_values("created_at").index[:200]
    events = sample_history.events[sample_history.events["ticket_id"].isin(keep)].reset_index(drop=True)
    return TicketHistory(sample_history.tickets.loc[keep], events)


@pytest.fixture(scope="module")
def tiny_config(feature_cache: Path) -> TrainConfig:
    params = BoostParams(num_boost_round=40, early_stopping_rounds=10, num_threads=1)
    return TrainConfig(parse_target(), params=params, min_positives=5, workers=1, refit="keep",
                       rules_max_examples=100, feature_cache=feature_cache, tune_trials=TRIALS)


@pytest.fixture(scope="module")
def tuned(tiny: TicketHistory, tiny_config: TrainConfig, policies: PolicySet) -> TrainResult:
    return train_model(tiny, tiny_config, policies)


def test_tuning_never_sees_the_test_tickets(
    tiny: TicketHistory, tiny_config: TrainConfig, policies: PolicySet, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[pd.Index] = []
    fit = tune_module.fit_booster

    def spy(train_x: pd.DataFrame, train_y: np.ndarray, valid_x: pd.DataFrame, valid_y: np.ndarray,
            *args: Any, **kwargs: Any) -> Any:
        seen.extend([train_x.index, valid_x.index])
        return fit(train_x, train_y, valid_x, valid_y, *args, **kwargs)

    monkeypatch.setattr(tune_module, "fit_booster", spy)
    train_model(tiny, replace(tiny_config, tune_trials=2), policies)
    # the same examples and split as train_model's: which example rows belong to the test period
    examples = build_examples(tiny, tiny_config.target, every_event=True, at_creation=True)
    split = split_by_creation(
        tiny.tickets["created_at"], tiny_config.test_fraction, tiny_config.valid_fraction
    )
    part = pd.Series(split.part_of(examples["created_at"]), index=examples.index)
    assert len(seen) == 4  # two trials, each a training and a validation frame
    used = seen[0].union(seen[1])
    assert part.loc[used].isin(["train", "valid"]).all()
    assert set(used) == set(part.index[part != "test"])  # and all of them


def test_the_final_model_uses_the_best_trial(tuned: TrainResult, tiny_config: TrainConfig) -> None:
    assert tuned.tuning is not None and len(tuned.tuning.trials) == TRIALS
    card = tuned.model.metadata
    assert card.lgbm_params is not None and card.tuning is not None
    for name, value in tuned.tuning.best.params.items():
        assert card.lgbm_params[name] == value
    assert card.tuning.best_trial == tuned.tuning.best.number
    assert tuned.report.tuning is not None and tuned.report.tuning.trials_run == TRIALS
    used = tuned.config_used(tiny_config)
    assert used.params == tuned.tuning.params
    assert {name: getattr(used.params, name) for name in SPACE} == tuned.tuning.best.params
    assert "tuned: 3 of 3 trials (TPE, seed 42)" in summary_table(tuned.report)
    assert "tune" in tuned.timings


def test_same_seed_same_tuned_model(
    tuned: TrainResult, tiny: TicketHistory, tiny_config: TrainConfig, policies: PolicySet
) -> None:
    again = train_model(tiny, tiny_config, policies)
    assert again.tuning is not None and tuned.tuning is not None
    assert [(t.params, t.pr_auc) for t in again.tuning.trials] == [
        (t.params, t.pr_auc) for t in tuned.tuning.trials
    ]
    np.testing.assert_array_equal(again.test["score"], tuned.test["score"])


def test_each_trial_is_a_nested_run(
    tuned: TrainResult, tiny_config: TrainConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    get_settings.cache_clear()
    model_file = tuned.model.save(tmp_path / tracking.MODEL_FILE)
    fingerprint = DataFingerprint(sha256="0" * 64, tickets=3, events=9, first="2024-03-01", last="2024-03-31")
    with tracking.tracking(get_settings().mlflow_tracking_uri) as client:
        run_id, _ = tracking.log_run(tuned, tiny_config, fingerprint, model_file, "tune-test")
        parent = client.get_run(run_id)
        children = client.search_runs(
            [parent.info.experiment_id], f"tags.mlflow.parentRunId = '{run_id}'", order_by=["params.trial"]
        )
    get_settings.cache_clear()
    assert tuned.tuning is not None
    best = tuned.tuning.best
    assert len(children) == TRIALS
    by_trial = {int(c.data.params["trial"]): c for c in children}
    for trial in tuned.tuning.trials:
        logged = by_trial[trial.number].data
        assert logged.metrics["valid.pr_auc"] == pytest.approx(trial.pr_auc)
        assert float(logged.params["learning_rate"]) == pytest.approx(trial.params["learning_rate"])
        assert logged.tags["tuning.best"] == str(trial.number == best.number).lower()
    # the parent run records the parameters the final model was fitted with
    assert float(parent.data.params["lgbm_learning_rate"]) == pytest.approx(best.params["learning_rate"])
    assert int(parent.data.params["lgbm_num_leaves"]) == best.params["num_leaves"]
    assert parent.data.params["tune_trials"] == str(TRIALS)
    assert parent.data.metrics["tuning.best_valid_pr_auc"] == pytest.approx(best.pr_auc)


def test_cli_prints_each_trial_and_the_winner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, feature_cache: Path
) -> None:
    """`escalation train --tune 2` on the sample's first 250 tickets, written as an export would be."""
    import re

    from click.testing import CliRunner

    from core.cli import cli

    from .conftest import first_tickets_of_sample

    data = first_tickets_of_sample(tmp_path / "history")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(cli, [
            "train", "--data", str(data), "--no-text", "--num-boost-round", "40", "--tune", "2",
            "--tune-timeout", "600", "--workers", "1", "--feature-cache", str(feature_cache),
        ], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    # the progress bars share the terminal (stderr) with these lines (stdout): find them, wherever they start
    trial = r"trial (\d)/2: valid PR-AUC [\d.]+ \(best [\d.]+, trial \d\) learning_rate="
    found = re.findall(trial, done.output)
    assert found == ["1", "2"]
    lines = done.output.splitlines()
    winner = "tuned: 2 of 2 trials (TPE, seed 42), best validation PR-AUC"
    assert any(line.startswith(winner) for line in lines)
