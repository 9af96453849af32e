"""The figures a server process keeps in memory: its failed assessments, the model and policies it serves,
its kept analyses, its caches and its sweeper. One process's own; with several server processes
(`escalation serve --workers N`) serving/metrics/shared.py adds them up across them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.registry import Collector

from core.lru import Lru
from serving.isolation import Isolation
from serving.model_loads import STAGES, ModelLoads
from serving.policy_loads import STAGES as POLICY_STAGES
from serving.policy_loads import PolicyLoads
from serving.store.kept_analyses import KeptAnalyses
from serving.sweeper.stats import PASS_OUTCOMES, TICKET_OUTCOMES, SweepStats


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
            "escalation_model_info", "The escalation model served, by version: the processes serving it",
            labels=["version"],
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
