"""Prometheus metrics (GET /metrics). Request latency is measured in this process (a histogram per route
template, so `/v1/tickets/{ticket_id}/events` is one series, not one per ticket). Assessments by band,
escalations fired, deliveries by outcome and write-backs by helpdesk are read from the store at scrape time
(cached for `metrics.cache_s`): they count what every instance and the `escalation sweep` process did, and
survive restarts. Aggregate those across instances with max(), not sum()."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.lru import Lru
from helpdesks.writeback import HELPDESKS
from serving.isolation import Isolation
from serving.model_loads import STAGES, ModelLoads
from serving.outbox.writeback import sink_name
from serving.policy_loads import STAGES as POLICY_STAGES
from serving.policy_loads import PolicyLoads
from serving.store.database import Database, store_down
from serving.store.kept_analyses import KeptAnalyses
from serving.store.repository import WRITEBACK
from serving.store.tables import ActionRow, AssessmentRow, DeliveryRow
from serving.sweeper.stats import PASS_OUTCOMES, TICKET_OUTCOMES, SweepStats

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)


class Metrics:
    """One registry per app (tests build several apps in one process)."""

    def __init__(
        self,
        database: Callable[[], Database | None],
        cache_s: float,
        isolation: Callable[[], Isolation | None] = lambda: None,
        model: Callable[[], tuple[ModelLoads, str | None] | None] = lambda: None,
        kept: Callable[[], KeptAnalyses | None] = lambda: None,
        caches: Callable[[], Mapping[str, Lru[Any, Any]] | None] = lambda: None,
        policies: Callable[[], PolicyLoads | None] = lambda: None,
        sweeps: Callable[[], SweepStats | None] = lambda: None,
    ) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "escalation_http_request_duration_seconds",
            "Request latency by route template",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(StoreCollector(database, cache_s))
        self.registry.register(IsolationCollector(isolation))
        self.registry.register(ModelCollector(model))
        self.registry.register(KeptCollector(kept))
        self.registry.register(CacheCollector(caches))
        self.registry.register(PolicyCollector(policies))
        self.registry.register(SweepCollector(sweeps))


class RequestTimer:
    """ASGI middleware: observes each HTTP request's duration under its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"  # unknown paths: one series, not one each
            self.metrics.latency.labels(scope["method"], template, str(status)).observe(
                time.perf_counter() - started
            )


class IsolationCollector(Collector):
    """This process's failed assessments (by stage) and the tickets isolated now (serving/isolation.py)."""

    def __init__(self, isolation: Callable[[], Isolation | None]) -> None:
        self._isolation = isolation

    def collect(self) -> Iterator[Metric]:
        isolation = self._isolation()
        if isolation is None:  # starting up
            return
        failed = CounterMetricFamily(
            "escalation_assessment_failures",
            "Assessments that failed for a reason of ours, by stage (ingest, score, sweep)",
            labels=["stage"],
        )
        for stage in ("ingest", "score", "sweep"):
            failed.add_metric([stage], isolation.failed_total[stage])
        isolated = GaugeMetricFamily(
            "escalation_tickets_isolated", "Tickets whose latest sweep failed, waiting for their retry"
        )
        isolated.add_metric([], isolation.isolated())
        yield from (failed, isolated)


class CacheCollector(Collector):
    """This process's in-memory caches (each bounded by its estimated bytes): what they hold against their
    budget, their lookups by outcome and the entries dropped for room. A cache at its budget with few
    evictions and a high hit share is sized right; one evicting much with a low hit share is too small for
    the traffic (the settings: docs/api.md, "GET /metrics"). Per process, as the latency."""

    def __init__(self, caches: Callable[[], Mapping[str, Lru[Any, Any]] | None]) -> None:
        self._caches = caches

    def collect(self) -> Iterator[Metric]:
        caches = self._caches()
        if caches is None:  # starting up
            return
        held = GaugeMetricFamily(
            "escalation_cache_bytes", "Estimated bytes a cache holds in this process", labels=["cache"]
        )
        budget = GaugeMetricFamily(
            "escalation_cache_budget_bytes", "The bytes a cache may hold in this process", labels=["cache"]
        )
        entries = GaugeMetricFamily("escalation_cache_entries", "Entries a cache holds", labels=["cache"])
        lookups = CounterMetricFamily(
            "escalation_cache_lookups", "A cache's lookups by outcome (hit, miss)",
            labels=["cache", "outcome"],
        )
        evictions = CounterMetricFamily(
            "escalation_cache_evictions", "Entries a cache dropped to stay within its budget",
            labels=["cache"],
        )
        for name, lru in sorted(caches.items()):
            held.add_metric([name], lru.bytes)
            budget.add_metric([name], lru.max_bytes)
            entries.add_metric([name], len(lru))
            lookups.add_metric([name, "hit"], lru.hits)
            lookups.add_metric([name, "miss"], lru.misses)
            evictions.add_metric([name], lru.evictions)
        yield from (held, budget, entries, lookups, evictions)


