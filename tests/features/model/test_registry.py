"""A registry server that is down is found out in seconds: MLflow's own client retried it 7 times with
doubling waits (about four minutes a question), so a server starting with the registry down took eight
minutes to start and could not be stopped meanwhile."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from features.model.registry import alias_version


def test_a_registry_that_is_down_is_given_up_on_in_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "MLFLOW_HTTP_REQUEST_TIMEOUT"):
        monkeypatch.setenv(name, "")  # restored after the test, whatever the code under test sets
        monkeypatch.delenv(name)  # MLflow's defaults, as a server has them
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    raised: list[BaseException] = []
    started = time.monotonic()

    def ask() -> None:
        try:
            alias_version(f"http://127.0.0.1:{port}", "escalation-risk", "champion")
        except Exception as exc:
            raised.append(exc)

    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    asking.join(60)
    assert not asking.is_alive(), "still retrying after a minute"
    assert raised and time.monotonic() - started < 30
