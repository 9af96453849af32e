"""`Sweeper`: one pass re-assesses the open tickets whose `next_due_at` has come, at that pass's `now`, and
records the assessments through the store — which claims each due action id with a unique insert, so an action
fires (and reaches the outbox) exactly once, whichever sweeper or API request gets there first and whatever
restarts happen in between. Time comes from an injected clock; nothing here sleeps."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from core.errors import NotFoundError
from core.text import MessageAnalysis
from serving.alerts import alert_candidates
from serving.assess import assess
from serving.basis import assessment_basis
from serving.service import Service
from serving.store.repository import OPEN_STATUSES
from serving.store.tables import TicketRow

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
    fired: list[str] = field(default_factory=list)  # action ids this pass claimed (fired) and enqueued
    alerts: list[str] = field(default_factory=list)  # alert dedup keys raised
    next_due_at: datetime | None = None  # the earliest due instant after the pass


def reassess(service: Service, ticket_id: str, now: datetime) -> tuple[list[str], list[str]]:
    """Assess one stored ticket at `now` (no new event) and record it; returns (actions fired, alerts raised).
    The same `assess` and `Store.record` as ingest: the store claims action ids and alert keys."""
    stored = service.store.load(ticket_id)
    scorers = service.scorers
    texts = {k: MessageAnalysis.from_dict(v) for k, v in stored.texts.items()}
    result = assess(stored.ticket, stored.events, now, scorers=scorers, context=service.context, texts=texts)
    if result.new_texts:
        service.store.save_analyses({k: v.to_dict() for k, v in result.new_texts.items()},
                                    scorers.analyser.version)
    # A sweep at another instant is another assessment of the same events: the instant is part of its basis.
    seed = f"{assessment_basis(stored.events, result.body)}|sweep|{now.isoformat()}"
    basis = hashlib.sha256(seed.encode()).hexdigest()
    recorded = service.store.record(
        ticket_id, result.body, basis=basis, events_seen=len(stored.events), state=result.state,
        actions=result.body["sla"]["actions_due"], alerts=alert_candidates(result, stored.band), now=now,
        cooldown=timedelta(minutes=service.settings.serving.alert_cooldown_minutes),
        budget=service.alert_budget,
    )
    return list(recorded.new_actions), list(recorded.alerts)


class Sweeper:
    def __init__(self, service: Service, *, clock: Clock = utc_now, batch_size: int | None = None,
                 max_sleep_s: float | None = None) -> None:
        self.service = service
        self.clock = clock
        self.batch_size = batch_size or service.settings.sweeper.batch_size
        self.max_sleep_s = max_sleep_s or service.settings.sweeper.max_sleep_s
        self.on_fired: Callable[[SweepResult], None] | None = None  # e.g. wake the outbox worker

    def earliest_due(self) -> datetime | None:
        """The earliest stored next_due_at among open tickets (one row of the partial index, not a scan)."""
        with self.service.store.db.session() as s:
            value: datetime | None = s.execute(
                select(func.min(TicketRow.next_due_at)).where(TicketRow.status.in_(OPEN_STATUSES))
            ).scalar_one()
        return value

    def due_tickets(self, now: datetime, limit: int) -> list[str]:
        with self.service.store.db.session() as s:
            return list(s.execute(
                select(TicketRow.ticket_id)
                .where(TicketRow.status.in_(OPEN_STATUSES), TicketRow.next_due_at <= now)
                .order_by(TicketRow.next_due_at, TicketRow.ticket_id).limit(limit)
            ).scalars())

    def sweep_once(self, now: datetime | None = None) -> SweepResult:
        """Re-assess each open ticket due at `now` (default: the clock), in batches; each once a pass."""
        now = now or self.clock()
        result = SweepResult(now)
        seen: set[str] = set()
        while True:
            batch = [t for t in self.due_tickets(now, self.batch_size + len(seen)) if t not in seen]
            if not batch:
                break
            for ticket_id in batch:
                seen.add(ticket_id)
                try:
                    fired, alerts = reassess(self.service, ticket_id, now)
                except NotFoundError:  # deleted between the query and the load: nothing to fire
                    continue
                result.assessed.append(ticket_id)
                result.fired += fired
                result.alerts += alerts
        result.next_due_at = self.earliest_due()
        if result.fired or result.alerts:
            log.info("sweep at %s: %d ticket(s) re-assessed, %d action(s) fired, %d alert(s) raised",
                     now.isoformat(), len(result.assessed), len(result.fired), len(result.alerts))
            if self.on_fired is not None:
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
