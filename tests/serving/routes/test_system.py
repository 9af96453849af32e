"""GET /readyz while the store goes away and comes back (a loopback relay cut and restored): 503 at every
probe, and the log says when the outage began and when it ended, once each, not once a probe."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from tests.serving.conftest import start_server
from tests.serving.test_app import Relay, relayed  # noqa: F401  (the fixture)


@pytest.fixture
def relayed_server(relayed: tuple[str, Relay], tmp_path: Path) -> Iterator[tuple[str, Relay]]:  # noqa: F811
    url, relay = relayed
    settings = Settings(database_url=url, paths={"models_dir": tmp_path / "no-models"},
                        serving={"sentiment": False}, sweeper={"enabled": False}, outbox={"enabled": False})
    for server in start_server(settings):
        yield server.url, relay


def test_readyz_logs_the_store_going_down_and_back_once_not_at_every_probe(
    relayed_server: tuple[str, Relay], caplog: pytest.LogCaptureFixture
) -> None:
    import httpx

    url, relay = relayed_server
    caplog.set_level(logging.INFO, logger="serving")
    with httpx.Client(base_url=url, timeout=60) as client:
        assert client.get("/readyz").status_code == 200
        relay.cut()
        for _ in range(5):  # a prober every few seconds
            down = client.get("/readyz")
            assert down.status_code == 503 and down.json()["error"] == "not_ready", down.text
        relay.restore()
        for _ in range(3):
            assert client.get("/readyz").status_code == 200
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "serving"]
    assert said == [
        ("WARNING",
         "readiness: the store does not answer (OperationalError); /readyz answers 503 until it does"),
        ("INFO", "readiness: the store answers again; /readyz answers 200"),
    ]
