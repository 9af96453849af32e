"""`Store`: every read and write serving does, behind plain methods (no SQL in routes or in `assess`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, or_, select
from sqlalchemy.orm import Session

from core.assessment import DueAction, TicketAssessment
from core.bounds import STORED
from core.errors import NotFoundError
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from serving.errors import ConflictError
from serving.outbox.payload import WritebackPayload
from serving.outbox.progress import SinkState
from serving.store.budget import BUDGETED_KINDS, AlertBudget, Decision, raise_within_budget
from serving.store.codec import event_payload, request_payloads, ticket_fields
from serving.store.database import Database
from serving.store.history import StoredHistory, read_history, stored_alert
from serving.store.keying import UnkeyedActions
from serving.store.listed import ListedPage, listed_ticket
from serving.store.paging import Window
from serving.store.records import StoredAlert
from serving.store.snoozes import (
    PastSnooze,
    Snooze,
    clear_snooze,
    end_if_worse,
    holding,
    record_snooze,
    snooze_history,
    snooze_of,
)
from serving.store.snoozes import domain as snooze_domain
from serving.store.statements import (
    ANALYSES,
    ASSIGNEE_OPEN_TICKETS,
    CUSTOMER_TICKET_VERSIONS,
    CUSTOMER_TICKET_VERSIONS_AND_LOAD,
    DEFER,
    DUE_TICKETS,
    EARLIEST_DUE,
    EVENT_COUNT,
    EVENTS_AFTER,
    OPEN_STATUSES,
    TICKET_KNOWN,
    TICKET_LOCK,
    TICKET_VIEW,
    TICKETS_WITH_EVENTS,
    ticket_state,
)
from serving.store.tables import (
    ActionRow,
    AlertRow,
    AnalysisRow,
    AssessmentRow,
    DeliveryRow,
    EventRow,
    FeedbackRow,
    SnoozeRow,
    TicketRow,
)
from serving.store.ticket_cache import EMPTY, CachedTicket, TicketCache
from serving.store.work_order import work_order
from serving.store.writes import insert_new, insert_unless_cooling, inserted


@dataclass(frozen=True, slots=True)
class AppendResult:
    created: bool  # this request created the ticket
    stored: tuple[str, ...]  # event ids stored now
    duplicates: tuple[str, ...]  # event ids already stored with the same content


@dataclass(slots=True)
class StoredTicket:
    ticket: Ticket
    events: list[Event]  # in time order (ties: arrival order)
    texts: dict[str, MessageAnalysis] = field(default_factory=dict)  # stored message analyses
    band: str | None = None  # of the latest assessment
    status: str | None = None  # as the latest assessment recorded it (before events not yet stored)


@dataclass(frozen=True, slots=True)
class OpenTicketsQuery:
    """Which open tickets the early-warning list shows, in what order, which page (API and dashboard)."""

    team: str | None = None
    channel: str | None = None
    priority: str | None = None
    band: str | None = None
    min_risk: float | None = None
    breached_only: bool = False
    sort: str = "work"  # a Sort
    limit: int = 50
    offset: int = 0
    # the order of work (Sort.WORK) depends on the instant: which deadlines are "about to breach"
    now: datetime | None = None
    due_soon: timedelta = timedelta(hours=1)
    # a text in the ticket id, the customer id or the subject (case-insensitive; not the message bodies)
    search: str | None = None


@dataclass(frozen=True, slots=True)
class AlertCandidate:
    dedup_key: str
    kind: str  # risk | trigger
    band: str
    risk: float | None
    reason: str
    bypass_cooldown: bool = False  # a trigger fires once per action id, whatever the cool-down
    # an immediate trigger's action: its alert is raised with it, only when the action fires (a trigger edited
    # in the policy file gets a new action id, and its dedup key keeps the action from firing again)
    action_id: str | None = None


@dataclass(frozen=True, slots=True)
class Recorded:
    assessment_id: int
    fresh: bool  # False: the same inputs were assessed before; the stored assessment is returned
    body: TicketAssessment
    new_actions: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()  # raised (and enqueued)
    suppressed: tuple[str, ...] = ()  # stored as suppressed by the team's daily budget, not delivered
    displaced: tuple[str, ...] = ()  # raised earlier, now suppressed: a higher-risk alert took the slot


@dataclass(frozen=True, slots=True)
class Recording:
    """What recording one assessment writes, in one transaction: the assessment (once per `basis`), its due
    actions (once per action id), its alerts (once per dedup key, not within the cool-down, within the
    team's daily `budget` when there is one), new message analyses, and the ticket's current state."""

    body: TicketAssessment
    basis: str
    events_seen: int
    state: Mapping[str, str | None]  # current status, priority, team, assignee (the ticket's columns)
    cooldown: timedelta
    actions: Sequence[DueAction] = ()
    alerts: Sequence[AlertCandidate] = ()
    analyses: Mapping[str, MessageAnalysis] = field(default_factory=dict)
    sentiment_version: str | None = None
    budget: AlertBudget | None = None
    # what to write back to the ticket's helpdesk (serving/outbox/writeback.py), None: nothing; enqueued
    # once per assessment, with the assessment's id, unless it would change nothing or the helpdesk has no
    # such ticket (_nothing_to_write_back)
    writeback: WritebackPayload | None = None


WRITEBACK = "writeback"  # the outbox kind of a write-back to a helpdesk


def writeback_ref(assessment_id: int) -> str:
    """The write-back's outbox ref: unique, so an assessment is written back once."""
    return f"{WRITEBACK}:{assessment_id}"


class StaleView(Exception):
    """The ticket gained events (another request's) between reading it and writing: the assessment was made
    on a view that is no longer the ticket's, so nothing was written; read again and re-assess."""


class Store:
    def __init__(self, database: Database, tickets: TicketCache | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`clock`: monotonic seconds, when to ask again whether unkeyed action rows are left (keying.py)."""
        self.db = database
        self.tickets = tickets or TicketCache()  # each active ticket's events and analyses, read once
        self._held = threading.local()  # the connection `reading` holds for this thread, if any
        self._unkeyed = UnkeyedActions(clock)  # action rows fired by a release before migration 0010

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Within it, this thread's reads share one connection: a request's view of its ticket and the
        features' reads are one pool checkout and one reset (on PostgreSQL: one ping, one rollback) instead of
        one each. Reads only: writes take their own transaction, as ever."""
        if getattr(self._held, "connection", None) is not None:
            yield
            return
        with self.db.engine.connect() as connection:
            self._held.connection = connection
            try:
                yield
            finally:
                self._held.connection = None

    @contextmanager
    def _reader(self) -> Iterator[Connection]:
        """The connection `reading` holds, else one for this read (reads commit nothing: no transaction)."""
        held: Connection | None = getattr(self._held, "connection", None)
        if held is not None:
            yield held
            return
        with self.db.engine.connect() as connection:
            yield connection

    # --- events -------------------------------------------------------------------------------
    def append(
        self, ticket_id: str, ticket: Ticket | None, events: Sequence[Event], now: datetime
    ) -> AppendResult:
        """Store the ticket (first time) and the events not stored yet, in one transaction committed before
        returning. An event id already stored with other content is a conflict (nothing is stored)."""
        with self.db.session() as s:
            return self._append(s, ticket_id, ticket, events, now)[0]

    def view_with(self, ticket_id: str, ticket: Ticket | None, events: Sequence[Event]) -> StoredTicket:
        """The ticket as it will be once `events` are stored, without storing anything: its stored events
        and analyses with the request's new events in their place in time. Raises what storing them would:
        a ticket that is not known and not sent (404), an event id sent or stored with other content (409)."""
        try:
            stored = self.load(ticket_id)
        except NotFoundError:
            stored = None
        return _merged(ticket_id, stored, ticket, events)

    def append_and_record(
        self,
        ticket_id: str,
        ticket: Ticket | None,
        events: Sequence[Event],
        recording: Recording,
        now: datetime,
        *,
        expect_events: int,
    ) -> tuple[AppendResult, Recorded]:
        """Store the events and record their assessment in one transaction: both commit, or neither does.
        `expect_events`: how many events the assessment saw; when the ticket then holds another number (a
        concurrent request stored some meanwhile), nothing is written and `StaleView` is raised."""
        with self.db.session() as s:
            connection = s.connection()
            if connection.dialect.name != "sqlite":  # PostgreSQL: one writer a ticket (SQLite has one writer)
                connection.execute(TICKET_LOCK, {"ticket_id": ticket_id})
            # the view was read from a ticket that exists or is created here: no need to look it up again
            appended, numbers = self._append(s, ticket_id, ticket, events, now, known=True)
            # the ticket's events are counted by the statement that records its state (raises StaleView)
            recorded = self._record(s, ticket_id, recording, now, expect_events=expect_events)
        self._remember(ticket_id, expect_events, numbers, events, recording.analyses)
        return appended, recorded

    def append_and_record_locked(
        self,
        ticket_id: str,
        ticket: Ticket | None,
        events: Sequence[Event],
        now: datetime,
        assess: Callable[[StoredTicket], Recording],
    ) -> tuple[AppendResult, Recorded]:
        """`view_with`, `assess` and `append_and_record` in one transaction that holds the ticket's write
        lock from the first read (PostgreSQL: the ticket's row; SQLite: the database's writer lock), so no
        concurrent request can store events in between: the assessment sees exactly the events the ticket
        then holds. Slower for concurrent writers than the optimistic path; the caller's last resort when
        other requests keep adding events to the ticket."""
        with self.db.session() as s:
            created = self._write_lock(s, ticket_id, ticket)
            try:
                stored, _ = self._load(s.connection(), ticket_id)
            except NotFoundError:
                stored = None
            view = _merged(ticket_id, stored, ticket, events)
            recording = assess(view)
            appended, numbers = self._append(s, ticket_id, ticket, events, now)
            recorded = self._record(s, ticket_id, recording, now)
        self._remember(ticket_id, len(view.events), numbers, events, recording.analyses)
        return replace(appended, created=created or appended.created), recorded

    def _remember(
        self,
        ticket_id: str,
        count: int,
        numbers: Mapping[str, int],
        events: Sequence[Event],
        analyses: Mapping[str, MessageAnalysis],
    ) -> None:
        """After a commit that left the ticket with exactly `count` events: add the events it stored
        (`numbers`: their sequence numbers) and the analyses it recorded to the ticket's cache entry, when
        that entry held every other event of the ticket — so the next message reads none of them again."""
        held = self.tickets.get(ticket_id)
        if held.count + len(numbers) != count:
            return  # the entry lacks events (or is gone): the next load reads what is missing
        new = {e.event_id: e for e in events if e.event_id in numbers}
        # the analyses as reading them back gives them (scores rounded as stored): a cached view and a view
        # read from the tables must assess alike
        stored = {k: MessageAnalysis.from_dict(v.to_dict()) for k, v in analyses.items()}
        self.tickets.put(ticket_id, held.with_events([(numbers[i], e) for i, e in new.items()])
                         .with_texts(stored))

    def _write_lock(self, s: Session, ticket_id: str, ticket: Ticket | None) -> bool:
        """Take the ticket's write lock before the transaction's first read; True: the ticket was created."""
        connection = s.connection()
        if connection.dialect.name == "sqlite":
            # pysqlite begins a transaction lazily, at the first write; take the writer lock now, before
            # the first read, so the transaction's reads see what it will write on top of
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return False
        # a new ticket's row first (a concurrent creator's insert makes this one wait), so there is a row
        # to lock: otherwise two first requests would both find nothing to lock and go on together
        created = bool(
            ticket is not None
            and insert_new(s, TicketRow.__table__, [_ticket_row(ticket)], TicketRow.ticket_id)
        )
        connection.execute(TICKET_LOCK, {"ticket_id": ticket_id})
        return created

    def _append(
        self,
        s: Session,
        ticket_id: str,
        ticket: Ticket | None,
        events: Sequence[Event],
        now: datetime,
        *,
        known: bool = False,
    ) -> tuple[AppendResult, dict[str, int]]:
        """Store the ticket and the events; returns what was stored, and the sequence number of each event
        stored now. `known`: the caller has just read the ticket (it is not looked up again)."""
        payloads = request_payloads(events)
        created = False
        if ticket is not None:
            created = bool(insert_new(s, TicketRow.__table__, [_ticket_row(ticket)], TicketRow.ticket_id))
        elif not known and s.connection().execute(TICKET_KNOWN, {"ticket_id": ticket_id}).first() is None:
            raise NotFoundError(
                f"ticket {ticket_id!r} is not known; send its fields in `ticket` with its first events"
            )
        rows: list[dict[str, Any]] = [
            {
                "event_id": e.event_id,
                "ticket_id": ticket_id,
                "at": e.at,
                "type": e.type.value,
                "author_role": e.author_role.value,
                "body": e.body,
                "payload": payloads[e.event_id],
                "received_at": now,
            }
            for e in {e.event_id: e for e in events}.values()
        ]
        stored: dict[str, int] = inserted(s, EventRow.__table__, rows, EventRow.event_id, EventRow.seq)
        others = [r["event_id"] for r in rows if r["event_id"] not in stored]
        if others:
            existing = s.execute(
                select(EventRow.event_id, EventRow.ticket_id, EventRow.payload).where(
                    EventRow.event_id.in_(others)
                )
            ).all()
            for event_id, owner, payload in existing:
                if owner != ticket_id or payload != payloads[event_id]:
                    # raising rolls the whole request back: a request is stored whole or not at all
                    raise _changed(event_id, owner if owner != ticket_id else None)
        appended = AppendResult(
            created, tuple(r["event_id"] for r in rows if r["event_id"] in stored), tuple(others)
        )
        return appended, stored

    def stored_events(self, ticket_id: str, event_ids: Sequence[str]) -> dict[str, Event]:
        """The events among `event_ids` that the ticket already holds, as they were stored."""
        if not event_ids:
            return {}
        with self._reader() as connection:
            rows = connection.execute(
                select(EventRow.event_id, EventRow.payload).where(
                    EventRow.ticket_id == ticket_id, EventRow.event_id.in_(list(event_ids))
                )
            ).all()
        return {event_id: Event.model_validate(payload, context=STORED) for event_id, payload in rows}

    def load(self, ticket_id: str) -> StoredTicket:
        with self._reader() as connection:  # reads only: nothing to commit (the reset on return ends it)
            stored, entry = self._load(connection, ticket_id)
        self.tickets.put(ticket_id, entry)
        return stored

    def _load(self, connection: Connection, ticket_id: str) -> tuple[StoredTicket, CachedTicket]:
        """The ticket, reading only the events and analyses its cache entry lacks; the caller stores the
        returned entry once the transaction has committed. A cache entry that holds as many events as the
        ticket holds all of them (events are append-only): then one statement is the whole read."""
        row = connection.execute(TICKET_VIEW, {"ticket_id": ticket_id}).first()
        if row is None:
            raise NotFoundError(
                f"ticket {ticket_id!r} is not known; check the id or send its events first"
            )
        cached = entry = self.tickets.get(ticket_id)
        if entry.count != row.events:
            rows = connection.execute(EVENTS_AFTER, {"ticket_id": ticket_id, "after": entry.newest_seq}).all()
            entry = entry.with_events([(seq, Event.model_validate(p, context=STORED)) for seq, p in rows])
            if entry.count != row.events and cached.count:
                # rows committed late with a lower number than the entry's newest, or events stored between
                # the two statements: read the ticket whole (one statement, consistent by itself)
                rows = connection.execute(EVENTS_AFTER, {"ticket_id": ticket_id, "after": 0}).all()
                entry = EMPTY.with_events([(seq, Event.model_validate(p, context=STORED)) for seq, p in rows])
        wanted = entry.unanalysed()
        if wanted:
            found = connection.execute(ANALYSES, {"ids": wanted})
            entry = entry.with_texts({i: MessageAnalysis.from_dict(a) for i, a in found})
        ticket = Ticket.model_validate(row.fields, context=STORED)
        events = [e for _, _, e in entry.events]
        stored = StoredTicket(ticket, events, dict(entry.texts), row.band, row.status)
        return stored, entry

    def save_analyses(self, texts: dict[str, dict[str, Any]], sentiment_version: str | None) -> None:
        with self.db.session() as s:
            self._save_analyses(s, texts, sentiment_version)

    def _save_analyses(
        self, s: Session, texts: dict[str, dict[str, Any]], sentiment_version: str | None
    ) -> None:
        rows = [
            {"event_id": k, "analysis": v, "sentiment_version": sentiment_version} for k, v in texts.items()
        ]
        insert_new(s, AnalysisRow.__table__, rows, AnalysisRow.event_id)

    # --- context for features -----------------------------------------------------------------
    def customer_ticket_versions(self, customer_id: str, exclude: str) -> dict[str, tuple[int, int]]:
        """The customer's other tickets, each with (events, newest event sequence number): a ticket's version
        changes whenever an event is added to it (tickets and events are append-only). One indexed query."""
        with self._reader() as connection:
            rows = connection.execute(
                CUSTOMER_TICKET_VERSIONS, {"customer_id": customer_id, "exclude": exclude}
            ).all()
        return {tid: (int(events), int(newest)) for tid, events, newest in rows}

    def customer_ticket_versions_and_load(
        self, customer_id: str, assignee: str, exclude: str
    ) -> tuple[dict[str, tuple[int, int]], int]:
        """`customer_ticket_versions` and `assignee_open_tickets` in one statement."""
        with self._reader() as connection:
            rows = connection.execute(
                CUSTOMER_TICKET_VERSIONS_AND_LOAD,
                {"customer_id": customer_id, "assignee": assignee, "exclude": exclude},
            ).all()
        versions = {tid: (int(events), int(newest)) for tid, events, newest in rows if tid is not None}
        load = next(int(count) for tid, count, _ in rows if tid is None)
        return versions, load

    def tickets_with_events(self, ticket_ids: Sequence[str]) -> list[tuple[Ticket, list[Event]]]:
        """The given tickets with all their events, in time order (unknown ids are left out)."""
        if not ticket_ids:
            return []
        with self._reader() as connection:  # one statement: the tickets' rows and their events' in time order
            rows = connection.execute(TICKETS_WITH_EVENTS, {"ids": list(ticket_ids)}).all()
        tickets = {tid: fields for tid, fields, _ in rows if fields is not None}
        events: dict[str, list[Event]] = {tid: [] for tid in tickets}
        for tid, fields, payload in rows:
            if fields is None and tid in events:
                events[tid].append(Event.model_validate(payload, context=STORED))
        return [(Ticket.model_validate(f, context=STORED), events[tid]) for tid, f in tickets.items()]

    def assignee_open_tickets(self, assignee: str, exclude: str) -> int:
        """Open tickets assigned to `assignee` now (the store knows the current state only)."""
        with self._reader() as connection:
            count = connection.execute(
                ASSIGNEE_OPEN_TICKETS, {"assignee": assignee, "exclude": exclude}
            ).scalar_one()
        return int(count)

    # --- assessments, actions, alerts -----------------------------------------------------------
    def record(
        self, ticket_id: str, recording: Recording, now: datetime, *, expect_events: int | None = None
    ) -> Recorded:
        """Record an assessment of the stored events (a sweep's: no new event), in one transaction.
        `expect_events`: as `append_and_record`'s (StaleView, nothing written, when the ticket holds more)."""
        with self.db.session() as s:
            return self._record(s, ticket_id, recording, now, expect_events=expect_events)

    def _record(
        self, s: Session, ticket_id: str, r: Recording, now: datetime, expect_events: int | None = None
    ) -> Recorded:
        """Save the assessment once per basis, fire its due actions once per action id and raise its alerts
        once per dedup key (and not again within the cool-down); both go to the outbox. Model-driven alerts
        are held to the team's daily budget when there is one (store/budget.py). `expect_events`: raise
        StaleView (the caller's transaction rolls back) unless the ticket then holds exactly that many events;
        the statement that updates the ticket's state counts them, so the check costs no round trip."""
        body, state, actions, alerts = r.body, r.state, r.actions, r.alerts
        stored = body.model_dump(mode="json")  # what the store keeps and the API answers
        if r.analyses:
            self._save_analyses(s, {k: v.to_dict() for k, v in r.analyses.items()}, r.sentiment_version)
        inserted = insert_new(
            s,
            AssessmentRow.__table__,
            [
                {
                    "ticket_id": ticket_id,
                    "assessed_at": body.assessed_at,
                    "basis": r.basis,
                    "events_seen": r.events_seen,
                    "risk": body.risk,
                    "band": body.band.value,
                    "model_version": body.model_version,
                    "policy_version": body.policy_version,
                    "body": stored,
                    "created_at": now,
                }
            ],
            AssessmentRow.id,
        )
        if not inserted:
            if expect_events is not None:
                _expect(s, ticket_id, expect_events)
            old = s.execute(
                select(AssessmentRow.id, AssessmentRow.body).where(
                    AssessmentRow.ticket_id == ticket_id, AssessmentRow.basis == r.basis
                )
            ).one()
            return Recorded(old.id, False, TicketAssessment.model_validate(old.body))
        assessment_id = int(next(iter(inserted)))
        dumped = {a.action_id: a.model_dump(mode="json") for a in actions}  # stored twice, rendered once
        fired = insert_new(
            s,
            ActionRow.__table__,
            [
                {
                    "action_id": a.action_id,
                    "ticket_id": ticket_id,
                    "kind": a.kind.value,
                    "level": a.level,
                    "escalation_type": a.escalation_type.value if a.escalation_type else None,
                    "body": dumped[a.action_id],
                    "due_at": a.at,
                    "fired_at": now,
                    "dedup_key": a.dedup_key or None,
                }
                for a in actions
            ],
            ActionRow.action_id,
        )
        known = [a for a in actions if a.action_id not in fired and a.dedup_key]
        self._unkeyed.key(s.connection(), known, now)
        alerts = [c for c in alerts if c.action_id is None or c.action_id in fired]
        team = (state.get("team") or s.get(TicketRow, ticket_id).team) if alerts else ""  # type: ignore[union-attr]
        decided = {
            c.dedup_key: d
            for c in alerts
            if (d := self._raise(s, ticket_id, team, c, assessment_id, now, r.cooldown, r.budget))
            is not None
        }
        raised = [c for c in alerts if c.dedup_key in decided and decided[c.dedup_key].status == "raised"]
        outbox = [
            _delivery("action", a.action_id, ticket_id, dumped[a.action_id], now)
            for a in actions
            if a.action_id in fired
        ]
        outbox += [
            _delivery("alert", c.dedup_key, ticket_id, {**stored, "alert": c.reason}, now) for c in raised
        ]
        if r.writeback is not None and not _nothing_to_write_back(s, ticket_id, r.writeback,
                                                                  r.events_seen):
            payload = replace(r.writeback, assessment_id=assessment_id).to_json()
            outbox.append(_delivery(WRITEBACK, writeback_ref(assessment_id), ticket_id, payload, now))
        insert_new(s, DeliveryRow.__table__, outbox, DeliveryRow.ref)
        # the ticket's current state: only an assessment of at least as many events replaces it
        updated = s.connection().execute(
            ticket_state(tuple(sorted(state)), counted=expect_events is not None),
            {
                "key": ticket_id,
                "seen": r.events_seen,
                "events_seen": r.events_seen,
                "last_assessment_id": assessment_id,
                "risk": body.risk,
                "band": body.band.value,
                "band_rank": body.band.rank,
                "breached": body.sla.breached,
                "next_due_at": _utc(body.sla.next_due_at),
                "escalation_level": body.sla.escalation_level,
                "sla_due_at": _utc(body.sla.soonest_due_at),
                "policy_version": body.policy_version,
                **state,
            },
        )
        replaced = updated.first()  # None: a newer assessment holds the state
        if expect_events is not None and (replaced is None or replaced.events != expect_events):
            # no row (it records more events than this view saw) or another count: a concurrent request
            # stored events of this ticket after the view was read
            raise StaleView(ticket_id)
        if replaced is not None and replaced.snoozed:
            end_if_worse(s, ticket_id, now)  # a new breach, level or band ends the ticket's snooze here
        return Recorded(
            assessment_id,
            True,
            body,
            tuple(sorted(fired)),
            tuple(c.dedup_key for c in raised),
            tuple(k for k, d in decided.items() if d.status == "suppressed"),
            tuple(d.displaced for d in decided.values() if d.displaced),
        )

    def _raise(
        self,
        s: Session,
        ticket_id: str,
        team: str,
        c: AlertCandidate,
        assessment_id: int,
        now: datetime,
        cooldown: timedelta,
        budget: AlertBudget | None,
    ) -> Decision | None:
        """Raise (or, over the team's budget, suppress) one alert; None when it is not new or cooling down.
        A suppressed alert starts the cool-down too: the ticket does not retry on every message. Without a
        budget to weigh it against, the cool-down check is part of the insert (one statement)."""
        budgeted = budget is not None and c.kind in BUDGETED_KINDS and budget.limit(team) is not None
        if budgeted and not c.bypass_cooldown:
            cooling = s.execute(
                select(func.count())
                .select_from(AlertRow)
                .where(
                    AlertRow.ticket_id == ticket_id,
                    AlertRow.kind == c.kind,
                    AlertRow.cooldown_until > now,
                    AlertRow.band == c.band,
                )
            ).scalar_one()
            if cooling:
                return None
        row = {
            "dedup_key": c.dedup_key,
            "ticket_id": ticket_id,
            "kind": c.kind,
            "band": c.band,
            "risk": c.risk,
            "reason": c.reason,
            "assessment_id": assessment_id,
            "raised_at": now,
            "cooldown_until": now + cooldown,
            "team": team,
        }
        if budgeted and budget is not None:
            return raise_within_budget(s, budget, row)
        row["budget_day"] = budget.day(now) if budget is not None else None
        table, key = AlertRow.__table__, AlertRow.dedup_key
        if c.bypass_cooldown:
            return Decision("raised") if insert_new(s, table, [row], key) else None
        return Decision("raised") if insert_unless_cooling(s, table, row, key) else None

    # --- the sweeper's queue: open tickets by their next due instant --------------------------------
    def earliest_due(self) -> datetime | None:
        """The earliest stored next_due_at among open tickets (one row of the partial index, not a scan)."""
        with self.db.engine.connect() as connection:
            value: datetime | None = connection.execute(EARLIEST_DUE).scalar_one()
        return value

    def due_tickets(self, now: datetime, limit: int) -> list[str]:
        """Open tickets due at `now`, the longest overdue first."""
        with self.db.engine.connect() as connection:
            return list(connection.execute(DUE_TICKETS, {"now": now, "limit": limit}).scalars())

    def defer(self, ticket_id: str, until: datetime) -> None:
        """Set the ticket's next due instant to `until` (a ticket whose assessment failed waits for its
        retry there, behind the other tickets); its next assessment sets it anew."""
        with self.db.session() as s:
            s.connection().execute(DEFER, {"key": ticket_id, "until": until})

    def current_state(self, ticket_id: str) -> dict[str, str | None] | None:
        """The ticket's status, priority, team and assignee as its latest assessment left them; None: not
        stored."""
        with self.db.session() as s:
            row = s.execute(
                select(TicketRow.status, TicketRow.priority, TicketRow.team, TicketRow.assignee)
                .where(TicketRow.ticket_id == ticket_id)
            ).first()
        if row is None:
            return None
        return {"status": row.status, "priority": row.priority, "team": row.team, "assignee": row.assignee}

    # --- reads for managers ---------------------------------------------------------------------
    def history(self, ticket_id: str, assessments: Window, events: Window, alerts: Window) -> StoredHistory:
        """The ticket, its state now, a page of its events, one of its assessments and one of its alerts (each
        the `limit` latest after skipping the `offset` latest: only the pages are read), and its latest
        assessment."""
        with self._reader() as connection:
            return read_history(connection, ticket_id, assessments, events, alerts)

    def early_warning(self, q: OpenTicketsQuery) -> ListedPage:
        """The query's page of open tickets in its order, with how many tickets its filters select and how
        many of those are snoozed now. Two statements: the counts in one pass over the tickets, then the
        page, chosen on the tickets' own columns before its rows alone read their latest assessment (a
        deferred join: no assessment body is read for a ticket off the page)."""
        now = q.now or datetime.now(UTC)
        q = replace(q, now=now)  # one instant for the order and the snoozes
        where = _filters(q)
        # a snoozed ticket goes after every other one, whatever the sort, until its snooze no longer holds
        held = case((holding(now), 1), else_=0)
        order = _order(q)
        with self.db.session() as s:
            total, snoozed = s.execute(
                select(func.count(), func.coalesce(func.sum(held), 0))
                .select_from(TicketRow)
                .outerjoin(SnoozeRow, SnoozeRow.ticket_id == TicketRow.ticket_id)
                .where(*where)
            ).one()
            page = (
                select(TicketRow.ticket_id, held.label("held"))
                .outerjoin(SnoozeRow, SnoozeRow.ticket_id == TicketRow.ticket_id)
                .where(*where)
                .order_by(held.asc(), *order)
                .limit(q.limit)
                .offset(q.offset)
                .subquery()
            )
            rows = s.execute(
                select(TicketRow, AssessmentRow.body, SnoozeRow, page.c.held)
                .join(page, page.c.ticket_id == TicketRow.ticket_id)
                .join(AssessmentRow, AssessmentRow.id == TicketRow.last_assessment_id)
                .outerjoin(SnoozeRow, SnoozeRow.ticket_id == TicketRow.ticket_id)
                .order_by(page.c.held.asc(), *order)  # the page's order again, on its rows only
            ).all()
            items = [listed_ticket(t, body, snooze_domain(z) if on else None) for t, body, z, on in rows]
        return ListedPage(int(total), int(snoozed), items)

    # --- snoozed warnings (store/snoozes.py) ------------------------------------------------------
    def snooze(self, ticket_id: str, until: datetime, who: str, now: datetime) -> Snooze:
        return record_snooze(self.db, ticket_id, until, who, now)

    def unsnooze(self, ticket_id: str, who: str, now: datetime) -> bool:
        return clear_snooze(self.db, ticket_id, who, now)

    def snooze_history(self, ticket_id: str, now: datetime, window: Window | None = None) -> list[PastSnooze]:
        return snooze_history(self.db, ticket_id, now, window)

    def snooze_of(self, ticket_id: str, now: datetime) -> Snooze | None:
        return snooze_of(self.db, ticket_id, now)

    def open_teams(self) -> list[str]:
        """The teams that have open tickets (the board's team filter)."""
        with self.db.session() as s:
            return list(
                s.execute(
                    select(TicketRow.team).where(TicketRow.status.in_(OPEN_STATUSES)).distinct().order_by(TicketRow.team)
                ).scalars()
            )

    def add_feedback(
        self,
        ticket_id: str,
        alert_id: int | None,
        assessment_id: int | None,
        verdict: str,
        comment: str | None,
        who: str,
        now: datetime,
    ) -> int:
        with self.db.session() as s:
            if s.get(TicketRow, ticket_id) is None:
                raise NotFoundError(f"ticket {ticket_id!r} is not known; check the id")
            refs: tuple[tuple[type[AlertRow] | type[AssessmentRow], int | None, str], ...] = (
                (AlertRow, alert_id, "alert_id"),
                (AssessmentRow, assessment_id, "assessment_id"),
            )
            for model, ref, name in refs:
                if ref is not None:
                    found: AlertRow | AssessmentRow | None = s.get(model, ref)  # type: ignore[assignment]
                    if found is None or found.ticket_id != ticket_id:
                        raise NotFoundError(f"{name} {ref} is not an {name[:-3]} of ticket {ticket_id!r}")
            row = FeedbackRow(
                ticket_id=ticket_id,
                alert_id=alert_id,
                assessment_id=assessment_id,
                verdict=verdict,
                comment=comment,
                who=who,
                at=now,
            )
            s.add(row)
            s.flush()
            return int(row.id)

    def alerts(self, ticket_id: str | None = None) -> list[StoredAlert]:
        with self.db.session() as s:
            query = select(AlertRow).order_by(AlertRow.id)
            if ticket_id is not None:
                query = query.where(AlertRow.ticket_id == ticket_id)
            return [stored_alert(a) for a in s.execute(query).scalars()]

    def count(self, table: str) -> int:
        models = {
            "tickets": TicketRow,
            "events": EventRow,
            "assessments": AssessmentRow,
            "actions": ActionRow,
            "alerts": AlertRow,
            "deliveries": DeliveryRow,
            "feedback": FeedbackRow,
        }
        with self.db.session() as s:
            return int(s.execute(select(func.count()).select_from(models[table])).scalar_one())


# The early-warning list's orders; each ends on the ticket id so that paging is stable.
class Sort(StrEnum):
    """The early-warning list's orders (API `sort`, the board's sort menu)."""

    WORK = "work"  # the order of work (serving/store/work_order.py)
    RISK = "risk"  # band, then risk, then the next due action
    DUE = "due"  # the soonest SLA deadline first
    LEVEL = "level"  # the highest escalation level first
    TICKET = "ticket"  # by id


SORTS: dict[Sort, tuple[Any, ...]] = {
    Sort.RISK: (
        TicketRow.band_rank.desc(),
        TicketRow.risk.desc().nulls_last(),
        TicketRow.next_due_at.asc().nulls_last(),
        TicketRow.ticket_id,
    ),
    Sort.DUE: (TicketRow.sla_due_at.asc().nulls_last(), TicketRow.band_rank.desc(), TicketRow.ticket_id),
    Sort.LEVEL: (
        TicketRow.escalation_level.desc(),
        TicketRow.band_rank.desc(),
        TicketRow.risk.desc().nulls_last(),
        TicketRow.ticket_id,
    ),
    Sort.TICKET: (TicketRow.ticket_id,),
}


def _filters(q: OpenTicketsQuery) -> list[ColumnElement[bool]]:
    """The early-warning list's WHERE terms: open, assessed, and the query's filters and search."""
    where: list[ColumnElement[bool]] = [
        TicketRow.status.in_(OPEN_STATUSES),
        TicketRow.last_assessment_id.is_not(None),
    ]
    for column, value in (
        (TicketRow.team, q.team),
        (TicketRow.channel, q.channel),
        (TicketRow.priority, q.priority),
        (TicketRow.band, q.band),
    ):
        if value:
            where.append(column == value)
    if q.min_risk is not None:
        where.append(TicketRow.risk >= q.min_risk)
    if q.breached_only:
        where.append(TicketRow.breached.is_(True))
    if q.search:
        where.append(_matches(q.search))
    return where


def _matches(text: str) -> ColumnElement[bool]:
    """The ticket id, the customer id or the subject contains `text`, case-insensitively. A LIKE over the open
    tickets' columns that the other filters leave (no index helps a leading wildcard); message bodies are not
    searched."""
    needle = text.strip().lower()
    subject = TicketRow.fields["subject"].as_string()
    return or_(*(
        func.lower(column).contains(needle, autoescape=True)
        for column in (TicketRow.ticket_id, TicketRow.customer_id, subject)
    ))


def _order(q: OpenTicketsQuery) -> tuple[Any, ...]:
    if q.sort == Sort.WORK:
        return work_order(q.now or datetime.now(UTC), q.due_soon)
    return SORTS[Sort(q.sort)]


def _merged(
    ticket_id: str, stored: StoredTicket | None, ticket: Ticket | None, events: Sequence[Event]
) -> StoredTicket:
    """The stored ticket (None: not stored yet) as it will be with `events`; raises what storing would."""
    if stored is None:
        if ticket is None:
            raise NotFoundError(
                f"ticket {ticket_id!r} is not known; send its fields in `ticket` with its first events"
            )
        stored = StoredTicket(ticket, [])
    held = {e.event_id: e for e in stored.events}
    new: list[Event] = []
    for event_id, payload in request_payloads(events).items():
        if event_id in held:
            if event_payload(held[event_id]) != payload:
                raise _changed(event_id, None)
        else:
            new.append(next(e for e in events if e.event_id == event_id))
    # sorted() is stable: a new event goes after the stored ones of the same instant, as its number will
    merged = sorted([*stored.events, *new], key=lambda e: e.at) if new else stored.events
    return StoredTicket(stored.ticket, merged, stored.texts, stored.band, stored.status)


def _expect(s: Session, ticket_id: str, events: int) -> None:
    if s.connection().execute(EVENT_COUNT, {"ticket_id": ticket_id}).scalar_one() != events:
        raise StaleView(ticket_id)


def _changed(event_id: str, owner: str | None) -> ConflictError:
    return ConflictError(
        f"event id {event_id!r} was already stored with different content"
        + (f" (ticket {owner!r})" if owner is not None else "")
        + "; send a new event id for a new event"
    )


def _ticket_row(ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket_id": ticket.ticket_id,
        "created_at": ticket.created_at,
        "customer_id": ticket.customer_id,
        "fields": ticket_fields(ticket),
        "status": "new",
        "channel": ticket.channel.value,
        "priority": ticket.priority.value,
        "team": ticket.team,
        "assignee": ticket.assignee,
        "band_rank": -1,
        "breached": False,
        "events_seen": 0,
        "policy_version": "",
        "calendar_version": "",
    }


def _nothing_to_write_back(s: Session, ticket_id: str, writeback: WritebackPayload,
                           events_seen: int) -> bool:
    """The ticket's latest write-back (not failed) holds the same rounded risk and band, and this one has no
    note: writing it would change nothing on the ticket, only spend the helpdesk's rate limit (the sweeper
    re-assesses tickets as time passes). A failed one does not count: the next assessment writes again —
    unless the helpdesk answered that it has no such ticket (`gone`: deleted or merged away, and no webhook
    said so): then nothing is written until the ticket shows life, an event after the assessment that failed
    (`events_seen` more), or every re-assessment would cost a 404, forever."""
    latest = s.execute(
        select(DeliveryRow.payload, DeliveryRow.status, DeliveryRow.sinks)
        .where(DeliveryRow.kind == WRITEBACK, DeliveryRow.ticket_id == ticket_id)
        .order_by(DeliveryRow.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return False
    if latest.status == "failed":
        gone = any(SinkState.from_json(state).gone for state in (latest.sinks or {}).values())
        if not gone:
            return False
        seen = s.execute(select(AssessmentRow.events_seen).where(
            AssessmentRow.id == latest.payload.get("assessment_id"))).scalar()
        return seen is not None and events_seen <= seen
    return WritebackPayload.from_json(latest.payload).same_on_the_ticket(writeback)


def _delivery(kind: str, ref: str, ticket_id: str, payload: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "kind": kind,
        "ref": ref,
        "ticket_id": ticket_id,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
    }


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None
