"""The background loop's step failing because the store does not answer (a database restart): one line a
retry, saying so, instead of a traceback every few seconds for as long as the database is away."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from io import StringIO

from serving.store import Database
from serving.sweeper.loop import BackgroundLoop


def test_a_store_that_does_not_answer_is_one_line_a_retry(log_output: Callable[..., StringIO]) -> None:
    with socket.socket() as s:  # a port nothing listens on: the database is away
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    database = Database(f"postgresql+psycopg://ops:pw-s3cret@127.0.0.1:{port}/escalation")
    out = log_output()
    tries: list[int] = []
    done = threading.Event()

    def step() -> float:
        tries.append(1)
        if len(tries) == 1:
            database.ping()  # fails: connection refused
        done.set()
        return 60.0

    loop = BackgroundLoop("sweeper", step, retry_s=0.01)
    loop.start()
    try:
        assert done.wait(30)
    finally:
        loop.stop()
        database.dispose()
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].endswith(
        "WARNING serving.background: sweeper: the store does not answer (OperationalError); retrying in 0 s"
    )
    assert "pw-s3cret" not in out.getvalue()
