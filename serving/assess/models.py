"""The escalation model as serving holds it: loaded from a JSON file or from the MLflow registry
(`models:/<name>@<alias>`, or settings.serving.model_source = registry), with the version every assessment
names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from sqlalchemy.engine import make_url

from core.errors import ConfigError, NotFoundError
from core.settings import Settings
from features.model import EscalationModel, load_model
from features.model.registry import alias_version, load_version, shown_uri

MODEL_FILE_NAME = "escalation-risk.json"
URI_VARIABLE = "ESCALATION_SERVING__MODEL_URI"
# name the registered model model_source registry (or auto) serves when no MODEL_URI is set
REGISTRY_VARIABLES = "ESCALATION_SERVING__REGISTRY_MODEL and ESCALATION_SERVING__REGISTRY_ALIAS"


@dataclass(frozen=True, slots=True)
class LoadedModel:
    model: EscalationModel
    version: str  # "file:<name>@<content hash>" or "<registered name>/<version>"
    source: str


@dataclass(frozen=True, slots=True)
class RegistryRef:
    """A registered model by alias: `models:/<name>@<alias>`."""

    name: str
    alias: str
    fallback: bool  # serve the model file while the alias names no version (model_source registry, auto)
    optional: bool = False  # model_source auto: a tracking store that does not exist names no version

    @property
    def uri(self) -> str:
        return f"models:/{self.name}@{self.alias}"


def registry_ref(settings: Settings) -> RegistryRef | None:
    """The registered model the settings serve, if any: a models:/ model_uri, or model_source registry."""
    uri, serving = settings.serving.model_uri, settings.serving
    if uri is not None and uri.startswith("models:/"):
        name, sep, alias = uri.removeprefix("models:/").partition("@")
        if not sep or not name or not alias:
            raise ConfigError(
                f"{URI_VARIABLE}: {uri!r} is not models:/<name>@<alias>, "
                "e.g. models:/escalation-risk@champion"
            )
        return RegistryRef(name, alias, fallback=False)
    if uri is None and serving.model_source in ("registry", "auto"):
        optional = serving.model_source == "auto"
        return RegistryRef(serving.registry_model, serving.registry_alias, fallback=True, optional=optional)
    return None


def tracking_store_exists(uri: str) -> bool:
    """Whether the MLflow tracking store is there to be asked: a SQLite file or a local folder that exists;
    any other store (a tracking server, a database server) is taken to exist. Asking MLflow about a local
    store that is not there would create an empty one."""
    if uri.startswith("sqlite:"):
        database = make_url(uri).database
        return bool(database) and database != ":memory:" and Path(str(database)).is_file()
    if uri.startswith("file:") or "://" not in uri:
        return Path(unquote(urlparse(uri).path) if uri.startswith("file:") else uri).is_dir()
    return True


def _alias_version(ref: RegistryRef, tracking_uri: str) -> str | None:
    if ref.optional and not tracking_store_exists(tracking_uri):
        return None
    return alias_version(tracking_uri, ref.name, ref.alias)


def registered_version(settings: Settings) -> str | None:
    """The `<name>/<version>` the registry's alias names now (what a loaded registry model's version reads);
    None when the settings serve a file or the alias names no version. One registry query, no download."""
    ref = registry_ref(settings)
    if ref is None:
        return None
    version = _alias_version(ref, settings.mlflow_tracking_uri)
    return None if version is None else f"{ref.name}/{version}"


def load_escalation_model(settings: Settings) -> LoadedModel | None:
    """The configured model; None when none is configured and the default file does not exist (rules-only).
    With model_source registry: the alias's version, or the file while no version holds the alias; auto: the
    same when the tracking store exists, else the file."""
    ref = registry_ref(settings)
    if ref is not None:
        try:
            found = _from_registry(ref, settings.mlflow_tracking_uri)
        except NotFoundError as exc:
            if ref.fallback:
                raise
            raise NotFoundError(f"{exc} ({URI_VARIABLE} names it: a model file's path, or "
                                "models:/<name>@<alias>)") from None
        if found is not None or not ref.fallback:
            return found
        return file_model(settings)
    uri = settings.serving.model_uri
    if uri is None:
        return file_model(settings)
    try:
        return _from_file(Path(uri))
    except (NotFoundError, ConfigError) as exc:  # a path in the deployment's settings: say which one
        raise ConfigError(
            f"{exc} (the file {URI_VARIABLE} names; unset it to serve the registry's champion "
            "or the models folder's escalation-risk.json)"
        ) from None


def served_from(settings: Settings, loaded: LoadedModel | None) -> str:
    """Which model is served and why, for the start-up log line: the registry's champion (its version), or
    the file (its path) and why not the registry."""
    ref, uri = registry_ref(settings), settings.mlflow_tracking_uri
    if loaded is not None and loaded.source.startswith("models:/"):
        return f"{loaded.version}, {loaded.source} at {shown_uri(uri)}"
    # a registered model not found: say which variables name it (a misspelt name was found nowhere, silently)
    why = None if ref is None else (
        f"no tracking store at {shown_uri(uri)}" if ref.optional and not tracking_store_exists(uri)
        else f"no version of {ref.name!r} is @{ref.alias} at {shown_uri(uri)}, or it could not be loaded; "
             f"{f'{REGISTRY_VARIABLES} name it' if ref.fallback else f'{URI_VARIABLE} names it'}")
    if loaded is None:
        return f"no model: rules-only ({f'{why}; ' if why else ''}train one with `escalation train`)"
    return f"{loaded.version}, the file {loaded.source}" + (f" ({why})" if why else "")


def file_model(settings: Settings) -> LoadedModel | None:
    """models_dir/escalation-risk.json when it exists (the model without a registry); None otherwise."""
    default = settings.paths.models_dir / MODEL_FILE_NAME
    return _from_file(default) if default.is_file() else None


def _from_file(path: Path) -> LoadedModel:
    model = load_model(path)
    return LoadedModel(model, file_version(path), str(path))


def file_version(path: Path) -> str:
    """A model file's version, what a model loaded from it reads: its name and a hash of its content."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"file:{path.stem}@{digest}"


def served_file(settings: Settings) -> Path | None:
    """The model file the settings serve when no registered version does: ESCALATION_SERVING__MODEL_URI's
    path, else models_dir/escalation-risk.json; None for an explicit models:/ URI (no file stands in)."""
    ref = registry_ref(settings)
    if ref is not None and not ref.fallback:
        return None
    uri = settings.serving.model_uri
    return Path(uri) if ref is None and uri is not None else settings.paths.models_dir / MODEL_FILE_NAME


def _from_registry(ref: RegistryRef, tracking_uri: str) -> LoadedModel | None:
    """The alias's version; None when it names none and the file may stand in (ref.fallback)."""
    from mlflow.exceptions import MlflowException

    try:
        version = _alias_version(ref, tracking_uri)
        if version is None:
            if ref.fallback:
                return None
            raise NotFoundError(
                f"model {ref.uri!r}: no version of {ref.name!r} holds the alias {ref.alias!r} at "
                f"{shown_uri(tracking_uri)}; train and promote one with `escalation train` and "
                "`escalation promote`"
            )
        model = load_version(tracking_uri, ref.name, version)
    except MlflowException as exc:
        raise NotFoundError(
            f"model {ref.uri!r} cannot be loaded from {shown_uri(tracking_uri)} "
            f"({exc.message.splitlines()[0]}); "
            "train and promote one with `escalation train` and `escalation promote`"
        ) from None
    return LoadedModel(model, f"{ref.name}/{version}", ref.uri)
