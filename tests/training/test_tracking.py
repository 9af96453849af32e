"""MLflow: a run is logged and registered, promoted to champion, loaded by alias; the CLI commands."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from core.cli import cli
from core.errors import ConfigError, NotFoundError
from core.settings import get_settings
from features.model import load_model
from features.model.registry import REGISTRY_HTTP
from tests.raw_server import raw_server
from training import tracking
from training.cli import run_training
from training.plots import PLOTS
from training.train import TrainConfig

from .conftest import SAMPLE, first_tickets_of_sample

pytestmark = pytest.mark.slow


ROOT = Path(__file__).resolve().parents[2]
# What serving does: MLflow's champion -> the bundled model.json -> features' loader; no training code.
SERVING_LOAD = """
import sys
import mlflow
import pandas as pd
from features.model import load_model
frame = pd.read_parquet(sys.argv[1])
model = load_model(sys.argv[2])
risk = model.predict_proba(frame)
words = model.explain(frame.head(3))
pyfunc = mlflow.pyfunc.load_model("models:/escalation-risk@champion")
same = pyfunc.predict(model.prepare(frame).astype({c: object for c in model.spec.categorical}))
assert abs(same["risk"].to_numpy() - risk).max() < 1e-9, "pyfunc and file disagree"
assert all(words) and all(c.text for row in words for c in row), words
leaked = sorted(m for m in sys.modules if m == "training" or m.startswith("training."))
print("LEAKED" if leaked else "CLEAN", leaked)
"""


def test_train_register_promote_load(
    tmp_path: Path, fast_config: TrainConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a store of its own: the session's holds other tests' champions, and this one begins without one
    mlflow_store = {"root": tmp_path / "mlflow", "models": tmp_path / "mlflow" / "models"}
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{mlflow_store['root'] / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(mlflow_store["models"]))
    get_settings.cache_clear()
    result, where = run_training(SAMPLE, fast_config, text=False)
    assert Path(where.model_file) == mlflow_store["models"] / "escalation-risk.json"
    assert where.run_id is not None and where.model_version is not None  # registered
    with tracking.tracking(get_settings().mlflow_tracking_uri) as client:
        run = client.get_run(where.run_id)
        # artefacts beside the tracking database, not in ./mlruns of the folder the command ran in
        assert run.info.artifact_uri.startswith((mlflow_store["root"] / "mlartifacts").as_uri() + "/")
        assert run.data.metrics["test.roc_auc"] == pytest.approx(result.report.test.figures.roc_auc)
        assert run.data.tags["data_sha256"] == result.model.metadata.data.sha256
        artifacts = {a.path for a in client.list_artifacts(where.run_id, "plots")}
        assert artifacts == {f"plots/{name}" for name in PLOTS}
        with pytest.raises(NotFoundError, match="no version or alias 'champion'"):
            tracking.load_model(client, "champion")
        assert tracking.promote(client, None) == where.model_version
        champion, version = tracking.load_model(client, "champion")
    assert version == where.model_version
    from_file = load_model(where.model_file)
    saved = from_file.metadata.evaluation  # what the dashboard shows beside the model version
    assert saved is not None and saved.roc_auc == pytest.approx(result.report.test.figures.roc_auc)
    assert saved.baselines["rules"].pr_auc == pytest.approx(result.report.rules.figures.pr_auc)
    assert saved.test_from == result.report.split.test_from
    frame = result.test_frame
    np.testing.assert_allclose(champion.predict_proba(frame), from_file.predict_proba(frame))
    np.testing.assert_allclose(champion.predict_proba(result.test_frame), result.test["score"])
    assert champion.threshold == result.model.threshold

    # serving's path, in a fresh interpreter: the registry's champion and the file score without training/
    frame.to_parquet(tmp_path / "frame.parquet")
    scored = subprocess.run(
        [sys.executable, "-c", SERVING_LOAD, str(tmp_path / "frame.parquet"), where.model_file],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**_env(), "MLFLOW_TRACKING_URI": get_settings().mlflow_tracking_uri},
    )
    assert scored.returncode == 0, scored.stderr[-3000:]
    assert "CLEAN" in scored.stdout, scored.stdout


def test_cli_train_promote_compare(
    mlflow_store: dict[str, Path], tmp_path: Path, feature_cache: Path
) -> None:
    runner = CliRunner()
    report = tmp_path / "report.json"
    args = ["train", "--data", str(SAMPLE), "--num-boost-round", "60", "--report", str(report),
            "--no-progress", "--model-out", str(tmp_path / "m.json"), "--no-text",
            "--feature-cache", str(feature_cache)]
    trained = runner.invoke(cli, args, catch_exceptions=False)
    assert trained.exit_code == 0, trained.output
    assert "LightGBM" in trained.output and "rules" in trained.output
    figures = json.loads(report.read_text())
    assert figures["test"]["first_event"]["roc_auc"] is not None
    version = figures["artefacts"]["model_version"]
    promoted = runner.invoke(cli, ["promote-model", "--version", version], catch_exceptions=False)
    assert f"version {version} is now @champion" in promoted.output
    compared = runner.invoke(cli, ["compare-models", "--data", str(SAMPLE), "--challenger", version,
                                   "--no-progress", "--no-text"], catch_exceptions=False)
    assert compared.exit_code == 0, compared.output
    assert f"champion v{version}" in compared.output and "PR-AUC" in compared.output
    # the same version on both sides: a difference of 0, within noise
    assert f"verdict: no clear winner — challenger v{version} PR-AUC " in compared.output
    assert compared.output.rstrip().endswith("within noise")


def test_cli_names_the_run_and_keeps_its_plots_beside_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, feature_cache: Path
) -> None:
    """`escalation train --report` on the sample's first 250 tickets into a temporary MLflow store."""
    import re

    import mlflow

    data = first_tickets_of_sample(tmp_path / "first-weeks")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    report = tmp_path / "out" / "report.json"
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(cli, [
            "train", "--data", str(data), "--no-text", "--num-boost-round", "40", "--workers", "1",
            "--refit", "crossfit", "--feature-cache", str(feature_cache), "--report", str(report),
            "--no-progress",
        ], catch_exceptions=False)
        assert done.exit_code == 0, done.output
        where = json.loads(report.read_text())["artefacts"]
        name = where["run_name"]
        assert re.fullmatch(r"escalation@72h · first-weeks · \d{4}-\d\d-\d\d \d\d:\d\d UTC · "
                            r"events, no text, refit crossfit", name), name
        assert f"MLflow run {where['run_id']} ({name})" in done.output
        beside = tmp_path / "out" / "report-plots"
        assert where["plots"] == [str(beside / plot) for plot in PLOTS]
        assert f"its plots to {beside}/" in done.output
        with tracking.tracking(get_settings().mlflow_tracking_uri) as client:
            assert client.get_run(where["run_id"]).info.run_name == name
            logged = {a.path for a in client.list_artifacts(where["run_id"], "plots")}
            assert logged == {f"plots/{plot}" for plot in PLOTS}
            roc = mlflow.artifacts.download_artifacts(
                run_id=where["run_id"], artifact_path="plots/roc_curve.png", dst_path=str(tmp_path / "got")
            )
        assert Path(roc).read_bytes() == (beside / "roc_curve.png").read_bytes()  # the same file, twice
    finally:
        get_settings.cache_clear()


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}


