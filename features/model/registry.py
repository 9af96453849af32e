"""Registered models, read side: which version an alias (champion) names in the MLflow registry, and the
model file a version holds. `escalation compare-models` and serving both load registered models here.
MLflow is imported on first use: a server serving a file never loads it."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import NotFoundError
from features.model.artefact import EscalationModel, load_model

MODEL_FILE = "model.json"  # the model file inside a registered version (logged by `escalation train`)
# MLflow's HTTP client retries a server it cannot reach 7 times with doubling waits, about four minutes a
# question: a server starting while the registry was down took eight minutes to start (the file model stood
# in at the end) and could not be stopped meanwhile. Its own variables are its only knobs; a value the
# operator set is kept.
REGISTRY_HTTP = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2", "MLFLOW_HTTP_REQUEST_TIMEOUT": "10"}
# what the registry answers for a model or alias that does not exist (not for a store it cannot reach)
_ABSENT = ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE")


def alias_version(tracking_uri: str, name: str, alias: str) -> str | None:
    """The version `alias` points to; None when the model is not registered or the alias is not set.
    A registry that cannot be reached raises (MlflowException or the store's own error)."""
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    _bounded_retries()
    try:
        return str(MlflowClient(tracking_uri, tracking_uri).get_model_version_by_alias(name, alias).version)
    except MlflowException as exc:
        if exc.error_code in _ABSENT:
            return None
        raise


def load_version(tracking_uri: str, name: str, version: str) -> EscalationModel:
    """The model file of a registered version, downloaded to a temporary folder and loaded."""
    import mlflow
    from mlflow import MlflowClient

    _bounded_retries()
    source = MlflowClient(tracking_uri, tracking_uri).get_model_version_download_uri(name, version)
    with tempfile.TemporaryDirectory() as tmp:
        local = mlflow.artifacts.download_artifacts(source, dst_path=tmp, tracking_uri=tracking_uri)
        found = next(Path(local).rglob(MODEL_FILE), None)
        if found is None:
            raise NotFoundError(
                f"model version {name}/{version} holds no {MODEL_FILE}; log it with `escalation train`"
            )
        return load_model(found)


def _bounded_retries() -> None:
    """A registry that does not answer is given up on in seconds, unless the operator set otherwise."""
    for name, value in REGISTRY_HTTP.items():
        os.environ.setdefault(name, value)


@contextmanager
def bounded_retries() -> Iterator[None]:
    """Within: a store that does not answer is given up on in seconds, as a server does, unless the operator
    set otherwise; after: MLflow's own retries again (the commands' check that the store answers uses it, so
    the run logged after a whole training still rides out a short outage)."""
    unset = [name for name in REGISTRY_HTTP if name not in os.environ]
    _bounded_retries()
    try:
        yield
    finally:
        for name in unset:
            os.environ.pop(name, None)


def shown_uri(uri: str) -> str:
    """A tracking URI fit for logs and error messages: without the user and password it may hold."""
    return re.sub(r"//[^/@]*@", "//", uri)
