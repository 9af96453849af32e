"""`Isolation`: the tickets whose assessment failed for a reason of ours (a bug, not bad input: bad input is
refused with a 4xx before anything is stored). Such a ticket is logged with its id, counted (GET /metrics),
and retried with exponential backoff by the sweeper, which sets its next due instant to the retry; every
other ticket's reminders and escalations go on meanwhile, and its pages show its last good assessment."""

from __future__ import annotations

import logging
import threading
import traceback
from collections import Counter
from datetime import datetime, timedelta

log = logging.getLogger("serving.isolation")


class Isolation:
    def __init__(self, retry_base_s: float, retry_max_s: float) -> None:
        self.retry_base_s = retry_base_s
        self.retry_max_s = retry_max_s
        self._lock = threading.Lock()  # requests run in a thread pool; the sweeper in its own thread
        self._failures: dict[str, int] = {}  # ticket id -> failures in a row
        self.failed_total: Counter[str] = Counter()  # stage (ingest | score | sweep) -> failures

    def failed(self, ticket_id: str, stage: str, exc: BaseException) -> None:
        """Count and log a failure. The log line names the ticket, the exception's type and where it was
        raised — not its message, which may quote the ticket's data."""
        with self._lock:
            self.failed_total[stage] += 1
        # where in our code: the deepest frame outside installed packages
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "-packages" not in f.filename]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        log.error(
            "ticket %s: assessment failed in %s (%s at %s)", ticket_id, stage, type(exc).__name__, where
        )

    def retry_at(self, ticket_id: str, now: datetime) -> datetime:
        """When the sweeper tries the ticket again: base × 2^(failures in a row − 1), capped."""
        with self._lock:
            n = self._failures[ticket_id] = self._failures.get(ticket_id, 0) + 1
        retry = now + timedelta(seconds=min(self.retry_base_s * 2 ** min(n - 1, 30), self.retry_max_s))
        log.warning(
            "ticket %s: %d failed sweep(s) in a row; isolated until %s", ticket_id, n, retry.isoformat()
        )
        return retry

    def recovered(self, ticket_id: str) -> None:
        with self._lock:
            if self._failures.pop(ticket_id, None) is not None:
                log.info("ticket %s: assessed again after failures; no longer isolated", ticket_id)

    def isolated(self) -> int:
        """Tickets whose latest assessment failed."""
        with self._lock:
            return len(self._failures)
