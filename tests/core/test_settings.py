from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.settings import PROJECT_ROOT, Settings, get_settings


def test_defaults_are_embedded_and_rooted_in_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MLFLOW_TRACKING_URI", "ESCALATION_DATABASE_URL", "ESCALATION_MLFLOW_TRACKING_URI"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.server.host == "127.0.0.1" and settings.server.port == 8000
    assert settings.database_url.startswith("sqlite:///") and str(PROJECT_ROOT) in settings.database_url
    assert settings.mlflow_tracking_uri.startswith("sqlite:///")
    assert settings.paths.sample_dir == PROJECT_ROOT / "data" / "sample"


def test_environment_overrides_nested_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_SERVER__PORT", "9100")
    monkeypatch.setenv("ESCALATION_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/x")
    settings = get_settings()
    assert settings.server.port == 9100
    assert settings.database_url == "postgresql+psycopg://u@127.0.0.1/x"


def test_mlflow_own_variable_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ESCALATION_MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////tmp/elsewhere.db")
    assert Settings().mlflow_tracking_uri == "sqlite:////tmp/elsewhere.db"


def test_bad_values_are_rejected_naming_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_SERVER__PORT", "99999")
    with pytest.raises(ValidationError, match=r"server\.port"):
        Settings()


def test_settings_are_read_once_until_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    first = get_settings()
    monkeypatch.setenv("ESCALATION_SERVER__PORT", "9200")
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().server.port == 9200


def test_root_causes_are_slugs_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "missing_knowledge" in Settings().serving.root_causes
    monkeypatch.setenv("ESCALATION_SERVING__ROOT_CAUSES", '["agent_workload", "Bad Cause"]')
    with pytest.raises(ValidationError, match=r"root_causes\[1\]: 'Bad Cause' is not a slug"):
        Settings()
    monkeypatch.setenv("ESCALATION_SERVING__ROOT_CAUSES", '["other", "other"]')
    with pytest.raises(ValidationError, match=r"root_causes: \['other'\] listed twice"):
        Settings()
    monkeypatch.setenv("ESCALATION_SERVING__ROOT_CAUSES", '["vendor_delay"]')
    assert Settings().serving.root_causes == ["vendor_delay"]
