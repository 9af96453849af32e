"""`BackgroundLoop`: a daemon thread that runs a step, waits as long as the step says (or until woken or
stopped), and runs it again. The sweeper and the outbox worker each run in one, inside the API process or in
`escalation sweep`. A step's error is logged and retried after `retry_s`: the loop never dies quietly."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from serving.store.database import store_down

log = logging.getLogger("serving.background")


class BackgroundLoop:
    def __init__(
        self, name: str, step: Callable[[], float], *, retry_s: float = 5.0, first_wait_s: float = 0.0
    ) -> None:
        self.name = name
        self._step = step  # returns the seconds to wait before the next step
        self._retry_s = retry_s
        self._first_wait_s = first_wait_s  # before the first step (woken or stopped sooner)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"background loop {self.name!r} is already started")
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run the next step now (e.g. after new work was stored)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the loop to stop and wait for the step in progress to finish."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("%s: still in a step after %.0f s; left to finish", self.name, timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        if self._first_wait_s > 0:
            self._wake.wait(self._first_wait_s)
            self._wake.clear()
        while not self._stop.is_set():
            try:
                wait = self._step()
            except Exception as exc:  # a broken database or sink must not end the loop; the next step retries
                if store_down(exc):  # the database is away (a restart, a failover): one line a retry
                    log.warning("%s: the store does not answer (%s); retrying in %.0f s", self.name,
                                type(exc).__name__, self._retry_s)
                else:
                    log.exception("%s: step failed; retrying in %.0f s", self.name, self._retry_s)
                wait = self._retry_s
            self._wake.wait(max(wait, 0.0))
            self._wake.clear()
