"""`Service`: what the routes call — one method per use case, each storing, assessing and recording.
Holds the loaded scorers; `reload` swaps a new model in with one assignment, so a request in flight
finishes with the scorers it started with and none is dropped."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from core.assessment import Ingested, TicketAssessment
from core.enums import OPEN_STATUSES, Band, Priority, TicketStatus
from core.errors import EscalationError, NotFoundError
from core.lru import Lru
from core.settings import Settings
from core.tickets import Event, Ticket
from features.text.analysis import MessageAnalyser
from features.text.loading import load_analyser
from helpdesks.common import Mapped, TicketState
from rules import PolicySet, load_policies
from serving.alerts import alert_budget, alert_candidates
from serving.assess import Assessment, Scorers, assess
from serving.basis import assessment_basis
from serving.early_warning import EarlyWarningPage, early_warning_item
from serving.errors import InputError, ModelLoadError, PolicyLoadError
from serving.isolation import Isolation
from serving.model_loads import ModelLoads
from serving.outbox.writeback import writeback_payload
from serving.page_cache import PageCache
from serving.policy_loads import PolicyLoads
from serving.schemas import ReloadOut
from serving.store import (
    Database,
    OpenTicketsQuery,
    Recorded,
    Recording,
    StaleView,
    Store,
    StoredTicket,
    migrate,
)
from serving.store.codec import distinct_events
from serving.store.context import StoreContext
from serving.store.database import store_down
from serving.store.kept_analyses import KeptAnalyses
from serving.store.paging import Page, Window, page_size
from serving.store.policy_change import due_under_new_policy_file
from serving.store.root_causes import RootCause, is_escalated, record_root_cause, root_causes_of
from serving.store.snoozes import MAX_SNOOZE, PastSnooze, Snooze, snooze_count
from serving.store.ticket_cache import TicketCache
from serving.ticket_history import HistoryEvent, TicketHistory
from serving.wording.clock import span

log = logging.getLogger("serving")


INGEST_TRIES = 4  # assessments of one request when concurrent requests keep adding events to its ticket


def build_service(settings: Settings) -> tuple[Service, Database]:
    """The service on the configured store (migrated first) with its models loaded: what the API, the
    command-line sweeper and `seed-demo` each start from."""
    migrate(settings.database_url, store=settings.store)
    database = Database(settings.database_url, settings.store)
    analyser = load_analyser(settings, sentiment=settings.serving.sentiment, cache=True)
    analyser.warm_up()  # before the first request, not during it
    store = Store(database, TicketCache(settings.serving.ticket_cache_mb))
    service = Service(settings, store, load_policies(settings.paths.policy_file), analyser)
    service.adopt_policy_file(datetime.now(UTC))
    return service, database


class Service:
    def __init__(
        self, settings: Settings, store: Store, policies: PolicySet, analyser: MessageAnalyser | None
    ) -> None:
        """`analyser`: None analyses with the configured phrase files alone (no sentiment model)."""
        self.settings = settings
        self.store = store
        self.context = StoreContext(store, settings.serving.context_cache_mb)
        analyser = analyser or load_analyser(settings, sentiment=False)
        self.model_loads = ModelLoads(settings)
        self.policy_loads = PolicyLoads(settings)
        self._adopted = ""  # the policy version whose open tickets adopt_policy_file last made due
        self.scorers = Scorers(policies, analyser, self.model_loads.first())
        self._reload_lock = threading.Lock()
        self.alert_budget = alert_budget(settings.serving)
        self.isolation = Isolation(settings.sweeper.retry_base_s, settings.sweeper.retry_max_s)
        self._pages: PageCache[EarlyWarningPage] = PageCache(
            settings.serving.early_warning_cache_s, time.monotonic
        )
        hours = settings.serving.kept_analyses_hours
        # /v1/score's message analyses, for every process and instance (serving/store/kept_analyses.py)
        self.kept = KeptAnalyses(store.db, timedelta(hours=hours)) if hours > 0 else None

    def adopt_policy_file(self, now: datetime) -> int:
        """At start-up and after a reload: the open tickets last assessed under another policy file are due
        at `now`, so the sweeper's next pass assesses them under this one (a level added, a target shortened
        into a breach fire then, not at the old file's next due instant); answers how many."""
        version = self.scorers.policies.version
        moved = due_under_new_policy_file(self.store.db, version, now)
        self._adopted = version
        if moved:
            log.info("policy file %s: %d open tickets assessed under another file are due now",
                     self.scorers.policies.version, moved)
        return moved

    def close(self) -> None:
        """Write what waits to be written (the kept analyses); the store stays open for its owner."""
        if self.kept is not None:
            self.kept.close()

    def caches(self) -> dict[str, Lru[Any, Any]]:
        """This process's in-memory caches by name (each bounded by its estimated bytes), for /metrics."""
        found: dict[str, Lru[Any, Any]] = {"tickets": self.store.tickets.lru, **self.context.caches()}
        cache = self.scorers.analyser.cache
        if cache is not None:
            found["message_analyses"] = cache.lru
        return found

    # --- writes ------------------------------------------------------------------------------
    def ingest(
        self, ticket_id: str, ticket: Ticket | None, events: Sequence[Event], now: datetime | None = None
    ) -> Ingested:
        """Assess the ticket as it will be with the events (as of its latest event), then store the events
        and record the assessment in one transaction, firing due actions and raising alerts: both commit or
        neither does, so a request that fails stores nothing and no ticket is left with events it could not
        assess. Returns the assessment. `now`: when they are received (the clock by default; a replay's)."""
        self._check_limits(events)
        now = now or datetime.now(UTC)
        self._check_not_ahead(ticket, events, now)
        scorers = self.scorers  # one model for the whole request, even if a reload lands meanwhile

        def recording_of(view: StoredTicket) -> Recording:
            at = max([view.ticket.created_at, *(e.at for e in view.events)])
            result = assess(view.ticket, view.events, at, scorers=scorers,
                            context=self.context.for_ticket(view.ticket, view.events, at), texts=view.texts)
            return self._recording(result, view, assessment_basis(view.events, result.body))

        try:
            for _ in range(INGEST_TRIES - 1):  # optimistic: assess unlocked, write if nobody wrote meanwhile
                with self.store.reading():  # the view and the features' reads: one connection
                    view = self.store.view_with(ticket_id, ticket, events)
                    recording = recording_of(view)
                try:
                    appended, recorded = self.store.append_and_record(
                        ticket_id, ticket, events, recording, now, expect_events=len(view.events)
                    )
                    break
                except StaleView:  # another request stored events of this ticket meanwhile: assess them too
                    continue
            else:  # others keep writing to this ticket: assess under its write lock, which always succeeds
                appended, recorded = self.store.append_and_record_locked(
                    ticket_id, ticket, events, now, recording_of
                )
        except EscalationError:
            raise
        except Exception as exc:  # ours, not the client's: counted and logged with the ticket's id
            if not store_down(exc):  # the database away is a 503, not the ticket's failure
                self.isolation.failed(ticket_id, "ingest", exc)
            raise
        log.info(
            "ticket %s: %d new event(s), %d duplicate(s), band %s",
            ticket_id,
            len(appended.stored),
            len(appended.duplicates),
            recorded.body.band,
        )
        # the assessment's fields are validated values already: assembled, not validated a second time
        return Ingested.model_construct(
            **dict(recorded.body),
            assessment_id=recorded.assessment_id,
            stored_events=list(appended.stored),
            duplicate_events=list(appended.duplicates),
            alerts_raised=list(recorded.alerts),
            alerts_suppressed=list(recorded.suppressed),
            alerts_displaced=list(recorded.displaced),
            actions_fired=list(recorded.new_actions),
        )

    def ingest_webhook(self, mapped: Mapped) -> Ingested:
        """`ingest` of a helpdesk's webhook: its events, plus, for a helpdesk that sends the ticket as it is
        now (Zammad), a change event for each of status, priority, team and assignee that differs from the
        stored ticket (a webhook sent again finds nothing changed).

        The helpdesk names its events: an event id this ticket already holds is that event sent again, and
        the stored one stands. Mapped again by a later release (a body's text normalised differently), it
        would otherwise differ from what is stored and be refused (409) — and the helpdesk retries a refused
        webhook, or gives up on it, while the event was stored long ago."""
        stored = self.store.current_state(mapped.ticket_id)
        previous = None if stored is None else TicketState(
            TicketStatus(str(stored["status"])), Priority(str(stored["priority"])), stored["team"] or "",
            stored["assignee"],
        )
        events = mapped.with_changes_since(previous)
        if stored is not None:
            held = self.store.stored_events(mapped.ticket_id, [e.event_id for e in events])
            events = [held.get(e.event_id, e) for e in events]
        return self.ingest(mapped.ticket_id, mapped.ticket, events)

    def reassess(self, ticket_id: str, now: datetime) -> Recorded | None:
        """Assess a stored ticket at `now` (no new event: a sweep) and record it, with the same `assess`
        and recording as `ingest`; when a request stores events of the ticket between the read and the write,
        nothing is written and the ticket is read and assessed again (None after INGEST_TRIES such races).
        A failure of ours isolates the ticket (logged, counted, retried later with backoff) and answers None;
        the sweeper goes on with the other tickets."""
        try:
            for _ in range(INGEST_TRIES):
                with self.store.reading():
                    stored = self.store.load(ticket_id)
                    result = assess(stored.ticket, stored.events, now, scorers=self.scorers,
                                    context=self.context.for_ticket(stored.ticket, stored.events, now),
                                    texts=stored.texts)
                # a sweep at another instant assesses the same events anew: the instant is part of its basis
                seed = f"{assessment_basis(stored.events, result.body)}|sweep|{now.isoformat()}"
                recording = self._recording(result, stored, hashlib.sha256(seed.encode()).hexdigest())
                try:  # written only if the ticket still holds the events assessed: no action on a stale view
                    recorded = self.store.record(ticket_id, recording, now, expect_events=len(stored.events))
                    break
                except StaleView:  # a request stored events of this ticket meanwhile: assess them too
                    continue
            else:  # requests keep adding events: each recorded its own assessment; the ticket stays due
                return None
        except NotFoundError:
            raise
        except Exception as exc:  # one ticket's failure must not stop the others' reminders and escalations
            if store_down(exc):  # the database away fails the pass (retried); the ticket stays due
                raise
            self.isolation.failed(ticket_id, "sweep", exc)
            self.store.defer(ticket_id, self.isolation.retry_at(ticket_id, now))
            return None
        self.isolation.recovered(ticket_id)
        return recorded

    def _recording(self, result: Assessment, stored: StoredTicket, basis: str) -> Recording:
        return Recording(
            result.body,
            basis,
            events_seen=len(stored.events),
            state=result.body.state.model_dump(mode="json"),
            cooldown=timedelta(minutes=self.settings.serving.alert_cooldown_minutes),
            actions=result.body.sla.actions_due,
            # a band recorded while the ticket was done is no band it was worked at: a reopen starts anew
            alerts=alert_candidates(result, stored.band if stored.status in OPEN_STATUSES else None),
            # stored with the assessment, in its transaction: an analysis is made once, when it arrives
            analyses=result.new_texts,
            sentiment_version=self.scorers.analyser.version,
            budget=self.alert_budget,
            writeback=writeback_payload(result.body, Band(stored.band) if stored.band else None,
                                        self.settings.writeback, self.settings.dashboard.language),
        )

    def score(self, ticket: Ticket, events: Sequence[Event], at: datetime | None) -> TicketAssessment:
        """Stateless: nothing is stored. Customer history and assignee load still come from the store. An
        event sent twice counts once, as the store keeps it (one id with two contents is a 409)."""
        self._check_limits(events)
        events = distinct_events(events)
        now = at or max([ticket.created_at, *(e.at for e in events)])
        try:
            with self.store.reading():  # the features' reads: one connection
                context = self.context.for_ticket(ticket, events, now)
                return assess(
                    ticket, events, now, scorers=self.scorers, context=context, shared=self.kept
                ).body
        except EscalationError:
            raise
        except Exception as exc:  # ours, not the client's: counted and logged with the ticket's id
            if not store_down(exc):  # the database away is a 503, not the ticket's failure
                self.isolation.failed(ticket.ticket_id, "score", exc)
            raise

    def feedback(
        self,
        ticket_id: str,
        alert_id: int | None,
        assessment_id: int | None,
        verdict: str,
        comment: str | None,
        who: str,
    ) -> int:
        return self.store.add_feedback(
            ticket_id, alert_id, assessment_id, verdict, comment, who, datetime.now(UTC)
        )

    def root_cause(
        self, ticket_id: str, cause: str, owning_team: str, note: str | None, who: str
    ) -> RootCause:
        allowed = self.settings.serving.root_causes
        if cause not in allowed:
            raise InputError(f"cause: {cause!r} is not a configured root cause; one of {', '.join(allowed)}")
        if not owning_team.strip():
            raise InputError(f"owning_team: {owning_team!r} is blank; name the team that owns the fix")
        record = RootCause(ticket_id, cause, owning_team.strip(), note, who, datetime.now(UTC))
        return record_root_cause(self.store.db, record)

    def snooze(self, ticket_id: str, until: datetime, who: str, now: datetime | None = None) -> Snooze:
        """Set the ticket's warning aside until `until` (ahead of now, at most MAX_SNOOZE ahead)."""
        now = now or datetime.now(UTC)
        if until.tzinfo is None:
            raise InputError(f"until: {until.isoformat()} has no time zone; give one, e.g. "
                             f"{now:%Y-%m-%dT%H:%M}Z")
        if until <= now:
            raise InputError(f"until: {until.isoformat()} is not ahead of now ({now:%Y-%m-%dT%H:%MZ}); "
                             "give a later time")
        if until > now + MAX_SNOOZE:
            raise InputError(f"until: {until.isoformat()} is more than {MAX_SNOOZE.days} days ahead; "
                             f"give {(now + MAX_SNOOZE):%Y-%m-%dT%H:%MZ} or sooner")
        snoozed = self.store.snooze(ticket_id, until.astimezone(UTC), who, now)
        self._pages.clear()  # the manager sees the ticket leave the top at once
        return snoozed

    def unsnooze(self, ticket_id: str, who: str, now: datetime | None = None) -> bool:
        """End the ticket's snooze now (kept in its history as un-snoozed by `who`); False when none held."""
        cleared = self.store.unsnooze(ticket_id, who, now or datetime.now(UTC))
        self._pages.clear()
        return cleared

    def snooze_history(
        self, ticket_id: str, now: datetime | None = None, limit: int | None = None, offset: int = 0
    ) -> tuple[list[PastSnooze], Page]:
        """A page of the snoozes of the ticket's warning, latest first, with how each ended: the `limit`
        latest (serving.max_page_size when None) after skipping the `offset` latest; and which page it is."""
        window = Window(page_size("limit", limit, self.settings.serving.max_page_size), offset)
        history = self.store.snooze_history(ticket_id, now or datetime.now(UTC), window)
        return history, window.page(snooze_count(self.store.db, ticket_id))

    def reload_all(self, now: datetime) -> ReloadOut:
        """POST /v1/admin/reload: the policy file (read and checked as at start-up) and the model, loaded
        again and swapped in together; then the open tickets last assessed under another policy file are due
        at `now` (adopt_policy_file). A policy file with problems raises PolicyLoadError naming each at its
        line before the model is touched; a model that cannot be loaded raises ModelLoadError: either way
        the policies and the model in force stay."""
        served = self.scorers.policies.version
        policies = self.policy_loads.load("reload", served)
        old_model, new_model = self.reload(policies=policies)
        moved = self.adopt_policy_file(now)
        return ReloadOut(previous_model_version=old_model, model_version=new_model,
                         previous_policy_version=served, policy_version=policies.version,
                         tickets_due_now=moved)

    def check_policy_file(self, now: datetime) -> bool:
        """`escalation sweep`'s look at the policy file before each pass: when its content has changed since
        it was read, read it again with start-up's checks and swap the policies in (the model stays), then
        make the open tickets last assessed under another file due at `now` (adopt_policy_file), as POST
        /v1/admin/reload does in the API. A file with problems is logged and counted once per edit, and the
        policies in force stay. Answers whether other policies were swapped in."""
        swapped = False
        if self.policy_loads.changed():
            served = self.scorers.policies.version
            try:
                policies: PolicySet | None = self.policy_loads.load("check", served)
            except PolicyLoadError:  # logged and counted; the policies in force stay
                policies = None
            if policies is not None and policies.version != served:  # not comments or layout only
                with self._reload_lock:
                    current = self.scorers
                    self.scorers = Scorers(policies, current.analyser, current.model)
                log.info("policy file %s -> %s (check)", served, policies.version)
                swapped = True
        if self._adopted != self.scorers.policies.version:  # the store was away when it was swapped in
            self.adopt_policy_file(now)
        return swapped

    def reload(self, stage: str = "reload", wanted: str | None = None,
               policies: PolicySet | None = None) -> tuple[str | None, str | None]:
        """Load the configured model again and swap it in with one assignment (with `policies`, if given):
        requests in flight finish with the model they started with. A load that fails leaves the model being
        served in place (logged and counted, serving/model_loads.py) and raises ModelLoadError saying why.
        Answers the model versions before and after."""
        with self._reload_lock:  # two reloads at once would load twice for nothing
            old = self.model_version()
            loaded = self.model_loads.load(stage, old, wanted)
            self.scorers = Scorers(policies or self.scorers.policies, self.scorers.analyser, loaded)
            self.model_loads.swapped(stage, old, loaded.version if loaded else None)
        return old, loaded.version if loaded else None

    def check_model(self) -> bool:
        """The periodic check (settings.serving.model_check_s): reload when the registry's alias has moved
        since the served model was loaded. Returns whether a new model was swapped in."""
        due, wanted = self.model_loads.due(self.model_version())
        if not due:
            return False
        try:
            self.reload("check", wanted)
        except ModelLoadError:  # logged and counted; the served model stays
            return False
        return True

    def model_version(self) -> str | None:
        model = self.scorers.model
        return model.version if model else None

    # --- reads -------------------------------------------------------------------------------
    def ticket_history(
        self,
        ticket_id: str,
        now: datetime | None = None,
        limit: int | None = None,
        offset: int = 0,
        events_limit: int | None = None,
        events_offset: int = 0,
        *,
        alerts_limit: int | None = None,
        alerts_offset: int = 0,
        root_causes_limit: int | None = None,
        root_causes_offset: int = 0,
        snoozes_limit: int | None = None,
        snoozes_offset: int = 0,
    ) -> TicketHistory:
        """The ticket's history with a page of its assessments, one of its events, of its alerts, of its root
        causes and of its snooze history, each the `limit` (`events_limit`, `alerts_limit`, …) latest —
        serving.max_page_size when None — after skipping the `offset` (`events_offset`, …) latest; its snooze
        as in force at `now` (the app's clock, as the list reads it)."""
        most = self.settings.serving.max_page_size
        assessments = Window(page_size("limit", limit, most), offset)
        events = Window(page_size("events_limit", events_limit, most), events_offset)
        alerts = Window(page_size("alerts_limit", alerts_limit, most), alerts_offset)
        causes = Window(page_size("root_causes_limit", root_causes_limit, most), root_causes_offset)
        snoozes = Window(page_size("snoozes_limit", snoozes_limit, most), snoozes_offset)
        stored = self.store.history(ticket_id, assessments, events, alerts)
        now = now or datetime.now(UTC)
        return TicketHistory(
            ticket=stored.ticket,
            current=stored.current,
            events=[HistoryEvent(e, stored.texts.get(e.event_id)) for e in stored.events],
            assessments=stored.assessments,
            assessments_page=assessments.page(stored.assessments_total),
            events_page=events.page(stored.events_total),
            status_before=stored.status_before,
            newest=stored.latest,
            alerts=stored.alerts,
            alerts_page=alerts.page(stored.alerts_total),
            escalated=is_escalated(self.store.db, ticket_id),
            root_causes=root_causes_of(self.store.db, ticket_id, causes),
            root_causes_page=causes.page(stored.root_causes_total),
            snooze=self.store.snooze_of(ticket_id, now),
            snooze_history=self.store.snooze_history(ticket_id, now, snoozes),
            snooze_history_page=snoozes.page(stored.snoozes_total),
        )

    def early_warning(self, query: OpenTicketsQuery) -> EarlyWarningPage:
        """A page of the list, at most `serving.early_warning_cache_s` old (serving/page_cache.py)."""
        # the instant is not part of the key: a page computed up to early_warning_cache_s ago serves later
        # requests of the same filters and page
        return self._pages.get(replace(query, now=None), lambda: self._early_warning(query))

    def _early_warning(self, query: OpenTicketsQuery) -> EarlyWarningPage:
        listed = self.store.early_warning(query)
        return EarlyWarningPage(
            total=listed.total,
            snoozed=listed.snoozed,
            limit=query.limit,
            offset=query.offset,
            items=[early_warning_item(t, query) for t in listed.items],
        )

    def status(self) -> dict[str, Any]:
        s = self.scorers
        return {
            "store": self.store.db.ping(),
            "model_version": s.model.version if s.model else None,
            "rules_only": s.model is None,
            "policy_version": s.policies.version,
            "sentiment_version": s.sentiment.version if s.sentiment else None,
            "sentiment_reference": None if s.sentiment is None or s.sentiment.reference is None else {
                "agrees": s.sentiment.reference.agrees,
                "worst_cosine": round(s.sentiment.reference.worst_cosine, 6),
            },
        }

    def _check_not_ahead(self, ticket: Ticket | None, events: Sequence[Event], now: datetime) -> None:
        """A stored instant far ahead of `now` would hold the ticket there for good: it is assessed as of its
        latest instant, so every target would read as breached and its escalations fire at once."""
        ahead = timedelta(minutes=self.settings.serving.max_ahead_minutes)
        stamped = [] if ticket is None else [("ticket.created_at", ticket.created_at)]
        stamped += [(f"events[{i}].at", e.at) for i, e in enumerate(events)]
        for name, at in stamped:
            if at > now + ahead:
                raise InputError(
                    f"{name}: {at.isoformat()} is {span((at - now).total_seconds())} ahead of the server's "
                    f"clock ({now:%Y-%m-%dT%H:%M:%SZ}); at most {self.settings.serving.max_ahead_minutes:g} "
                    "minutes ahead are accepted — check the sender's clock and time zone"
                )

    def _check_limits(self, events: Sequence[Event]) -> None:
        limits = self.settings.serving
        if len(events) > limits.max_events:
            raise InputError(
                f"events: {len(events)} events in one request; at most {limits.max_events} "
                "are accepted — split the batch"
            )
        for i, e in enumerate(events):
            if e.body is not None and len(e.body) > limits.max_text_chars:
                raise InputError(
                    f"events[{i}].body: {len(e.body)} characters; at most {limits.max_text_chars} "
                    "are accepted — shorten the text"
                )

