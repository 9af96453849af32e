"""MLflow: a run is logged and registered, promoted to champion, loaded by alias; the CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from core.cli import cli
from core.errors import NotFoundError
from core.settings import get_settings
from training import tracking
from training.artefact import EscalationModel
from training.cli import run_training
from training.fit import BoostParams
from training.targets import parse_target
from training.train import TrainConfig

from .conftest import FAST_ROUNDS, SAMPLE

pytestmark = pytest.mark.slow


def test_train_register_promote_load(mlflow_store: dict[str, Path], tmp_path: Path) -> None:
    get_settings.cache_clear()
    config = TrainConfig(parse_target(), params=BoostParams(num_boost_round=FAST_ROUNDS, num_threads=2))
    result, where = run_training(SAMPLE, config)
    assert Path(where["model_file"]) == mlflow_store["models"] / "escalation-risk.json"
    with tracking.tracking(get_settings().mlflow_tracking_uri) as client:
        run = client.get_run(where["run_id"])
        assert run.data.metrics["test.roc_auc"] == pytest.approx(result.report["test"]["roc_auc"])
        assert run.data.tags["data_sha256"] == result.model.metadata["data"]["sha256"]
        artifacts = {a.path for a in client.list_artifacts(where["run_id"], "plots")}
        assert artifacts == {"plots/reliability.png", "plots/pr_curve.png", "plots/feature_importance.png"}
        with pytest.raises(NotFoundError, match="no version or alias 'champion'"):
            tracking.load_model(client, "champion")
        assert tracking.promote(client, None) == where["model_version"]
        champion, version = tracking.load_model(client, "champion")
    assert version == where["model_version"]
    from_file = EscalationModel.load(where["model_file"])
    frame = result.test_frame
    np.testing.assert_allclose(champion.predict_proba(frame), from_file.predict_proba(frame))
    np.testing.assert_allclose(champion.predict_proba(result.test_frame), result.test["score"])
    assert champion.threshold == result.model.threshold


def test_cli_train_promote_compare(mlflow_store: dict[str, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    report = tmp_path / "report.json"
    args = ["train", "--data", str(SAMPLE), "--num-boost-round", "60", "--report", str(report),
            "--no-progress", "--model-out", str(tmp_path / "m.json")]
    trained = runner.invoke(cli, args, catch_exceptions=False)
    assert trained.exit_code == 0, trained.output
    assert "LightGBM" in trained.output and "rules" in trained.output
    figures = json.loads(report.read_text())
    assert figures["test"]["first_event"]["roc_auc"] is not None
    version = figures["artefacts"]["model_version"]
    promoted = runner.invoke(cli, ["promote-model", "--version", version], catch_exceptions=False)
    assert f"version {version} is now @champion" in promoted.output
    compared = runner.invoke(cli, ["compare-models", "--data", str(SAMPLE), "--challenger", version,
                                   "--no-progress"], catch_exceptions=False)
    assert compared.exit_code == 0, compared.output
    assert f"champion v{version}" in compared.output and "PR-AUC" in compared.output
