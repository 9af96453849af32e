"""`SweepStats`: what this process's sweeper has done since start-up — passes by outcome, tickets re-assessed
or failed, actions fired, alerts raised, the seconds the passes took and when the last one completed. GET
/metrics shows them (serving/metrics/process.py `SweepCollector`: the API's, `escalation sweep`'s own), and
`escalation sweep`'s GET /healthz reads the age of the last completed pass. Durations and ages come from an
injected monotonic clock (tests move it); the completion's wall time is for Prometheus, which alerts on
`time() - escalation_sweep_last_completed_timestamp_seconds`."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from serving.store.database import store_down

# a pass completed, stopped by the store being away (a restart, a failover), or stopped by another error
PASS_OUTCOMES = ("completed", "store_down", "failed")
# a failed ticket is isolated and retried later (serving/isolation.py)
TICKET_OUTCOMES = ("assessed", "failed")


class SweepStats:
    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self._monotonic = monotonic
        self._wall = wall
        self._lock = threading.Lock()
        self._started = monotonic()  # the age of a process that has completed no pass yet counts from here
        self.passes: Counter[str] = Counter()  # outcome -> passes
        self.tickets: Counter[str] = Counter()  # outcome -> tickets
        self.actions_fired = 0
        self.alerts_raised = 0
        self.duration_s = 0.0  # of every pass, whatever its outcome
        self._last_completed: float | None = None  # monotonic
        self.last_completed_at: float | None = None  # unix time

    def clock(self) -> float:
        """The monotonic clock the durations are measured with."""
        return self._monotonic()

    def completed(self, started: float, *, assessed: int, failed: int, fired: int, alerts: int) -> None:
        """A pass that began at `started` (`clock()`) and went through."""
        now = self._monotonic()
        with self._lock:
            self.passes["completed"] += 1
            self.tickets["assessed"] += assessed
            self.tickets["failed"] += failed
            self.actions_fired += fired
            self.alerts_raised += alerts
            self.duration_s += now - started
            self._last_completed = now
            self.last_completed_at = self._wall()

    def stopped(self, started: float, exc: Exception) -> None:
        """A pass that began at `started` and raised `exc` (the loop logs it and retries)."""
        outcome = "store_down" if store_down(exc) else "failed"
        now = self._monotonic()
        with self._lock:
            self.passes[outcome] += 1
            self.duration_s += now - started

    def last_pass_age_s(self) -> float:
        """Seconds since the last completed pass; since start-up while none has completed."""
        with self._lock:
            since = self._last_completed if self._last_completed is not None else self._started
        return self._monotonic() - since
