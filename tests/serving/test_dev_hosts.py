"""While the public development keys are in force, only loopback names are answered (serving/dev_hosts.py):
a page that rebinds its own name to 127.0.0.1 reaches the server with its name in the Host header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from serving.dev_hosts import host_name
from tests.serving.conftest import Server, quiet_settings, start_server

OWN_KEY = "an-operators-own-key-0123456789"


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(quiet_settings(tmp_path_factory.mktemp("dev-hosts")))


def get(server: Server, path: str, host: str | None, key: str = "dev-manager-key") -> httpx.Response:
    headers = {"X-API-Key": key} | ({"Host": host} if host is not None else {})
    with httpx.Client(base_url=server.url, timeout=30) as client:
        return client.get(path, headers=headers)


@pytest.mark.parametrize("path", ["/v1/early-warning", "/dashboard/login", "/healthz"])
def test_a_rebound_host_name_is_refused_with_the_dev_keys(dev: Server, path: str) -> None:
    answer = get(dev, path, "evil.example")
    assert answer.status_code == 421
    assert answer.json()["error"] == "misdirected_request"
    assert "'evil.example' is not a loopback name" in answer.json()["detail"]
    assert "ESCALATION_SERVING__API_KEYS" in answer.json()["detail"]


@pytest.mark.parametrize("host", ["evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example",
                                  "[::2]:80", ""])
def test_other_names_and_no_name_are_refused(dev: Server, host: str) -> None:
    assert get(dev, "/v1/early-warning", host).status_code == 421


def test_loopback_names_with_any_port_are_answered(dev: Server) -> None:
    port = dev.url.rsplit(":", 1)[1]
    for host in (None, f"127.0.0.1:{port}", "localhost", f"LocalHost:{port}", "[::1]:8000", "127.0.0.1"):
        assert get(dev, "/v1/early-warning", host).status_code == 200, host


def test_with_own_keys_any_host_name_is_answered(tmp_path: Path) -> None:
    keys = [{"name": "ops", "role": "manager", "key": OWN_KEY}]
    server = start_server(quiet_settings(tmp_path, serving={"api_keys": keys}))
    own = next(server)
    try:
        assert get(own, "/v1/early-warning", "escalation.example.com", key=OWN_KEY).status_code == 200
    finally:
        server.close()


@pytest.mark.parametrize(("host", "name"), [("LocalHost:8000", "localhost"), ("[::1]:8000", "[::1]"),
                                             ("[::1]", "[::1]"), ("127.0.0.1", "127.0.0.1"), ("", "")])
def test_host_name_leaves_out_the_port(host: str, name: str) -> None:
    assert host_name(host) == name
