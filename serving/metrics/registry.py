"""One registry per app: the request latency, the store's figures and the process's own (tests build several
apps in one process, each with its own). With `shared` (the folder of one `escalation serve`'s server
processes) the registry reports every process of the server (serving/metrics/shared.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.lru import Lru
from serving.isolation import Isolation
from serving.metrics.process import (
    CacheCollector,
    IsolationCollector,
    KeptCollector,
    ModelCollector,
    PolicyCollector,
    SweepCollector,
)
from serving.metrics.shared import ProcessFigures
from serving.metrics.store import StoreCollector
from serving.model_loads import ModelLoads
from serving.policy_loads import PolicyLoads
from serving.store.database import Database
from serving.store.kept_analyses import KeptAnalyses
from serving.sweeper.stats import SweepStats

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)


class Metrics:
    """The registry GET /metrics writes out. `shared`: the folder the server processes of one `escalation
    serve` share (settings.metrics.shared_dir, set by the command for its workers, with prometheus_client's
    PROMETHEUS_MULTIPROC_DIR): the latency then goes to this process's file there, and a scrape adds up every
    process's; this process's own figures are published there and added up with the others' too."""

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
        shared: Path | None = None,
    ) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "escalation_http_request_duration_seconds",
            "Request latency by route template",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry if shared is None else None,  # shared: written to its file, read by all
        )
        self.registry.register(StoreCollector(database, cache_s))  # the store's: whole whoever reads it
        own = [IsolationCollector(isolation), ModelCollector(model), KeptCollector(kept),
               CacheCollector(caches), PolicyCollector(policies), SweepCollector(sweeps)]
        self.shared: ProcessFigures | None = None
        if shared is None:
            for collector in own:
                self.registry.register(collector)
            return
        MultiProcessCollector(self.registry, path=str(shared))  # every process's latency (registers itself)
        self.shared = ProcessFigures(shared, own)
        self.registry.register(self.shared)
        self.shared.start()

    def close(self) -> None:
        """Stop publishing this process's figures (several server processes only)."""
        if self.shared is not None:
            self.shared.stop()


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
