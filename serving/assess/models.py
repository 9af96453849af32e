"""The escalation model as serving holds it: loaded from a JSON file or from the MLflow registry
(`models:/<name>@<alias>`), with the version every assessment names."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.errors import ConfigError, NotFoundError
from core.settings import Settings
from features.model import EscalationModel, load_model

MODEL_FILE_NAME = "escalation-risk.json"


@dataclass(frozen=True, slots=True)
class LoadedModel:
    model: EscalationModel
    version: str  # "file:<name>@<content hash>" or "<registered name>/<version>"
    source: str


def load_escalation_model(settings: Settings) -> LoadedModel | None:
    """The configured model; None when none is configured and the default file does not exist (rules-only)."""
    uri = settings.serving.model_uri
    if uri is None:
        default = settings.paths.models_dir / MODEL_FILE_NAME
        return _from_file(default) if default.is_file() else None
    if uri.startswith("models:/"):
        return _from_registry(uri, settings.mlflow_tracking_uri)
    return _from_file(Path(uri))


def _from_file(path: Path) -> LoadedModel:
    model = load_model(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return LoadedModel(model, f"file:{path.stem}@{digest}", str(path))


def _from_registry(uri: str, tracking_uri: str) -> LoadedModel:
    import mlflow
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    ref = uri.removeprefix("models:/")
    name, sep, alias = ref.partition("@")
    if not sep or not name or not alias:
        raise ConfigError(
            f"model uri {uri!r} is not models:/<name>@<alias>, e.g. models:/escalation-risk@champion"
        )
    mlflow.set_tracking_uri(tracking_uri)
    try:
        version = MlflowClient(tracking_uri).get_model_version_by_alias(name, alias).version
        with tempfile.TemporaryDirectory() as tmp:
            local = mlflow.artifacts.download_artifacts(f"models:/{name}/{version}", dst_path=tmp)
            found = next(Path(local).rglob("model.json"), None)
            if found is None:
                raise NotFoundError(
                    f"model version {name}/{version} holds no model.json; log it with `escalation train`"
                )
            model = load_model(found)
    except MlflowException as exc:
        raise NotFoundError(
            f"model {uri!r} cannot be loaded from {tracking_uri} ({exc.message.splitlines()[0]}); "
            "train and promote one with `escalation train` and `escalation promote-model`"
        ) from None
    return LoadedModel(model, f"{name}/{version}", uri)
