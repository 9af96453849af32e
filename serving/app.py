"""`create_app`: the FastAPI application. The lifespan migrates the store and loads the models once;
errors of the one family are mapped to HTTP here, once, with the body `{"error": …, "detail": …}`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from core.errors import ConfigError, EscalationError
from core.logs import exception_name
from core.settings import Settings, get_settings
from serving.api_docs import install_docs
from serving.assess.models import served_from
from serving.auth import KeyBeforeBody, KeyRing
from serving.collector import settle_after_start_up
from serving.dashboard import routes as dashboard
from serving.dashboard.session import SessionSigner
from serving.dev_hosts import LoopbackOnly, dev_keys_in_force
from serving.errors import NotReadyError, StoreUnavailableError, status_of
from serving.limits import BodySizeLimit, invalid_json, not_json, unreadable_body
from serving.model_check import start_model_check
from serving.overload import QueueLimit
from serving.routes import integrations, kpis, managers, system, tickets
from serving.routes.metrics import install_metrics
from serving.service import build_service
from serving.store.database import STORE_ERRORS, store_down
from serving.sweeper.runner import start_background
from serving.sweeper.sweeper import Clock, utc_now
from serving.unhandled import UnhandledErrors

log = logging.getLogger("serving")


def create_app(settings: Settings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    """`clock`: the time the routes that check a request's age read (tests give their own)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # the requests worked on at once (settings.server.threads); the others wait in line in the event loop
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.server.threads
        service, database = await run_in_threadpool(build_service, settings)
        app.state.service = service
        status = service.status()
        log.info(
            "serving: model %s; policies %s, sentiment %s",
            served_from(settings, service.scorers.model),
            status["policy_version"],
            status["sentiment_version"] or "off",
        )
        background = start_background(service, settings)  # SLA sweeper + outbox worker (settings can disable)
        app.state.background = background  # GET /metrics reads its sweeper's figures
        model_check = start_model_check(service, settings, clock)  # a new model or policy file: follow it
        if settings.server.gc_freeze:
            settle_after_start_up(settings.server.gc_threshold)  # serving/collector.py: no full-GC stalls
        yield
        if model_check is not None:
            model_check.stop()
        background.stop()
        app.state.background = None
        app.state.service = None
        await run_in_threadpool(service.close)
        database.dispose()

    app = FastAPI(
        title="Escalation risk API",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # install_docs: the same pages with their assets served from a package, not a CDN
        redoc_url=None,
        description="Escalation risk of helpdesk tickets: SLA state, conflict signals, calibrated risk and "
        "the recommended action. Authenticate with the X-API-Key header (docs/api.md).",
    )
    app.state.keyring = KeyRing(settings)
    app.state.settings = settings
    app.state.clock = clock
    app.state.session_signer = SessionSigner(settings)
    app.state.service = None
    app.state.background = None
    app.state.readiness = system.Readiness()  # GET /readyz logs when the store stops and starts answering
    install_docs(app)
    app.include_router(tickets.router)
    app.include_router(integrations.router)  # helpdesk webhooks: signed by the helpdesk, not an API key
    app.include_router(managers.router)
    app.include_router(system.router)
    app.include_router(kpis.router)
    app.include_router(dashboard.router)  # the managers' pages at /dashboard (and / redirecting there)
    app.mount("/dashboard/static", dashboard.static, name="dashboard-static")
    install_metrics(app, settings)  # GET /metrics + the request timer, unless metrics.enabled is false
    install_error_handlers(app)
    app.add_middleware(KeyBeforeBody, keyring=app.state.keyring)  # no valid key: the body is not parsed
    app.add_middleware(BodySizeLimit, max_bytes=settings.serving.max_body_bytes)
    if settings.server.max_waiting is not None:  # before reading the body: shedding costs next to nothing
        app.add_middleware(QueueLimit, max_waiting=settings.server.max_waiting)
    app.add_middleware(UnhandledErrors)  # 500 for whatever the handlers below did not take
    if dev_keys_in_force(settings):  # outermost: public keys, so no DNS-rebound page may reach them
        app.add_middleware(LoopbackOnly)
    return app


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EscalationError)
    async def domain_error(request: Request, exc: EscalationError) -> Response:
        status, code = status_of(exc)
        if status >= 500 and not isinstance(exc, NotReadyError):  # readiness: logged as it changes (/readyz)
            # a ConfigError names settings and files; other messages may quote input values (errors.Problem)
            shown = str(exc) if isinstance(exc, ConfigError) else exception_name(exc)
            log.error("%s %s failed: %s", request.method, request.url.path, shown)
        if isinstance(exc, StoreUnavailableError) and dashboard.reads_pages(request):
            return dashboard.unavailable_page(request, "store_down", exc.retry_after_s)
        retry = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, StoreUnavailableError) else None
        return JSONResponse({"error": code, "detail": str(exc)}, status_code=status, headers=retry)

    async def unavailable(request: Request, exc: Exception) -> Response:
        if not store_down(exc):
            raise exc  # a fault of ours (SQLite's "no such table"): the 500 with a ref (serving/unhandled.py)
        # the database, not the request: said without the driver's message (it may name values or the URL)
        log.warning("%s %s: the store did not answer (%s); answered 503", request.method, request.url.path,
                    type(exc).__name__)
        wait = StoreUnavailableError.retry_after_s
        if dashboard.reads_pages(request):  # a person in a browser: a page of the dashboard, not the JSON
            return dashboard.unavailable_page(request, "store_down", wait)
        detail = (f"the ticket store does not answer now ({type(exc).__name__}); send the request again in "
                  f"{wait} s (an event already stored is recognised by its id and stored once)")
        return JSONResponse({"error": StoreUnavailableError.code, "detail": detail},
                            status_code=StoreUnavailableError.status, headers={"Retry-After": str(wait)})

    for kind in (*STORE_ERRORS, DBAPIError):  # a broken connection may be any DBAPIError (store_down)
        app.add_exception_handler(kind, unavailable)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        if isinstance(exc.body, bytes) and any(tuple(e["loc"]) == ("body",) for e in exc.errors()):
            # FastAPI parses a body as JSON only under a JSON content type, and hands the others on as bytes
            detail = not_json(request.headers.get("content-type"))
            return JSONResponse({"error": "invalid_request", "detail": detail}, status_code=422)
        problems = [_problem(e, exc.body) for e in exc.errors()]
        return JSONResponse({"error": "invalid_request", "detail": "; ".join(problems)}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.__cause__ is not None:  # FastAPI could not read the JSON body
            detail = unreadable_body(exc.__cause__)
            return JSONResponse({"error": "invalid_request", "detail": detail}, status_code=422)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            {"error": code, "detail": str(exc.detail)},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )


def _problem(error: Mapping[str, Any], body: Any) -> str:
    if error["type"] == "json_invalid" and isinstance(body, str | bytes):
        return invalid_json(body, int(error["loc"][-1]), str(error.get("ctx", {}).get("error", "")))
    problem = f"{_field(error['loc'])}: {error['msg'].removeprefix('Value error, ')}"
    given = error.get("input")
    if error["loc"][0] == "query" and error["type"].startswith("datetime") and " " in str(given):
        # an unencoded offset (`?from=…T09:00:00+02:00`): the URL's '+' arrives as a space
        problem += (f" ({given!r}: a '+' in a URL's query reads as a space; send it as %2B, or the instant "
                    "in UTC with Z)")
    return problem


def _field(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """('body', 'events', 0, 'body') -> 'events[0].body'; the source ('body', 'query') is left out."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:] or parts
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"
