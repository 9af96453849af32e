"""GET /metrics: the Prometheus text format. Open by default (scrapers rarely carry keys); with
`metrics.require_key` a manager (or admin) key is needed; with `metrics.enabled = false` there is no route."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Request, Security
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from core.lru import Lru
from core.settings import Settings
from serving.auth import authorise
from serving.deps import API_KEY
from serving.isolation import Isolation
from serving.metrics import Metrics, RequestTimer
from serving.model_loads import ModelLoads
from serving.policy_loads import PolicyLoads
from serving.store.database import Database
from serving.store.kept_analyses import KeptAnalyses
from serving.sweeper.stats import SweepStats

router = APIRouter(tags=["system"])


def install_metrics(app: FastAPI, settings: Settings) -> None:
    """The registry, the request timer and the route, when metrics are enabled."""
    if not settings.metrics.enabled:
        return

    def database() -> Database | None:
        service = app.state.service
        return service.store.db if service is not None else None

    def isolation() -> Isolation | None:
        service = app.state.service
        return service.isolation if service is not None else None

    def model() -> tuple[ModelLoads, str | None] | None:
        service = app.state.service
        return (service.model_loads, service.model_version()) if service is not None else None

    def kept() -> KeptAnalyses | None:
        service = app.state.service
        return service.kept if service is not None else None

    def caches() -> dict[str, Lru[Any, Any]] | None:
        service = app.state.service
        return service.caches() if service is not None else None

    def policies() -> PolicyLoads | None:
        service = app.state.service
        return service.policy_loads if service is not None else None

    def sweeps() -> SweepStats | None:
        background = app.state.background
        return background.sweeps() if background is not None else None

    app.state.metrics = Metrics(database, settings.metrics.cache_s, isolation, model, kept, caches, policies,
                                sweeps, shared=settings.metrics.shared_dir)
    app.state.metrics_require_key = settings.metrics.require_key
    app.add_middleware(RequestTimer, metrics=app.state.metrics)
    app.include_router(router)


@router.get("/metrics", response_class=Response)
async def metrics(request: Request, x_api_key: Annotated[str | None, Security(API_KEY)] = None) -> Response:
    """Request latency per route, assessments by band, escalations fired by level and type, deliveries by
    outcome, the model served and its failed loads (docs/api.md)."""
    if request.app.state.metrics_require_key:
        authorise(request.app.state.keyring.caller(x_api_key), ("manager",))
    registry: Metrics = request.app.state.metrics
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
