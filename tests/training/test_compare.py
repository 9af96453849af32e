"""`escalation compare-models` between models trained on different ticket columns: each model is scored with
the columns it was trained on (a temp MLflow store, a few hundred tickets of the sample)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from core.cli import cli
from core.errors import ConfigError
from core.settings import get_settings
from core.text import MessageAnalysis, Sentiment, SentimentLabel
from features.history import load_history
from rules import load_policies
from training import tracking
from training.fit import BoostParams
from training.targets import parse_target
from training.train import TrainConfig, train_model

from .conftest import first_tickets_of_sample


def test_a_champion_trained_on_a_ticket_column_is_compared_with_a_challenger_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The champion trained with --ticket-feature region, the challenger without: compare-models built the
    test frame with the challenger's columns only and stopped on "the feature frame lacks ticket_region"."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    data = str(first_tickets_of_sample(tmp_path / "history", 400))
    runner = CliRunner()
    try:
        for extra in (["--ticket-feature", "region"], []):
            args = ["train", "--data", data, "--no-text", "--no-progress", *extra]
            assert runner.invoke(cli, args, catch_exceptions=False).exit_code == 0
        runner.invoke(cli, ["promote", "1"], catch_exceptions=False)
        compared = runner.invoke(cli, ["compare-models", "--data", data, "--challenger", "2", "--no-text",
                                       "--no-progress", "--resamples", "50"])
    finally:
        get_settings.cache_clear()
    assert compared.exit_code == 0, compared.output
    assert "champion v1" in compared.output and "verdict:" in compared.output


def test_the_comparison_is_made_on_the_challengers_own_test_period_to_the_instant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model kept its test period's start as a day, and compare-models took every ticket created from that
    midnight: validation tickets created earlier that day, which the refit had trained on (915 test examples
    in training, 952 compared). Now it compares on exactly the examples training tested on."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    data = str(first_tickets_of_sample(tmp_path / "history", 400))
    runner = CliRunner()
    try:
        args = ["train", "--data", data, "--no-text", "--no-progress", "--report", str(tmp_path / "r.json")]
        assert runner.invoke(cli, args, catch_exceptions=False).exit_code == 0
        compared = runner.invoke(cli, ["compare-models", "--data", data, "--champion", "1",
                                       "--challenger", "1", "--no-text", "--no-progress",
                                       "--resamples", "10"])
    finally:
        get_settings.cache_clear()
    assert compared.exit_code == 0, compared.output
    test = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["parts"]["test"]
    assert f": {test['rows']:,} examples, {test['positives']:,} positive" in compared.output


def test_a_model_trained_with_text_is_not_compared_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`compare-models --no-text` scored a model trained on the text analyses with its text features missing:
    figures of a model that serving never runs, and a verdict against it."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    get_settings.cache_clear()
    folder = first_tickets_of_sample(tmp_path / "history", 400)
    history = load_history(folder)
    messages = history.events.loc[history.events["type"] == "customer_message", "event_id"]
    analyses = {
        str(event_id): MessageAnalysis("en", Sentiment(SentimentLabel.NEGATIVE, {
            SentimentLabel.NEGATIVE: 0.5 + i % 5 / 10, SentimentLabel.NEUTRAL: 0.5 - i % 5 / 10,
            SentimentLabel.POSITIVE: 0.0}))
        for i, event_id in enumerate(messages)
    }
    config = TrainConfig(parse_target(), params=BoostParams(num_boost_round=300, num_threads=2), workers=1)
    result = train_model(history, config, load_policies(), analyses)
    try:
        with tracking.tracking(get_settings().mlflow_tracking_uri):
            bundled = result.model.save(tmp_path / tracking.MODEL_FILE)
            tracking.log_run(result, config, tracking.fingerprint(history), bundled)
        compared = CliRunner().invoke(cli, ["compare-models", "--data", str(folder), "--champion", "1",
                                            "--challenger", "1", "--no-text", "--no-progress"])
    finally:
        get_settings.cache_clear()
    assert isinstance(compared.exception, ConfigError), compared.output
    assert str(compared.exception) == (
        "--no-text: champion v1 and challenger v1 were trained on the text analyses; without them their "
        "text features are missing and the figures are not those of the model served: leave --no-text out"
    )


def test_a_history_without_a_ticket_column_a_model_was_trained_on_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal named an option compare-models does not have ("--ticket-feature 'region': the tickets have
    no such column"); now it names the model that needs the column."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    folder = first_tickets_of_sample(tmp_path / "history", 400)
    runner = CliRunner()
    try:
        args = ["train", "--data", str(folder), "--no-text", "--no-progress", "--ticket-feature", "region"]
        assert runner.invoke(cli, args, catch_exceptions=False).exit_code == 0
        tickets = pd.read_csv(folder / "tickets.csv", dtype=str, keep_default_na=False)
        tickets.drop(columns=["region"]).to_csv(folder / "tickets.csv", index=False)
        compared = runner.invoke(cli, ["compare-models", "--data", str(folder), "--champion", "1",
                                       "--challenger", "1", "--no-text", "--no-progress"])
    finally:
        get_settings.cache_clear()
    assert isinstance(compared.exception, ConfigError), compared.output
    assert str(compared.exception).startswith(
        f"champion v1 was trained on the ticket column region, which the tickets of {folder} lack")
