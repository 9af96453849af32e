"""`escalation promote RUN_ID|VERSION`: the champion alias moves to the version a run registered, or to a
version number; errors name what exists. Versions are registered by hand here (no training needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import mlflow
import pytest
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from core.cli import cli
from core.errors import ConfigError, NotFoundError
from core.settings import get_settings
from training import tracking

NAME = tracking.MODEL_NAME


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MlflowClient, list[str]]]:
    """Two registered versions of the model, each logged by its own run; yields the client and run ids."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    get_settings.cache_clear()
    with tracking.tracking(get_settings().mlflow_tracking_uri) as client:
        tracking.use_experiment()
        client.create_registered_model(NAME)
        runs = []
        for _ in range(2):
            with mlflow.start_run() as run:
                mlflow.log_text("{}", "model/model.json")
            client.create_model_version(NAME, f"{run.info.artifact_uri}/model", run.info.run_id)
            runs.append(run.info.run_id)
        yield client, runs
    get_settings.cache_clear()


def test_a_version_is_named_by_number_run_id_or_alias(registry: tuple[MlflowClient, list[str]]) -> None:
    client, runs = registry
    assert tracking.version_of(client, "1") == "1"
    assert tracking.version_of(client, runs[1]) == "2"
    assert tracking.promote(client, runs[0]) == "1"
    assert tracking.version_of(client, "champion") == "1"
    assert tracking.promote(client, None) == "2"  # the newest
    assert str(client.get_model_version_by_alias(NAME, "champion").version) == "2"


def test_unknown_refs_say_what_exists(registry: tuple[MlflowClient, list[str]]) -> None:
    client, _ = registry
    with pytest.raises(NotFoundError, match=r"run 0{32} registered no version of model 'escalation-risk' "
                                            r"\(versions: 1, 2\)"):
        tracking.promote(client, "0" * 32)
    with pytest.raises(NotFoundError, match=r"has no version \(or run id\) '9' \(versions: 1, 2\)"):
        tracking.promote(client, "9")
    # promote moves an alias to a version: another alias is not a version
    with pytest.raises(NotFoundError, match=r"has no version \(or run id\) 'champion'"):
        tracking.promote(client, "champion")
    with pytest.raises(NotFoundError, match=r"has no version or alias 'nope' \(versions: 1, 2\)"):
        tracking.version_of(client, "nope")


def test_cli_promote_by_run_id_and_the_former_name(registry: tuple[MlflowClient, list[str]]) -> None:
    client, runs = registry
    runner = CliRunner()
    done = runner.invoke(cli, ["promote", runs[0]], catch_exceptions=False)
    assert done.exit_code == 0 and done.output == "escalation-risk version 1 is now @champion\n"
    done = runner.invoke(cli, ["promote-model", "--version", "2"], catch_exceptions=False)
    assert done.output == "escalation-risk version 2 is now @champion\n"
    done = runner.invoke(cli, ["promote", "1", "--alias", "challenger"], catch_exceptions=False)
    assert str(client.get_model_version_by_alias(NAME, "challenger").version) == "1"
    assert str(client.get_model_version_by_alias(NAME, "champion").version) == "2"


def test_a_tracking_store_that_does_not_answer_is_said_so(silent_tracking_store: str) -> None:
    """A tracking server that is down: `promote` said "model 'escalation-risk' has no registered version;
    train one" — wrong, and a reason to retrain for nothing. Now the store is named as not answering."""
    result = CliRunner().invoke(cli, ["promote", "3"])
    assert isinstance(result.exception, ConfigError), result.output
    said = str(result.exception)
    assert said.startswith(f"the MLflow tracking store at {silent_tracking_store} does not answer")
    assert "MLFLOW_TRACKING_URI" in said


@pytest.mark.parametrize(("alias", "says"), [
    ("bad alias!", "Names may only contain alphanumerics, underscores"),
    ("", "cannot be empty"),
    ("v7", "is reserved"),
])
def test_an_alias_mlflow_refuses_is_named(
    registry: tuple[MlflowClient, list[str]], alias: str, says: str
) -> None:
    """`promote 1 --alias 'bad alias!'` was MLflow's MlflowException traceback."""
    result = CliRunner().invoke(cli, ["promote", "1", "--alias", alias])
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception).startswith(f"--alias {alias!r}: ")
    assert says in str(result.exception)


def test_a_folder_tracking_store_mlflow_no_longer_writes_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MLFLOW_TRACKING_URI naming a folder (with a space, as a Windows profile path has): MLflow refuses its
    file store now, and train, promote and compare-models ended in its MlflowException traceback."""
    store = tmp_path / "ml runs"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", str(store))
    monkeypatch.delenv("MLFLOW_ALLOW_FILE_STORE", raising=False)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["promote", "3"])
    get_settings.cache_clear()
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception).startswith(
        f"MLFLOW_TRACKING_URI={store}: MLflow no longer writes a folder (file) store; point it at a database "
        "such as sqlite:///var/mlflow.db"
    )