def _first_run(uri: str, start: object, answers: object) -> None:
    """One of two commands recording to a new store at once (a child process)."""
    import mlflow

    start.wait()  # type: ignore[attr-defined]
    try:
        with tracking.tracking(uri):
            tracking.use_experiment()
            with mlflow.start_run():
                mlflow.log_param("a", 1)
        answers.put("ok")  # type: ignore[attr-defined]
    except Exception as exc:  # the test reports what the child met
        answers.put(f"{type(exc).__name__}: {str(exc)[:200]}")  # type: ignore[attr-defined]


def test_two_commands_creating_a_store_at_once_both_record(tmp_path: Path) -> None:
    """Two `escalation train` finishing together on a new SQLite store: both created MLflow's tables and one
    failed on `duplicate column name: step` (or an alembic CommandError) after its whole training. The store's
    creation is now one command's at a time. The commands are started fresh (spawn), as commands are: a fork
    of this test process took its threads' held locks along, and a child could hang on one."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for trial in range(3):
        uri = f"sqlite:///{tmp_path / f'store-{trial}' / 'mlflow.db'}"
        start, answers = context.Barrier(2), context.Queue()
        workers = [context.Process(target=_first_run, args=(uri, start, answers)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
        assert [answers.get(timeout=5) for _ in workers] == ["ok", "ok"]


@pytest.fixture
def dropping_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[int]]]:
    """MLFLOW_TRACKING_URI at a loopback server that accepts each connection and drops it, counting them;
    MLflow's retry variables unset (its own defaults, as an operator's shell has them)."""
    accepted = [0]

    def drop(conn: socket.socket) -> None:
        accepted[0] += 1  # before the drop, so the client's error comes after the count
        conn.close()

    with raw_server(drop) as uri:
        monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
        for name in REGISTRY_HTTP:
            monkeypatch.setenv(name, "")  # restored after the test, whatever the code under test sets
            monkeypatch.delenv(name)
        get_settings.cache_clear()
        yield uri, accepted
    get_settings.cache_clear()


TRACKING_COMMANDS = {
    "train": ["train", "--data", str(SAMPLE), "--no-text", "--no-progress", "--model-out", "{tmp}/m.json"],
    "promote": ["promote", "3"],
    "compare-models": ["compare-models", "--data", str(SAMPLE), "--challenger", "3", "--no-text",
                       "--no-progress"],
}


@pytest.mark.parametrize("command", list(TRACKING_COMMANDS))
def test_a_store_that_does_not_answer_is_given_up_on_after_two_retries(
    dropping_store: tuple[str, list[int]], tmp_path: Path, command: str
) -> None:
    """MLflow's own client asked it 8 times with doubling waits, about four minutes, before the command said
    "does not answer"; now as serving does (features/model/registry.py): three tries, seconds. After the
    check MLflow's own retries are back, for the run logged at the end of a training."""
    uri, accepted = dropping_store
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in TRACKING_COMMANDS[command]]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception).startswith(f"the MLflow tracking store at {uri} does not answer")
    assert accepted[0] == 1 + int(REGISTRY_HTTP["MLFLOW_HTTP_REQUEST_MAX_RETRIES"])
    assert not set(REGISTRY_HTTP) & set(os.environ)


