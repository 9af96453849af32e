"""`OutboxWorker`: claims due deliveries, sends each to the sinks it has not reached yet, records the attempt.

A claim is a conditional UPDATE (status pending/sending and due -> sending, due again after the lease): of two
workers racing for a row exactly one gets it. A worker that dies mid-attempt leaves a claim that expires after
`lease_s`, and then the row is retried; an attempt is recorded only under the lease its claim set, so a
worker stalled past its lease cannot overwrite the claim that took the row over. Each claim's lease runs from
its own instant, and its attempt carries a deadline a tenth of the lease before (`Message.deadline`): a sink
of many calls (a helpdesk write-back) stops there rather than outlast the claim. Transport is therefore at
least once per sink, and every message carries its ref (`X-Escalation-Delivery`) for the receiver to
de-duplicate on; what is *enqueued* is once per action id and alert key (the store's unique constraints).
Time comes from an injected clock.

Each delivery goes to the sinks that accept its kind (webhooks, e-mail and the log: actions and alerts; a
helpdesk's write-back sink: that helpdesk's write-backs). A sink that answers a rate limit with a wait
(Retry-After, a day at most) is not called again before it: its deliveries wait without spending an
attempt, the one it answered included (however long the limit lasts, they are delayed, never failed); a
limit of one ticket (Zendesk's update limit of a ticket) holds back that ticket's deliveries to it only. A
sink whose receiver did not answer at all (unreachable, timed out) is not called again in that pass: its
other deliveries wait `poll_s` without spending an attempt, so a helpdesk that is down costs one timeout a
pass, not one a delivery, and the deliveries due behind its own go out. A
sink's steps done in a failed attempt are kept on the row and skipped by the retry. A sink that raises
anything else (a bug of ours, an answer of a shape it did not expect) fails that attempt like a
failed send: the delivery is retried with backoff up to `max_attempts`, and the batch's other deliveries go
on. A sink that refuses a delivery for good (a permanent failure: a helpdesk's 404 for a deleted ticket) is
not tried again, and a delivery no sink is left to try is failed at once rather than retried up to
`max_attempts`. Each sink's 429s are counted on the row (`rate_limited`) for the metrics."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, select, update

from core.settings import OutboxSettings
from serving.outbox.progress import SinkState
from serving.outbox.sinks import DeliveryFailedError, Message, Sink
from serving.store.database import Database
from serving.store.tables import DeliveryRow

log = logging.getLogger("serving.outbox")
UNSETTLED = ("pending", "sending")
# the longest a receiver's Retry-After holds its sink back: a longer one is a typo or a far-off date (year
# 9999 overflowed the datetime), and it would hold back every delivery to that receiver
LONGEST_WAIT = timedelta(days=1)


def backoff(attempt: int, base_s: float, cap_s: float, rng: random.Random) -> float:
    """Seconds before attempt `attempt + 1`: base * 2**(attempt-1), capped, with equal jitter (half fixed,
    half random) so that retries of many deliveries spread out but never come back at once."""
    delay = min(cap_s, base_s * 2 ** max(attempt - 1, 0))
    return delay / 2 + rng.uniform(0, delay / 2)


@dataclass(slots=True)
class DeliveryPass:
    delivered: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class OutboxWorker:
    def __init__(self, database: Database, sinks: Sequence[Sink], settings: OutboxSettings, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 rng: random.Random | None = None) -> None:
        self.db = database
        self.sinks = list(sinks)
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()
        self.on_attempt: Callable[[str, str], None] | None = None  # (sink, outcome): metrics hook
        self._held: dict[str, datetime] = {}  # sink name -> not called before (its receiver's Retry-After)
        # (sink name, ticket id) -> not called for that ticket before (the receiver's limit of one ticket)
        self._held_tickets: dict[tuple[str, str], datetime] = {}

    def due(self, now: datetime, limit: int) -> list[int]:
        with self.db.session() as s:
            return list(s.execute(
                select(DeliveryRow.id)
                .where(DeliveryRow.status.in_(UNSETTLED), DeliveryRow.next_attempt_at <= now)
                .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id).limit(limit)
            ).scalars())

    def claim(self, delivery_id: int, now: datetime) -> DeliveryRow | None:
        """Take the row for one attempt, or None when another worker has it."""
        lease = now + timedelta(seconds=self.settings.lease_s)
        with self.db.session() as s:
            taken: CursorResult[Any] = s.execute(  # type: ignore[assignment]  # an UPDATE gives a cursor result
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id, DeliveryRow.status.in_(UNSETTLED),
                       DeliveryRow.next_attempt_at <= now)
                .values(status="sending", next_attempt_at=lease)
                .execution_options(synchronize_session=False)
            )
            return s.get(DeliveryRow, delivery_id) if taken.rowcount == 1 else None

    def deliver_once(self, now: datetime | None = None) -> DeliveryPass:
        """One pass over the due deliveries; `now` (tests) stands for every instant of the pass."""
        start = now or self.clock()
        result = DeliveryPass()
        if not self.sinks:
            return result
        self._held_tickets = {key: until for key, until in self._held_tickets.items() if until > start}
        for delivery_id in self.due(start, self.settings.batch_size):
            # each claim's lease runs from its own instant: from the pass's start, a pass of slow receivers
            # claimed its last deliveries with leases already run out, free for another worker to take
            at = now or self.clock()
            row = self.claim(delivery_id, at)
            if row is None:
                continue
            # the attempt ends a margin before its lease, so that a slow receiver (a helpdesk write-back's
            # many calls) cannot hold it past the lease while another worker takes the delivery over
            deadline = time.monotonic() + self.settings.attempt_budget_s
            outcome = self._attempt(row, at, deadline)
            getattr(result, outcome).append(row.ref)
        return result

    def _attempt(self, row: DeliveryRow, now: datetime, deadline: float) -> str:
        message = Message(row.id, row.kind, row.ref, row.ticket_id, row.created_at.isoformat(), row.payload,
                          deadline=deadline)
        progress = {name: SinkState.from_json(state) for name, state in (row.sinks or {}).items()}
        errors: list[str] = []
        takers = [sink for sink in self.sinks if sink.accepts(message)]
        held: list[datetime] = []  # sinks that asked us to wait (429): not called before then
        not_before, tried = now, False
        spent = False  # an attempt counts towards max_attempts unless every sink tried only asked us to wait
        for sink in takers:
            state = progress.get(sink.name) or SinkState()
            if state.settled:
                continue
            holds = [self._held.get(sink.name), self._held_tickets.get((sink.name, row.ticket_id))]
            if (until := max((h for h in holds if h is not None), default=now)) > now:
                held.append(until)
                continue
            tried = True
            state.attempted(now.isoformat())
            try:
                sink.send(replace(message, done=state.done))
            except DeliveryFailedError as exc:
                state.failed(str(exc), tuple(exc.done), permanent=exc.permanent, gone=exc.gone)
                errors.append(f"{sink.name}: {exc}")
                if exc.retry_after_s is not None:  # a rate limit: counted for the metrics
                    state.limited()
                    until = now + timedelta(seconds=min(exc.retry_after_s, LONGEST_WAIT.total_seconds()))
                    if exc.ticket_only:  # the receiver's other tickets go on
                        self._held_tickets[(sink.name, row.ticket_id)] = until
                    else:
                        self._held[sink.name] = until
                    not_before = max(not_before, until)
                else:
                    spent = True
                if exc.unanswered:  # the receiver is down: its other deliveries wait for the next pass rather
                    # than each waiting out its timeout in turn, with every delivery due behind them
                    until = now + timedelta(seconds=self.settings.poll_s)
                    self._held[sink.name] = max(until, self._held.get(sink.name, until))
            except Exception as exc:  # a sink's bug (an answer of a shape it did not expect) fails this
                # attempt of this delivery only; the others go on. Its kind only: its text may hold payload
                log.warning("delivery %d (%s %s): sink %s failed unexpectedly: %s", row.id, row.kind, row.ref,
                            sink.name, type(exc).__name__)
                state.failed_unexpectedly(f"unexpected {type(exc).__name__}")
                errors.append(f"{sink.name}: {state.last_error}")
                spent = True
            else:
                state.delivered()
                spent = True
            progress[sink.name] = state
            if self.on_attempt is not None:
                self.on_attempt(sink.name, state.status)
        if not takers:  # like a store with no sink at all: the delivery waits for one to be configured
            return self._postpone(row, now + timedelta(seconds=self.settings.backoff_max_s),
                                  f"no configured sink takes {row.kind} deliveries; waiting for one")
        if held and not tried:  # only held sinks are left: wait for them without spending an attempt
            return self._postpone(row, min(held))
        # a receiver that asked us to wait (a 429) refused nothing: waiting as asked never uses up the
        # attempts, so a helpdesk at its API limit for hours delays its write-backs and loses none
        attempts = row.attempts + 1 if spent else row.attempts
        values: dict[str, Any] = {"attempts": attempts,
                                  "sinks": {name: state.to_json() for name, state in progress.items()},
                                  "last_error": "; ".join(errors) or None}
        unsettled = [sink for sink in takers if sink.name not in progress or not progress[sink.name].settled]
        refused = [sink.name for sink in takers if sink.name in progress and progress[sink.name].permanent]
        if not unsettled and not refused:
            outcome, values["status"], values["delivered_at"] = "delivered", "delivered", now
        elif not unsettled:  # refused for good by a receiver, and no other sink left to try: no retry helps
            outcome, values["status"] = "failed", "failed"
            values["last_error"] = "; ".join(f"{name}: {progress[name].last_error}" for name in refused)
            log.warning("delivery %d (%s %s) failed for good at attempt %d: %s", row.id, row.kind, row.ref,
                        attempts, values["last_error"])
        elif spent and attempts >= self.settings.max_attempts:
            outcome, values["status"] = "failed", "failed"
            log.warning("delivery %d (%s %s) failed after %d attempts: %s", row.id, row.kind, row.ref,
                        attempts, values["last_error"])
        else:
            wait = backoff(attempts, self.settings.backoff_base_s, self.settings.backoff_max_s, self.rng)
            outcome, values["status"] = "retrying", "pending"
            values["next_attempt_at"] = max([now + timedelta(seconds=wait), not_before, *held])
            # said at once (a receiver that is down was silent until a delivery failed its last attempt); a
            # wait its receiver asked for (429) is no failure. The errors are safe: no secret, URL or payload
            again = values["next_attempt_at"].isoformat()
            if spent:
                log.warning("delivery %d (%s %s) attempt %d failed, retried from %s: %s", row.id, row.kind,
                            row.ref, attempts, again, values["last_error"])
            else:
                log.info("delivery %d (%s %s) waits as its receiver asked, until %s: %s", row.id, row.kind,
                         row.ref, again, values["last_error"])
        self._settle(row, values)
        return outcome

    def _postpone(self, row: DeliveryRow, until: datetime, why: str | None = None) -> str:
        """Due again at `until`, without spending an attempt."""
        values: dict[str, Any] = {"status": "pending", "next_attempt_at": until}
        if why is not None:
            values["last_error"] = why
        self._settle(row, values)
        return "retrying"

    def _settle(self, row: DeliveryRow, values: dict[str, Any]) -> None:
        """Record the attempt, if this worker still holds the claim: the row is `sending` under the lease its
        claim set. A worker stalled past its lease (a paused process, a slow receiver) whose delivery another
        worker took over finds the lease changed and records nothing: the new holder's outcome stands."""
        with self.db.session() as s:
            settled: CursorResult[Any] = s.execute(  # type: ignore[assignment]  # an UPDATE: a cursor result
                update(DeliveryRow)
                .where(DeliveryRow.id == row.id, DeliveryRow.status == "sending",
                       DeliveryRow.next_attempt_at == row.next_attempt_at)
                .values(**values).execution_options(synchronize_session=False))
        if settled.rowcount != 1:
            log.warning("delivery %d (%s %s): its lease ran out and another worker took it over; this "
                        "attempt's outcome is not recorded", row.id, row.kind, row.ref)

    def step(self) -> float:
        self.deliver_once()
        return self.settings.poll_s
