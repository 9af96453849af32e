"""Serving what was promoted: with model_source registry the server serves the champion alias (the model file
while none is promoted), follows the alias without a restart, and keeps the model it has when a promoted
version cannot be loaded — saying why in the logs, the reload's answer and /metrics. MLflow in a temp dir."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from mlflow.tracking import MlflowClient

from core.errors import ConfigError
from core.settings import OutboxSettings, PathSettings, ServingSettings, Settings, SweeperSettings
from core.tickets import Event, Ticket
from rules import DEFAULT_POLICY_FILE, load_policies
from serving.app import create_app
from serving.assess.models import file_version, served_from, shown_uri, tracking_store_exists
from serving.errors import ModelLoadError
from serving.model_check import start_model_check
from serving.service import Service
from serving.store import Database, Store, migrate

from .conftest import make_model

NAME = "escalation-risk"
ADMIN = {"X-API-Key": "dev-admin-key"}


class Registry:
    """A temp MLflow store in which versions are registered by hand: a run holding model/model.json."""

    def __init__(self, root: Path) -> None:
        self.uri = f"sqlite:///{root / 'mlflow.db'}"
        self.client = MlflowClient(self.uri, self.uri)
        self.experiment = self.client.create_experiment("serving-test", (root / "artifacts").as_uri())
        self.client.create_registered_model(NAME)
        self.files = root / "files"
        self.files.mkdir()

    def register(self, content: str) -> str:
        run = self.client.create_run(self.experiment)
        path = self.files / run.info.run_id / "model.json"
        path.parent.mkdir()
        path.write_text(content, encoding="utf-8")
        self.client.log_artifact(run.info.run_id, str(path), "model")
        self.client.set_terminated(run.info.run_id)
        source = f"{run.info.artifact_uri}/model"
        return str(self.client.create_model_version(NAME, source, run.info.run_id).version)

    def promote(self, version: str) -> None:
        self.client.set_registered_model_alias(NAME, "champion", version)


def model_json(seed: int, tmp: Path) -> str:
    path = make_model(seed).save(tmp / f"model-{seed}.json")
    return Path(path).read_text(encoding="utf-8")


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    found = Registry(tmp_path)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", found.uri)
    yield found


def settings_for(tmp: Path) -> Settings:
    """The registry's champion (the check off: tests call it), no sentiment model, no background work."""
    models = tmp / "models"
    models.mkdir(exist_ok=True)
    return Settings(
        database_url=f"sqlite:///{tmp / 'store.db'}",
        paths=PathSettings(models_dir=models),
        serving=ServingSettings(model_source="registry", model_check_s=0, sentiment=False),
        sweeper=SweeperSettings(enabled=False),
        outbox=OutboxSettings(enabled=False),
    )


def service_for(settings: Settings) -> Service:
    migrate(settings.database_url)
    return Service(settings, Store(Database(settings.database_url)), load_policies(DEFAULT_POLICY_FILE), None)