class KeptCollector(Collector):
    """This process's use of /v1/score's kept analyses (serving/store/kept_analyses.py)."""

    def __init__(self, kept: Callable[[], KeptAnalyses | None]) -> None:
        self._kept = kept

    def collect(self) -> Iterator[Metric]:
        kept = self._kept()
        if kept is None:  # starting up, or none kept
            return
        counts = kept.counts
        analyses = CounterMetricFamily(
            "escalation_kept_analyses",
            "/v1/score's message analyses in the store, by outcome: recalled (the encoder spared), missed "
            "(encoded), written, dropped (not written: the queue full or the store failing)",
            labels=["outcome"],
        )
        for outcome in ("recalled", "missed", "written", "dropped"):
            analyses.add_metric([outcome], getattr(counts, outcome))
        failures = CounterMetricFamily(
            "escalation_kept_analyses_failures", "Reads and writes of the kept analyses that failed"
        )
        failures.add_metric([], counts.failures)
        yield from (analyses, failures)


class ModelCollector(Collector):
    """The model this process serves and its loads since start-up (serving/model_loads.py)."""

    def __init__(self, model: Callable[[], tuple[ModelLoads, str | None] | None]) -> None:
        self._model = model  # (the loads, the served version); None while starting

    def collect(self) -> Iterator[Metric]:
        found = self._model()
        if found is None:
            return
        loads, version = found
        info = GaugeMetricFamily(
            "escalation_model_info", "The escalation model served (1), by version", labels=["version"]
        )
        info.add_metric([version or "none"], 1)
        failed = CounterMetricFamily(
            "escalation_model_load_failures",
            "Model loads that failed, the served model kept, by stage (startup, reload, check)",
            labels=["stage"],
        )
        for stage in STAGES:
            failed.add_metric([stage], loads.failures_total[stage])
        swaps = CounterMetricFamily("escalation_model_swaps", "New models swapped in without a restart")
        swaps.add_metric([], loads.swaps_total)
        failing = GaugeMetricFamily(
            "escalation_model_load_failing",
            "1 while the latest load failed: the model served is not the one configured (see the logs)",
        )
        failing.add_metric([], int(loads.failing()))
        yield from (info, failed, swaps, failing)


class PolicyCollector(Collector):
    """This process's reads of the policy file since start-up that were refused (serving/policy_loads.py)."""

    def __init__(self, policies: Callable[[], PolicyLoads | None]) -> None:
        self._policies = policies  # None while starting

    def collect(self) -> Iterator[Metric]:
        loads = self._policies()
        if loads is None:
            return
        failed = CounterMetricFamily(
            "escalation_policy_load_failures",
            "Policy files refused for their problems, the policies in force kept, by stage (reload: POST "
            "/v1/admin/reload; check: `escalation sweep`'s look before a pass)",
            labels=["stage"],
        )
        for stage in POLICY_STAGES:
            failed.add_metric([stage], loads.failures_total[stage])
        failing = GaugeMetricFamily(
            "escalation_policy_load_failing",
            "1 while the latest read of the policy file was refused: the policies in force are not its",
        )
        failing.add_metric([], int(loads.failing))
        yield from (failed, failing)


class SweepCollector(Collector):
    """This process's SLA sweeper since start-up (serving/sweeper/stats.py): on the API's GET /metrics while
    its sweeper runs there, and on `escalation sweep`'s own endpoint (serving/sweeper/endpoint.py)."""

    def __init__(self, sweeps: Callable[[], SweepStats | None]) -> None:
        self._sweeps = sweeps  # None: no sweeper runs in this process

    def collect(self) -> Iterator[Metric]:
        stats = self._sweeps()
        if stats is None:
            return
        passes = CounterMetricFamily(
            "escalation_sweep_passes",
            "Sweeper passes by outcome: completed, store_down (the store did not answer), failed (another "
            "error; see the logs). The loop retries a pass that did not complete",
            labels=["outcome"],
        )
        for outcome in PASS_OUTCOMES:
            passes.add_metric([outcome], stats.passes[outcome])
        tickets = CounterMetricFamily(
            "escalation_sweep_tickets",
            "Due tickets the sweeper re-assessed, by outcome (failed: isolated, retried later)",
            labels=["outcome"],
        )
        for outcome in TICKET_OUTCOMES:
            tickets.add_metric([outcome], stats.tickets[outcome])
        fired = CounterMetricFamily(
            "escalation_sweep_actions_fired", "SLA reminders and escalations this process's sweeps fired"
        )
        fired.add_metric([], stats.actions_fired)
        alerts = CounterMetricFamily("escalation_sweep_alerts_raised", "Alerts this process's sweeps raised")
        alerts.add_metric([], stats.alerts_raised)
        duration = SummaryMetricFamily(
            "escalation_sweep_duration_seconds", "Seconds the sweeper's passes took, whatever their outcome",
            count_value=sum(stats.passes.values()), sum_value=stats.duration_s,
        )
        yield from (passes, tickets, fired, alerts, duration)
        if stats.last_completed_at is not None:
            last = GaugeMetricFamily(
                "escalation_sweep_last_completed_timestamp_seconds",
                "When the sweeper's last completed pass ended (Unix time); alert on time() minus this",
            )
            last.add_metric([], stats.last_completed_at)
            yield last


