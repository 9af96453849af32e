"""`escalation sweep`'s own GET /metrics and GET /healthz, scraped over loopback: the sweeper's passes,
tickets, actions, pass duration and last completed pass, the store-derived escalations, the policy file's
refusals and the store being away, with the same names as the API's /metrics; and the endpoint in a real
`escalation sweep` process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.exc import OperationalError

from core.errors import ConfigError
from serving.sweeper import Sweeper
from serving.sweeper.endpoint import serve_endpoint
from serving.sweeper.stats import SweepStats
from tests.serving.conftest import free_port
from tests.serving.sweeper.test_sweeper import (
    RESOLUTION_IN_3_DAYS,
    RESOLUTION_LADDER,
    at,
    fixed,
    open_ticket,
    watching,
)


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample of a scrape, None when it is not there."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return None


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=10) as c:
        yield c


def test_a_separate_sweeper_serves_its_metrics_and_health_on_loopback(
        url: str, tmp_path: Path, client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    service, policy_file = watching(url, tmp_path, RESOLUTION_IN_3_DAYS)
    clock = Clock()
    stats = SweepStats(monotonic=clock)
    sweeper = Sweeper(service, clock=fixed(at(150)), watch_policy_file=True, stats=stats)
    endpoint = serve_endpoint(service, stats, service.settings, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{endpoint.port}"
    try:
        health = client.get(f"{base}/healthz")  # no pass yet: the process is young
        assert health.status_code == 200 and health.json()["passes"] == 0
        open_ticket(service, "S-1")
        clock.now += 2.0
        assert len(sweeper.sweep_once().fired) == 2  # first response: level 1 and level 2
        r = client.get(f"{base}/metrics")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        text = r.text
        assert sample(text, "escalation_sweep_passes_total", outcome="completed") == 1
        assert sample(text, "escalation_sweep_passes_total", outcome="store_down") == 0
        assert sample(text, "escalation_sweep_tickets_total", outcome="assessed") == 1
        assert sample(text, "escalation_sweep_tickets_total", outcome="failed") == 0
        assert sample(text, "escalation_sweep_actions_fired_total") == 2
        assert sample(text, "escalation_sweep_duration_seconds_count") == 1
        assert sample(text, "escalation_sweep_last_completed_timestamp_seconds") is not None
        # the store-derived figures and the process's own, with the API's names
        assert sample(text, "escalation_store_up") == 1
        fired = [s for f in text_string_to_metric_families(text) for s in f.samples
                 if s.name == "escalation_escalations_fired_total"]
        assert sorted(s.labels["level"] for s in fired) == ["1", "2"]
        assert sample(text, "escalation_policy_load_failures_total", stage="check") == 0
        assert sample(text, "escalation_policy_load_failing") == 0

        policy_file.write_text(RESOLUTION_LADDER.replace("{urgent: 1h,", "{urgent: 1 hour,"))  # a problem
        sweeper.sweep_once()
        text = client.get(f"{base}/metrics").text
        assert sample(text, "escalation_policy_load_failures_total", stage="check") == 1
        assert sample(text, "escalation_policy_load_failing") == 1

        def away(*args: object) -> list[str]:  # the database restarting
            raise OperationalError("SELECT tickets", {}, Exception("connection refused"))

        monkeypatch.setattr(service.store, "due_tickets", away)
        with pytest.raises(OperationalError):  # the loop logs it and retries
            sweeper.sweep_once()
        text = client.get(f"{base}/metrics").text
        assert sample(text, "escalation_sweep_passes_total", outcome="store_down") == 1
        assert sample(text, "escalation_sweep_passes_total", outcome="completed") == 2

        limit = service.settings.sweeper.healthy_within_s
        clock.now += limit - 1
        assert client.get(f"{base}/healthz").status_code == 200
        clock.now += 2  # every pass since failing: the last completed one is too old
        health = client.get(f"{base}/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "stale"
        assert health.json()["last_pass_age_s"] == pytest.approx(limit + 1)
        missing = client.get(f"{base}/nothing")
        assert missing.status_code == 404 and missing.json()["error"] == "not_found"
        assert client.post(f"{base}/metrics").status_code == 405
    finally:
        endpoint.stop()
        service.store.db.dispose()


def test_a_port_taken_is_an_error_naming_the_setting(url: str, tmp_path: Path) -> None:
    service, _ = watching(url, tmp_path, RESOLUTION_IN_3_DAYS)
    first = serve_endpoint(service, SweepStats(), service.settings, "127.0.0.1", 0)
    try:
        with pytest.raises(ConfigError, match=rf"ESCALATION_SWEEPER__METRICS_PORT: 127.0.0.1:{first.port} "):
            serve_endpoint(service, SweepStats(), service.settings, "127.0.0.1", first.port)
    finally:
        first.stop()
        service.store.db.dispose()


@pytest.mark.parametrize("url", ["sqlite"], indirect=True)
def test_the_sweep_command_serves_metrics_and_health_until_stopped(
        url: str, tmp_path: Path, client: httpx.Client) -> None:
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_")},
           "ESCALATION_DATABASE_URL": url, "ESCALATION_SERVING__SENTIMENT": "false",
           "ESCALATION_PATHS__MODELS_DIR": str(tmp_path / "no-models"),
           "ESCALATION_SERVING__MODEL_SOURCE": "file",
           "ESCALATION_SWEEPER__METRICS_PORT": str(port), "ESCALATION_LOGGING__LEVEL": "INFO"}
    process = subprocess.Popen([sys.executable, "-m", "core.cli", "sweep", "--no-deliver"], env=env,
                               stderr=subprocess.PIPE, text=True)
    deadline = threading.Timer(120, process.kill)  # a process that hangs silent ends the loop below
    deadline.start()
    try:
        assert process.stderr is not None
        for line in process.stderr:  # the process says when it listens
            if "GET /metrics" in line:
                break
        else:
            pytest.fail(f"escalation sweep ended ({process.wait()}) without serving its metrics")
        assert f"http://127.0.0.1:{port}" in line
        text = client.get(f"http://127.0.0.1:{port}/metrics").text
        assert sample(text, "escalation_sweep_passes_total", outcome="failed") == 0
        assert sample(text, "escalation_policy_load_failing") == 0
        assert client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)  # drains what it still logs
        deadline.cancel()
    assert process.returncode == 0