def test_the_file_until_a_champion_then_the_champion(registry: Registry, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    service = service_for(settings)
    assert service.model_version() is None  # no champion, no file: rules-only
    make_model(3).save(settings.paths.models_dir / "escalation-risk.json")
    first = registry.register(model_json(1, tmp_path))
    assert service.check_model()  # no champion yet: the file written since stands in, as at a restart
    assert str(service.model_version()).startswith("file:escalation-risk@")
    assert not service.check_model()  # the file unchanged, still no champion: nothing to do
    registry.promote(first)
    assert service.check_model()
    assert service.model_version() == f"{NAME}/{first}"
    assert not service.check_model()  # the alias has not moved: nothing loaded
    registry.client.delete_registered_model_alias(NAME, "champion")
    assert service.check_model()  # no champion any more: the file stands in
    assert str(service.model_version()).startswith("file:escalation-risk@")
    # a server started with a champion serves it from the start
    registry.promote(first)
    assert service_for(settings).model_version() == f"{NAME}/{first}"


def test_a_broken_champion_keeps_the_served_model(
    registry: Registry, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = registry.register(model_json(1, tmp_path))
    registry.promote(good)
    service = service_for(settings_for(tmp_path))
    assert service.model_version() == f"{NAME}/{good}"
    broken = registry.register("{not json")
    registry.promote(broken)
    with caplog.at_level(logging.ERROR, logger="serving.model"):
        assert not service.check_model()
    assert service.model_version() == f"{NAME}/{good}"
    loads = service.model_loads
    assert loads.failures_total["check"] == 1 and loads.failing_version == f"{NAME}/{broken}"
    assert f"model {NAME}/{broken} could not be loaded (check): model file " in caplog.text
    assert "is not JSON" in caplog.text and f"still serving {NAME}/{good}" in caplog.text
    assert not service.check_model()  # the same broken version is not downloaded again every period
    assert loads.failures_total["check"] == 1
    with pytest.raises(ModelLoadError, match=rf"model {NAME}/{broken} could not be loaded: .* is not JSON"):
        service.reload()  # an admin's reload tries at once, and says why it failed
    assert loads.failures_total["reload"] == 1 and service.model_version() == f"{NAME}/{good}"
    fixed = registry.register(model_json(2, tmp_path))
    registry.promote(fixed)
    assert service.check_model()
    assert service.model_version() == f"{NAME}/{fixed}" and not loads.failing() and loads.swaps_total == 1


def test_a_broken_champion_at_start_up_starts_on_the_file(registry: Registry, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    make_model(3).save(settings.paths.models_dir / "escalation-risk.json")
    registry.promote(registry.register("{}"))  # JSON, but no model in it
    service = service_for(settings)
    assert str(service.model_version()).startswith("file:escalation-risk@")
    assert service.model_loads.failures_total["startup"] == 1 and service.model_loads.failing()


def test_requests_in_flight_during_swaps_all_succeed(registry: Registry, tmp_path: Path) -> None:
    versions = [registry.register(model_json(seed, tmp_path)) for seed in (1, 2)]
    registry.promote(versions[0])
    service = service_for(settings_for(tmp_path))
    ticket = Ticket.model_validate({
        "ticket_id": "S-1", "created_at": "2026-05-04T09:00:00Z", "channel": "chat", "priority": "normal",
        "customer_id": "C-S", "customer_tier": "silver", "product": "p", "category": "billing",
        "team": "billing", "language": "en",
    })
    events = [Event.model_validate({
        "event_id": "S-1-e1", "ticket_id": "S-1", "at": "2026-05-04T10:00:00Z", "type": "customer_message",
        "author_role": "customer", "body": "Still waiting for my refund.",
    })]

    def swaps() -> None:
        for i in range(1, 9):  # one after the other: each moves the alias, so each reload swaps
            registry.promote(versions[i % 2])
            service.reload()

    with ThreadPoolExecutor(4) as pool:
        swapping = pool.submit(swaps)
        scored = [pool.submit(service.score, ticket, events, None) for _ in range(40)]
        results = [f.result() for f in scored]
        swapping.result()
    assert {r.model_version for r in results} <= {f"{NAME}/{v}" for v in versions}
    assert all(r.risk is not None for r in results)
    assert service.model_loads.swaps_total == 8


def test_the_api_says_why_a_reload_failed_and_counts_it(registry: Registry, tmp_path: Path) -> None:
    good = registry.register(model_json(1, tmp_path))
    registry.promote(good)
    with TestClient(create_app(settings_for(tmp_path)), base_url="http://localhost") as client:
        registry.promote(registry.register("{not json"))
        r = client.post("/v1/admin/reload", headers=ADMIN)
        assert r.status_code == 502
        body = r.json()
        assert body["error"] == "model_not_loaded"
        assert body["detail"].startswith(f"model {NAME}/2 could not be loaded: model file ")
        assert body["detail"].endswith(f"still serving {NAME}/{good}")
        assert client.get("/readyz").json()["model_version"] == f"{NAME}/{good}"
        metrics = client.get("/metrics").text
        assert 'escalation_model_load_failures_total{stage="reload"} 1.0' in metrics
        assert "escalation_model_load_failing 1.0" in metrics
        assert f'escalation_model_info{{version="{NAME}/{good}"}} 1.0' in metrics
        registry.promote(good)
        r = client.post("/v1/admin/reload", headers=ADMIN)
        assert r.status_code == 200 and r.json()["model_version"] == f"{NAME}/{good}"
        assert "escalation_model_load_failing 0.0" in client.get("/metrics").text


def test_credentials_in_a_tracking_uri_are_not_shown() -> None:
    assert shown_uri("https://user:secret@mlflow.example/") == "https://mlflow.example/"
    assert shown_uri("postgresql://ml:pw@db/mlflow") == "postgresql://db/mlflow"
    assert shown_uri("sqlite:///var/mlflow.db") == "sqlite:///var/mlflow.db"


def test_the_periodic_check_swaps_in_a_newly_promoted_champion(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = (registry.register(model_json(seed, tmp_path)) for seed in (1, 2))
    registry.promote(first)
    settings = settings_for(tmp_path)
    service = service_for(settings)
    assert start_model_check(service, settings) is None  # model_check_s 0: off
    checked = threading.Event()
    check = service.check_model

    def observed() -> bool:
        swapped = check()
        checked.set()
        return swapped

    monkeypatch.setattr(service, "check_model", observed)
    hourly_check = settings.serving.model_copy(update={"model_check_s": 3600})
    hourly = settings.model_copy(update={"serving": hourly_check})
    loop = start_model_check(service, hourly)
    assert loop is not None
    try:
        registry.promote(second)
        loop.wake()  # the hour's wait, cut short: the next step is the check
        assert checked.wait(30)
    finally:
        loop.stop()
    assert service.model_version() == f"{NAME}/{second}"
    files = settings.model_copy(update={"serving": ServingSettings(model_source="file", model_check_s=60)})
    follows = start_model_check(service, files)  # a model file is followed too (test_model_check.py)
    assert follows is not None
    follows.stop()


def test_the_check_follows_a_replaced_model_file(tmp_path: Path) -> None:
    base = settings_for(tmp_path)
    settings = base.model_copy(update={"serving": ServingSettings(model_source="file", model_check_s=0,
                                                                  sentiment=False)})
    path = settings.paths.models_dir / "escalation-risk.json"
    make_model(1).save(path)
    service = service_for(settings)
    first = service.model_version()
    assert not service.check_model()  # unchanged: nothing loaded
    make_model(2).save(path)  # `escalation train` wrote a new one, and a reload reached another process
    assert service.check_model() and service.model_version() not in (None, first)
    second = service.model_version()
    path.write_text("{not json")
    assert not service.check_model() and service.model_version() == second  # the served model stays
    assert not service.check_model() and service.model_loads.failures_total["check"] == 1  # not retried
    make_model(1).save(path)
    assert service.check_model() and service.model_version() == first


def test_an_explicit_registry_uri_has_no_file_standing_in(registry: Registry, tmp_path: Path) -> None:
    base = settings_for(tmp_path)
    explicit = ServingSettings(model_uri=f"models:/{NAME}@champion", model_check_s=0, sentiment=False)
    settings = base.model_copy(update={"serving": explicit})
    make_model(3).save(settings.paths.models_dir / "escalation-risk.json")
    # nothing promoted at start-up: the server still starts, on the file, and says why
    service = service_for(settings)
    assert str(service.model_version()).startswith("file:escalation-risk@")
    assert service.model_loads.failures_total["startup"] == 1
    version = registry.register(model_json(1, tmp_path))
    registry.promote(version)
    assert service.check_model() and service.model_version() == f"{NAME}/{version}"
    registry.client.delete_registered_model_alias(NAME, "champion")
    assert not service.check_model()  # the alias gone: the served champion stays, nothing fails every period
    assert service.model_version() == f"{NAME}/{version}" and service.model_loads.failures_total["check"] == 0


# --- the default, model_source auto: the champion when the tracking store has one, else the file ------------


def auto_settings(tmp: Path) -> Settings:
    settings = settings_for(tmp)
    return settings.model_copy(update={"serving": ServingSettings(model_check_s=0, sentiment=False)})


def test_auto_is_the_default_and_serves_the_champion(
    registry: Registry, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert ServingSettings().model_source == "auto"
    settings = auto_settings(tmp_path)
    make_model(3).save(settings.paths.models_dir / "escalation-risk.json")
    service = service_for(settings)
    assert str(service.model_version()).startswith("file:escalation-risk@")  # a store, but no champion yet
    version = registry.register(model_json(1, tmp_path))
    registry.promote(version)
    assert service.check_model() and service.model_version() == f"{NAME}/{version}"  # followed at once
    with (caplog.at_level(logging.INFO, logger="serving"),
          TestClient(create_app(settings), base_url="http://localhost") as client):
        assert client.get("/readyz").json()["model_version"] == f"{NAME}/{version}"
    started = [r.getMessage() for r in caplog.records if r.getMessage().startswith("serving: model")]
    assert started == [f"serving: model {NAME}/{version}, models:/{NAME}@champion at {registry.uri}; "
                       f"policies {service.status()['policy_version']}, sentiment off"]


def test_auto_without_a_tracking_store_serves_the_file_and_creates_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "mlflow" / "mlflow.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{missing}")
    settings = auto_settings(tmp_path)
    model_file = settings.paths.models_dir / "escalation-risk.json"
    make_model(3).save(model_file)
    with (caplog.at_level(logging.INFO, logger="serving"),
          TestClient(create_app(settings), base_url="http://localhost") as client):
        version = client.get("/readyz").json()["model_version"]
        assert version.startswith("file:escalation-risk@")
        assert client.post("/v1/admin/reload", headers=ADMIN).status_code == 200
    assert not missing.exists() and not missing.parent.exists()
    assert f"serving: model {version}, the file {model_file} (no tracking store at sqlite:///{missing})" in (
        caplog.text
    )
    assert service_for(settings).model_loads.failures_total == {}  # no registry is no failure


def test_which_tracking_stores_exist(tmp_path: Path) -> None:
    (tmp_path / "there.db").write_bytes(b"")
    (tmp_path / "mlruns").mkdir()
    assert tracking_store_exists(f"sqlite:///{tmp_path / 'there.db'}")
    assert not tracking_store_exists(f"sqlite:///{tmp_path / 'absent.db'}")
    assert not tracking_store_exists("sqlite://")
    assert tracking_store_exists((tmp_path / "mlruns").as_uri()) and tracking_store_exists(str(tmp_path))
    assert not tracking_store_exists(str(tmp_path / "nowhere"))
    assert tracking_store_exists("https://mlflow.example")  # a server: asked, and a failure is logged


def test_an_unknown_or_malformed_registry_uri_names_its_variable(registry: Registry, tmp_path: Path) -> None:
    base = settings_for(tmp_path)
    unknown = ServingSettings(model_uri="models:/nothing-here@champion", model_check_s=0, sentiment=False)
    service = service_for(base.model_copy(update={"serving": unknown}))
    assert service.model_loads.last_error == (
        f"model 'models:/nothing-here@champion': no version of 'nothing-here' holds the alias 'champion' at "
        f"{registry.uri}; train and promote one with `escalation train` and `escalation promote` "
        "(ESCALATION_SERVING__MODEL_URI names it: a model file's path, or models:/<name>@<alias>)"
    )
    # settings built in code skip the variable's own check: the loader names the variable too
    malformed = unknown.model_copy(update={"model_uri": "models:/x"})
    with pytest.raises(ConfigError, match=r"^ESCALATION_SERVING__MODEL_URI: 'models:/x' is not "
                                          r"models:/<name>@<alias>, e.g\. models:/escalation-risk@champion$"):
        service_for(base.model_copy(update={"serving": malformed}))


def test_a_registry_model_not_found_names_its_variables(
    registry: Registry, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    base = settings_for(tmp_path)
    unknown = ServingSettings(model_source="registry", registry_model="nothing-here", model_check_s=0,
                              sentiment=False)
    settings = base.model_copy(update={"serving": unknown})
    why = (f"no version of 'nothing-here' is @champion at {registry.uri}, or it could not be loaded; "
           "ESCALATION_SERVING__REGISTRY_MODEL and ESCALATION_SERVING__REGISTRY_ALIAS name it")
    # no model file either: rules-only, and the line says what was looked for where
    assert served_from(settings, service_for(settings).scorers.model) == (
        f"no model: rules-only ({why}; train one with `escalation train`)")
    model_file = settings.paths.models_dir / "escalation-risk.json"
    make_model(3).save(model_file)
    with caplog.at_level(logging.INFO, logger="serving"), TestClient(create_app(settings)):
        pass  # the start-up line
    version = file_version(model_file)
    assert f"serving: model {version}, the file {model_file} ({why}); policies" in caplog.text
