"""MLflow: log a training run (params, data fingerprint, metrics, plots, features, model) and register
the model; promote by alias; load by alias. The tracking store is settings.mlflow_tracking_uri
(local SQLite under var/ by default; MLFLOW_TRACKING_URI overrides it)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import mlflow
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature
from mlflow.tracking import MlflowClient
from mlflow.tracking._model_registry import utils as _registry_utils  # the globals `tracking` puts back
from mlflow.tracking._tracking_service import utils as _tracking_utils
from sqlalchemy.engine import make_url

from core.errors import ConfigError, NotFoundError
from features.model import EscalationModel
from features.model.metadata import DataFingerprint
from features.model.pyfunc import EscalationPyfunc
from features.model.registry import MODEL_FILE, bounded_retries, load_version, shown_uri
from training.fingerprint import fingerprint
from training.train import TrainConfig, TrainResult
from training.tune import Tuning

__all__ = [
    "MODEL_FILE", "MODEL_NAME", "fingerprint", "load_model", "log_run", "promote", "tracking", "version_of"
]

EXPERIMENT = "escalation-risk"
MODEL_NAME = "escalation-risk"


@contextmanager
def tracking(uri: str) -> Iterator[MlflowClient]:
    """Point MLflow (tracking and registry) at `uri` for the duration of a command, then back where it was:
    MLflow keeps both in globals and copies them into MLFLOW_TRACKING_URI and MLFLOW_REGISTRY_URI for
    subprocesses, so all four are put back (a global that was unset stays unset: MLflow reads the
    environment again), or a later command in the process would use this one's store."""
    before = (_tracking_utils._tracking_uri, _registry_utils._registry_uri)
    environment = {name: os.environ.get(name) for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        with _creating(uri):  # MLflow creates a new store's tables on first use
            try:
                client = MlflowClient(uri, uri)
            except MlflowException as exc:  # a store MLflow will not open (a folder): before any work
                raise _unusable(uri, exc) from None
            try:
                with bounded_retries():  # MLflow's own retries took four minutes to say it
                    client.search_experiments(max_results=1)
                    client.search_registered_models(max_results=1)
            except MlflowException as exc:
                raise _not_answering(uri, exc) from None
        yield client
    finally:
        _tracking_utils._tracking_uri, _registry_utils._registry_uri = before
        for name, value in environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _creating(uri: str) -> Iterator[None]:
    """One command at a time creates (or upgrades) a SQLite store: two `escalation train` finishing together
    on a new store both ran MLflow's migrations, and one failed (`duplicate column name: step`) after its
    whole training. A lock file beside the database; other stores migrate on their server."""
    parsed = make_url(uri) if uri.startswith("sqlite:") else None
    if parsed is None or not parsed.database or parsed.database == ":memory:":
        yield
        return
    import fcntl

    database = Path(parsed.database)
    database.parent.mkdir(parents=True, exist_ok=True)
    with open(database.with_name(f"{database.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def artifact_root(uri: str) -> str | None:
    """Where a new experiment keeps its artefacts: beside a SQLite tracking database (`mlartifacts/` in its
    folder, with the database), not in `./mlruns` of whatever folder the command runs in. None for a
    tracking server, which has its own artefact root."""
    parsed = make_url(uri) if uri.startswith("sqlite:") else None
    if parsed is None or not parsed.database or parsed.database == ":memory:":
        return None
    return (Path(parsed.database).resolve().parent / "mlartifacts").as_uri()


def use_experiment(name: str = EXPERIMENT) -> None:
    """Make `name` the active experiment, creating it with its artefacts beside the tracking database."""
    if mlflow.get_experiment_by_name(name) is None:
        try:
            mlflow.create_experiment(name, artifact_location=artifact_root(mlflow.get_tracking_uri()))
        except MlflowException as exc:  # another command created it meanwhile
            if exc.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
    mlflow.set_experiment(name)


def log_run(
    result: TrainResult,
    config: TrainConfig,
    data: DataFingerprint,
    model_path: Path,
    model_name: str = MODEL_NAME,
    *,
    run_name: str | None = None,
    plots: Sequence[Path] = (),
) -> tuple[str, str]:
    """Log everything about one run and register its model; returns (run id, model version).
    `run_name`: the run's readable name (training/run_name.py); `plots`: PNG files logged under plots/."""
    use_experiment()
    config = result.config_used(config)  # the tuned parameters, when tuning ran
    with mlflow.start_run(run_name=run_name) as run:
        mlflow.log_params({**config.to_params(), "data_sha256": data.sha256[:16]})
        if result.tuning is not None:
            log_trials(result.tuning)
        mlflow.set_tags({"target": config.target.name, "data_sha256": data.sha256})
        mlflow.log_dict(data.to_dict(), "data_fingerprint.json")
        mlflow.log_metrics(flat_metrics(result.report.to_dict()))
        mlflow.log_dict(result.report.to_dict(), "report.json")
        mlflow.log_dict({"features": result.model.spec.to_dict()}, "features.json")
        for plot in plots:
            mlflow.log_artifact(str(plot), "plots")
        example = result.test.head(5)
        frame = _input_example(result, example)
        output = pd.DataFrame({"risk": result.model.predict_proba(frame)})
        output["alert"] = output["risk"] >= result.model.threshold
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=EscalationPyfunc(),
            artifacts={"model": str(model_path)},
            signature=infer_signature(frame, output),
            input_example=frame,
            pip_requirements=requirements(),
            registered_model_name=model_name,
            metadata={"threshold": result.model.threshold},
        )
    return run.info.run_id, str(info.registered_model_version)


def log_trials(tuning: Tuning) -> None:
    """One nested run per tuning trial under the active run: its parameters and validation PR-AUC."""
    mlflow.set_tag("tuning.best_trial", str(tuning.best.number))
    for trial in tuning.trials:
        with mlflow.start_run(run_name=f"trial-{trial.number:03d}", nested=True):
            mlflow.log_params({**trial.params, "trial": trial.number, "seed": tuning.seed})
            mlflow.set_tag("tuning.best", str(trial.number == tuning.best.number).lower())
            metrics = {"valid.best_iteration": float(trial.best_iteration), "seconds": trial.seconds}
            if trial.pr_auc is not None:
                metrics["valid.pr_auc"] = trial.pr_auc
            mlflow.log_metrics(metrics)


def requirements() -> list[str]:
    """Pinned to what trained it, so MLflow need not infer them (slow: it re-imports the model)."""
    return [f"{name}=={installed_version(name)}" for name in ("lightgbm", "numpy", "pandas")]


def _input_example(result: TrainResult, example: pd.DataFrame) -> pd.DataFrame:
    frame = result.model.prepare(result.test_frame.head(len(example)))
    for column in result.model.spec.categorical:
        frame[column] = frame[column].astype("object")
    return frame


def flat_metrics(report: dict[str, Any], prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in report.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flat_metrics(value, f"{name}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[re.sub(r"[^\w./:\- ]", "_", name)] = float(value)  # MLflow's allowed characters
    return out


RUN_ID = re.compile(r"[0-9a-f]{32}")


def promote(
    client: MlflowClient, ref: str | None, alias: str = "champion", model_name: str = MODEL_NAME
) -> str:
    """Move `alias` to the version `ref` names (a version number, or the id of the run that logged it; the
    newest version when None); returns the version promoted."""
    versions = _versions(client, model_name)
    if not versions:
        raise NotFoundError(
            f"model {model_name!r} has no registered version; train one with `escalation train`"
        )
    chosen = max(versions, key=int) if ref is None else version_of(client, ref, model_name, aliases=False)
    try:
        client.set_registered_model_alias(model_name, alias, chosen)
    except MlflowException as exc:
        if exc.error_code != "INVALID_PARAMETER_VALUE":
            raise
        rule = exc.message.rstrip(".")
        raise ConfigError(f"--alias {alias!r}: {rule}; e.g. champion or challenger") from None
    return chosen


def version_of(client: MlflowClient, ref: str, model_name: str = MODEL_NAME, *, aliases: bool = True) -> str:
    """The registered version `ref` names: a version number, the id of the run that logged it, or (when
    `aliases`) an alias such as champion."""
    known = ", ".join(sorted(_versions(client, model_name), key=int)) or "none"
    if RUN_ID.fullmatch(ref):
        found = _search(client, f"name = '{model_name}' and run_id = '{ref}'")
        if found:
            return max(found, key=int)
        raise NotFoundError(
            f"run {ref} registered no version of model {model_name!r} (versions: {known}); "
            "give a version number or the id of a run `escalation train` logged"
        )
    try:
        mv = (
            client.get_model_version(model_name, ref)
            if ref.isdigit()
            else client.get_model_version_by_alias(model_name, ref) if aliases else None
        )
    except MlflowException:
        mv = None
    if mv is None:
        what = "version or alias" if aliases else "version (or run id)"
        raise NotFoundError(
            f"model {model_name!r} has no {what} {ref!r} (versions: {known}); "
            "train one with `escalation train`, promote with `escalation promote`"
        )
    return str(mv.version)


def load_model(client: MlflowClient, ref: str, model_name: str = MODEL_NAME) -> tuple[EscalationModel, str]:
    """`ref` is an alias (champion), a version number or a run id; returns the model and its version."""
    version = version_of(client, ref, model_name)
    return load_version(mlflow.get_tracking_uri(), model_name, version), version


def _versions(client: MlflowClient, model_name: str) -> list[str]:
    return _search(client, f"name = '{model_name}'")


def _search(client: MlflowClient, where: str) -> list[str]:
    """The versions `where` finds; none when the model is not registered. A store that does not answer is
    said so: "no registered version; train one" would send a user to retrain for nothing."""
    try:
        return [str(v.version) for v in client.search_model_versions(where)]
    except MlflowException as exc:
        if exc.error_code in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"):
            return []
        raise _not_answering(client.tracking_uri, exc) from None


def _unusable(uri: str, exc: MlflowException) -> ConfigError:
    if urlparse(uri).scheme in ("", "file"):
        return ConfigError(
            f"MLFLOW_TRACKING_URI={shown_uri(uri)}: MLflow no longer writes a folder (file) store; point it "
            "at a database such as sqlite:///var/mlflow.db (MLFLOW_ALLOW_FILE_STORE=true keeps the folder)"
        )
    return ConfigError(f"MLFLOW_TRACKING_URI={shown_uri(uri)}: {exc.message.splitlines()[0][:200]}")


def _not_answering(uri: str, exc: MlflowException) -> ConfigError:
    return ConfigError(
        f"the MLflow tracking store at {shown_uri(uri)} does not answer "
        f"({exc.message.splitlines()[0][:200]}); start it, or point MLFLOW_TRACKING_URI at the store "
        "`escalation train` recorded to"
    )
