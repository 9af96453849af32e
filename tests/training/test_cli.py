"""`escalation train` options that concern loading the history (the rest: test_tracking.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.bounds import FEATURE_WORKERS_MAX, RESAMPLES_MAX
from core.cli import cli
from core.errors import ConfigError
from tests.features.history.conftest import event_records, ticket_records, write_csv


def test_train_keeps_the_valid_rows_with_on_invalid(tmp_path: Path) -> None:
    tickets, events = ticket_records(), event_records()
    tickets[1]["channel"] = "fax"  # T-1002 and its ten events are dropped
    events[15]["at"] = "2024-03-05T12:00:00+01:00"  # before T-1003's creation
    write_csv(tmp_path / "tickets.csv", tickets)
    write_csv(tmp_path / "events.csv", events)
    report = tmp_path / "invalid.csv"
    result = CliRunner().invoke(cli, ["train", "--data", str(tmp_path), "--on-invalid", "skip",
                                      "--invalid-report", str(report), "--no-text", "--no-progress"])
    # three tickets are too few to train on; what matters is that loading kept the valid rows
    assert "dropped 12 invalid row(s) (12 problem(s)), clamped 0 value(s)" in result.output
    assert report.exists()


def test_train_says_the_tracking_store_does_not_answer_before_training(
    tmp_path: Path, silent_tracking_store: str
) -> None:
    """A tracking server that is down was found only after the whole training (then a traceback); now the
    command stops first, naming the store, and writes no model file."""
    from core.errors import ConfigError

    out = tmp_path / "model.json"
    result = CliRunner().invoke(cli, ["train", "--data", "data/sample", "--no-text", "--no-progress",
                                      "--model-out", str(out)])
    assert isinstance(result.exception, ConfigError), result.output
    assert f"the MLflow tracking store at {silent_tracking_store} does not answer" in str(result.exception)
    assert not out.exists()


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-5"])
def test_tune_timeout_must_be_a_finite_number_of_seconds(value: str) -> None:
    """`--tune-timeout nan` was accepted and written into the model card as NaN (a model file strict JSON
    readers refuse); inf likewise as Infinity."""
    args = ["train", "--data", "data/sample", "--tune", "2", "--tune-timeout", value]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--tune-timeout'" in result.output


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--test-fraction", "nan", "nan is not a finite number; give one in the range 0<x<1"),  # after loading
    ("--valid-fraction", "1", "1.0 is not in the range 0<x<1"),
    ("--budget", "nan", "nan is not a finite number; give one in the range 0<x<1"),
    ("--seed", "-1", "-1 is not in the range 0<=x<=4294967295"),  # numpy's traceback after the training
])
def test_a_share_or_seed_out_of_range_is_a_usage_error_before_loading(
    option: str, value: str, said: str
) -> None:
    result = CliRunner().invoke(cli, ["train", "--data", "data/sample", "--no-text", option, value])
    assert result.exit_code == 2 and f"Invalid value for '{option}': {said}" in result.output, result.output


@pytest.mark.parametrize("option", ["--model-out", "--report", "--feature-cache", "--text-cache"])
def test_an_output_that_cannot_be_written_stops_train_before_training(
    tmp_path: Path, option: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A --model-out or --report under a file (or anywhere not writable) was a FileExistsError /
    NotADirectoryError traceback after the whole training; now the command stops first, naming the option."""
    from core.settings import get_settings

    from .conftest import first_tickets_of_sample

    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    target = blocker / "out.json"
    data = first_tickets_of_sample(tmp_path / "history")
    text = "--text" if option == "--text-cache" else "--no-text"
    args = ["train", "--data", str(data), text, "--no-progress", option, str(target)]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception).startswith(f"{option} {target}: cannot be written (")
    get_settings.cache_clear()


@pytest.mark.parametrize(("variable", "option", "file"), [
    ("ESCALATION_PATHS__MODELS_DIR", "--no-text", "escalation-risk.json"),
    ("ESCALATION_PATHS__STATE_DIR", "--text", "text-analyses.sqlite"),  # the text cache's default folder
])
def test_a_settings_folder_that_cannot_be_written_stops_train_naming_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, option: str, file: str
) -> None:
    """Where no option gives the path, the settings do: the error named --model-out, an option not given,
    and the state folder was found unwritable only when the text cache opened, after loading."""
    from core.settings import get_settings

    from .conftest import first_tickets_of_sample

    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv(variable, str(blocker / "folder"))
    get_settings.cache_clear()
    data = first_tickets_of_sample(tmp_path / "history")
    try:
        result = CliRunner().invoke(cli, ["train", "--data", str(data), option, "--no-progress"])
    finally:
        get_settings.cache_clear()
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception).startswith(f"{variable} {blocker / 'folder' / file}: cannot be written (")


def test_compare_models_refuses_more_resamples_than_its_limit_naming_it() -> None:
    """`--resamples 1000000000` ran the bootstrap's loop for days (and kept every difference in memory)."""
    args = ["compare-models", "--data", "data/sample", "--challenger", "2", "--resamples", "1000000000"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    said = f"Invalid value for '--resamples': 1000000000 is not in the range 10<=x<={RESAMPLES_MAX}"
    assert said in result.output


def test_train_refuses_more_feature_processes_than_its_limit_naming_it() -> None:
    """`train --workers 100000` started a hundred thousand processes to build the features."""
    result = CliRunner().invoke(cli, ["train", "--data", "data/sample", "--workers", "100000"])
    assert result.exit_code == 2, result.output
    said = f"Invalid value for '--workers': 100000 is not in the range 1<=x<={FEATURE_WORKERS_MAX}"
    assert said in result.output


def test_train_on_a_tickets_file_with_a_header_only_says_there_is_no_ticket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate-data reads such a history as 0 tickets; train went on to a pandas MergeError traceback
    ('incompatible merge keys') while labelling the examples."""
    from core.settings import get_settings

    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    get_settings.cache_clear()
    history = tmp_path / "history"
    history.mkdir()
    tickets = history / "tickets.csv"
    tickets.write_text(",".join(ticket_records()[0]) + "\n", encoding="utf-8")
    (history / "events.csv").write_text(",".join(event_records()[0]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--data", str(history), "--no-text", "--no-progress"])
    get_settings.cache_clear()
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception) == (
        f"the history has no ticket: {tickets} holds no row (a header only, or every row dropped as invalid)"
    )
