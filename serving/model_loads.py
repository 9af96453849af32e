"""`ModelLoads`: this process's loads of the escalation model after the first — what was swapped in, and
which loads failed and why. A failed load never replaces the model being served: the server keeps scoring
with the one it has, logs the reason, and GET /metrics counts it (`escalation_model_load_failures_total`,
`escalation_model_load_failing`)."""

from __future__ import annotations

import logging
import threading
from collections import Counter

from core.errors import EscalationError
from core.logs import exception_name

log = logging.getLogger("serving.model")

STAGES = ("startup", "reload", "check")  # the first load, POST /v1/admin/reload, the periodic check


class ModelLoads:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # reloads run in the request thread pool and in the check's thread
        self.failures_total: Counter[str] = Counter()  # stage -> failed loads
        self.swaps_total = 0
        self.failing_version: str | None = None  # what the latest failed load wanted; None after a success
        self.last_error: str | None = None

    def failed(self, stage: str, exc: BaseException, wanted: str | None, serving: str | None) -> str:
        """Count and log a failed load; returns the reason. Our errors say what and which file or URI; of
        another exception only its type is logged (its message could quote the file's content)."""
        reason = str(exc) if isinstance(exc, EscalationError) else f"{exception_name(exc)} while loading"
        with self._lock:
            self.failures_total[stage] += 1
            self.failing_version = wanted or "unknown"
            self.last_error = reason
        log.error(
            "model %s could not be loaded (%s): %s; still serving %s",
            wanted or "?", stage, reason, serving or "no model (rules-only)",
        )
        return reason

    def swapped(self, stage: str, old: str | None, new: str | None) -> None:
        with self._lock:
            self.swaps_total += int(old != new)
            self.failing_version = None
            self.last_error = None
        if old != new:
            log.info("model %s -> %s (%s)", old or "none", new or "none (rules-only)", stage)

    def failing(self) -> bool:
        with self._lock:
            return self.failing_version is not None
