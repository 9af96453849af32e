"""The background loops start and stop with the process; `escalation sweep --once` runs one pass of each."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from core.cli import cli
from core.settings import WritebackSettings, get_settings
from serving.app import create_app
from serving.service import Service
from serving.sweeper.runner import build_background, start_background
from tests.serving.conftest import quiet_settings


def test_loops_start_as_configured_and_stop(make_service: Callable[[], Service]) -> None:
    service = make_service()
    background = start_background(service, service.settings)
    assert [loop.name for loop in background.loops] == ["outbox-worker", "sla-sweeper"]
    assert all(loop.running for loop in background.loops)
    background.stop()
    assert not any(loop.running for loop in background.loops)
    disabled = start_background(service, service.settings, sweeper=False, outbox=False)
    assert disabled.loops == []
    disabled.stop()


def test_sweep_once_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ESCALATION_SERVING__SENTIMENT", "false")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "no-models"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["sweep", "--once"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    expected = {"assessed": 0, "fired": 0, "alerts": 0, "next_due_at": None, "delivered": 0, "retrying": 0,
                "failed": 0}
    assert summary | {"now": None} == expected | {"now": None}


def test_the_worker_writes_back_to_each_configured_helpdesk(make_service: Callable[[], Service]) -> None:
    service = make_service()
    settings = service.settings.model_copy(update={"writeback": WritebackSettings.model_validate({
        "zendesk": {"base_url": "https://acme.zendesk.com", "email": "bot@acme.com", "api_token": "t",
                    "risk_field_id": 1},
        "zammad": {"base_url": "https://helpdesk.acme.com", "token": "t"}})})
    background = build_background(service, settings)
    try:
        assert [s.name for s in background.worker.sinks] == ["log", "writeback:zendesk", "writeback:zammad"]
        assert sorted(background.helpdesks) == ["zammad", "zendesk"]
    finally:
        background.stop()


def test_the_sweep_command_watches_the_policy_file_and_the_api_does_not(
        make_service: Callable[[], Service]) -> None:
    service = make_service()
    own = start_background(service, service.settings, sweeper=True, outbox=False, watch_policy_file=True)
    embedded = start_background(service, service.settings, sweeper=True, outbox=False)
    try:
        assert own.sweeper.watch_policy_file and not embedded.sweeper.watch_policy_file
    finally:
        own.stop()
        embedded.stop()


def test_the_apis_metrics_carry_its_sweepers_figures_while_one_runs_there(tmp_path: Path) -> None:
    for runs in (True, False):
        settings = quiet_settings(tmp_path, sweeper={"enabled": runs})
        with TestClient(create_app(settings), base_url="http://localhost") as client:
            text = client.get("/metrics").text
        # the same collector and names as `escalation sweep`'s own endpoint (test_endpoint.py)
        assert ('escalation_sweep_passes_total{outcome="store_down"}' in text) is runs