def test_the_retries_an_operator_set_are_kept(
    dropping_store: tuple[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, accepted = dropping_store
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    result = CliRunner().invoke(cli, ["promote", "3"])
    assert isinstance(result.exception, ConfigError), result.output
    assert accepted[0] == 2
    assert os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == "1"


def test_a_command_leaves_mlflow_pointed_where_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tracking` pointed MLflow at a command's store and put back only the tracking URI, as a fixed value:
    the registry URI (and MLflow's MLFLOW_REGISTRY_URI, which it sets for subprocesses) stayed on the
    command's store, so a later command in the process registered its models in an earlier one's."""
    import mlflow
    from mlflow.tracking._model_registry import utils as registry_utils
    from mlflow.tracking._tracking_service import utils as tracking_utils

    ours = f"sqlite:///{tmp_path / 'ours.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", ours)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    monkeypatch.setattr(tracking_utils, "_tracking_uri", None)
    monkeypatch.setattr(registry_utils, "_registry_uri", None)
    with tracking.tracking(f"sqlite:///{tmp_path / 'command.db'}"):
        assert mlflow.get_registry_uri().endswith("command.db")
    assert os.environ.get("MLFLOW_REGISTRY_URI") is None and os.environ["MLFLOW_TRACKING_URI"] == ours
    assert tracking_utils._tracking_uri is None and registry_utils._registry_uri is None
    assert mlflow.get_tracking_uri() == ours and mlflow.get_registry_uri() == ours
