"""`Sweeper`: one pass re-assesses the open tickets whose `next_due_at` has come, at that pass's `now`,
through `Service.reassess` — which records through the store, and the store claims each due action id with a
unique insert, so an action fires (and reaches the outbox) exactly once, whichever sweeper or API request
gets there first and whatever restarts happen in between. A ticket whose assessment fails is isolated by
the service (retried later with backoff) and the pass goes on with the others. Time comes from an injected
clock; nothing here sleeps."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.errors import NotFoundError
from serving.service import Service
from serving.sweeper.stats import SweepStats

log = logging.getLogger("serving.sweeper")
Clock = Callable[[], datetime]
# A ticket still due right after being re-assessed (the rules gave no later instant) is left for this long
# instead of being re-assessed in a hot loop.
STUCK_WAIT_S = 1.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class SweepResult:
    now: datetime
    assessed: list[str] = field(default_factory=list)  # ticket ids re-assessed
    failed: list[str] = field(default_factory=list)  # ticket ids whose assessment failed (isolated)
    fired: list[str] = field(default_factory=list)  # action ids this pass claimed (fired) and enqueued
    alerts: list[str] = field(default_factory=list)  # alert dedup keys raised
    next_due_at: datetime | None = None  # the earliest due instant after the pass


class Sweeper:
    def __init__(self, service: Service, *, clock: Clock = utc_now, batch_size: int | None = None,
                 max_sleep_s: float | None = None, watch_policy_file: bool = False,
                 stats: SweepStats | None = None) -> None:
        """`watch_policy_file`: before each pass, take up an edited policy file (`escalation sweep`, which
        no POST /v1/admin/reload reaches; the API's own sweeper leaves that to the reload). `stats`: where
        the passes are counted (GET /metrics)."""
        self.service = service
        self.stats = stats or SweepStats()
        self.watch_policy_file = watch_policy_file
        self.clock = clock
        self.batch_size = batch_size or service.settings.sweeper.batch_size
        self.max_sleep_s = max_sleep_s or service.settings.sweeper.max_sleep_s
        self.on_fired: Callable[[SweepResult], None] | None = None  # e.g. wake the outbox worker

    def earliest_due(self) -> datetime | None:
        return self.service.store.earliest_due()

    def sweep_once(self, now: datetime | None = None) -> SweepResult:
        """Re-assess each open ticket due at `now` (default: the clock), in batches; each once a pass. The
        pass is counted in `stats`, and so is one that raises (the store away): the loop retries it."""
        started = self.stats.clock()
        try:
            result = self._sweep(now or self.clock())
        except Exception as exc:
            self.stats.stopped(started, exc)
            raise
        self.stats.completed(started, assessed=len(result.assessed), failed=len(result.failed),
                             fired=len(result.fired), alerts=len(result.alerts))
        return result

    def _sweep(self, now: datetime) -> SweepResult:
        if self.watch_policy_file:  # an edited file's tickets are due at `now`: judged by it in this pass
            self.service.check_policy_file(now)
        result = SweepResult(now)
        seen: set[str] = set()
        while True:
            due = self.service.store.due_tickets(now, self.batch_size + len(seen))
            batch = [t for t in due if t not in seen]
            if not batch:
                break
            for ticket_id in batch:
                seen.add(ticket_id)
                try:
                    recorded = self.service.reassess(ticket_id, now)
                except NotFoundError:  # deleted between the query and the load: nothing to fire
                    continue
                if recorded is None:
                    result.failed.append(ticket_id)
                    continue
                result.assessed.append(ticket_id)
                result.fired += recorded.new_actions
                result.alerts += recorded.alerts
        result.next_due_at = self.earliest_due()
        if result.fired or result.alerts or result.failed:
            log.info("sweep at %s: %d ticket(s) re-assessed, %d failed, %d action(s) fired, %d alert(s)"
                     " raised", now.isoformat(), len(result.assessed), len(result.failed), len(result.fired),
                     len(result.alerts))
            if self.on_fired is not None and (result.fired or result.alerts):
                self.on_fired(result)
        return result

    def step(self) -> float:
        """One pass, then the seconds until the earliest due instant (capped: another process may have stored
        an earlier one meanwhile)."""
        result = self.sweep_once()
        if result.next_due_at is None:
            return self.max_sleep_s
        wait = (result.next_due_at - self.clock()).total_seconds()
        if wait <= 0 and result.assessed:
            log.warning("sweep at %s: ticket(s) still due after re-assessment; waiting %.0f s",
                        result.now.isoformat(), STUCK_WAIT_S)
            return STUCK_WAIT_S
        return min(max(wait, 0.0), self.max_sleep_s)