class StoreCollector(Collector):
    def __init__(
        self,
        database: Callable[[], Database | None],
        cache_s: float,
        isolation: Callable[[], Isolation | None] = lambda: None,
    ) -> None:
        self._database = database
        self._cache_s = cache_s
        self._lock = threading.Lock()
        self._cached: tuple[float, dict[str, Sequence[Any]]] | None = None

    def collect(self) -> Iterator[Metric]:
        try:
            counts = self._counts()
        except Exception as exc:
            if not store_down(exc):
                raise
            # the database away: the scrape still carries this process's own figures (its 503s among them),
            # and says the store is down, instead of failing as a whole
            counts, up = None, 0
        else:
            up = 1
        if self._database() is None:  # starting up
            return
        store_up = GaugeMetricFamily("escalation_store_up", "1 while the store answered this scrape, else 0")
        store_up.add_metric([], up)
        yield store_up
        if counts is None:
            return
        bands = CounterMetricFamily(
            "escalation_assessments", "Assessments recorded, by risk band", labels=["band"]
        )
        for band, n in counts["bands"]:
            bands.add_metric([band], n)
        fired = CounterMetricFamily(
            "escalation_escalations_fired", "Escalations fired, by level and type", labels=["level", "type"]
        )
        for level, kind, n in counts["escalations"]:
            fired.add_metric([str(level), kind or "none"], n)
        actions = CounterMetricFamily(
            "escalation_actions_fired", "SLA actions fired, by kind", labels=["kind"]
        )
        for kind, n in counts["actions"]:
            actions.add_metric([kind], n)
        deliveries = GaugeMetricFamily(
            "escalation_deliveries", "Outbox deliveries by outcome (status)", labels=["outcome"]
        )
        for status, n in counts["deliveries"]:
            deliveries.add_metric([status], n)
        writebacks = CounterMetricFamily(
            "escalation_writebacks",
            "Write-backs to helpdesks, by helpdesk and outcome: sent (delivered), failed (given up), "
            "rate_limited (answers 429 Too Many Requests)",
            labels=["helpdesk", "outcome"],
        )
        for helpdesk, outcome, n in counts["writebacks"]:
            writebacks.add_metric([helpdesk, outcome], n)
        yield from (bands, fired, actions, deliveries, writebacks)

    def _counts(self) -> dict[str, Sequence[Any]] | None:
        database = self._database()
        if database is None:  # starting up
            return None
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < self._cache_s:
                return self._cached[1]
            with database.session() as s:
                counts = {
                    "bands": s.execute(
                        select(AssessmentRow.band, func.count()).group_by(AssessmentRow.band)
                    ).all(),
                    "escalations": s.execute(
                        select(ActionRow.level, ActionRow.escalation_type, func.count())
                        .where(ActionRow.kind == "escalate")
                        .group_by(ActionRow.level, ActionRow.escalation_type)
                    ).all(),
                    "actions": s.execute(select(ActionRow.kind, func.count()).group_by(ActionRow.kind)).all(),
                    "deliveries": s.execute(
                        select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)
                    ).all(),
                    "writebacks": [row for h in HELPDESKS for row in _writebacks(s, h)],
                }
            self._cached = (now, counts)
            return counts


def _writebacks(s: Session, helpdesk: str) -> list[tuple[str, str, int]]:
    """One helpdesk's write-backs sent and failed (deliveries settled so), and the 429s its sink was answered
    (counted on each row by the outbox worker)."""
    limited = DeliveryRow.sinks[(sink_name(helpdesk), "rate_limited")].as_integer()
    rows = s.execute(
        select(DeliveryRow.status, func.count(), func.coalesce(func.sum(limited), 0))
        .where(DeliveryRow.kind == WRITEBACK, DeliveryRow.ticket_id.startswith(f"{helpdesk}-"))
        .group_by(DeliveryRow.status)
    ).all()
    by_status = {status: (int(n), int(r)) for status, n, r in rows}
    return [
        (helpdesk, "sent", by_status.get("delivered", (0, 0))[0]),
        (helpdesk, "failed", by_status.get("failed", (0, 0))[0]),
        (helpdesk, "rate_limited", sum(r for _, r in by_status.values())),
    ]
