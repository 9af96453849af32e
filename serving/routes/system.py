"""Health, readiness and the reload of the policy file and the model."""

from __future__ import annotations

import logging
import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from serving.deps import Admin, ClockDep, ServiceDep
from serving.errors import NotReadyError
from serving.routes.tickets import ERRORS
from serving.schemas import ErrorOut, ReloadOut

router = APIRouter(tags=["system"])
log = logging.getLogger("serving")


class Readiness:
    """Whether the store answered the latest readiness probe, logged when that changes: a probe every few
    seconds while the database is down would otherwise write a line each time (the 503 says it to the
    prober; the log says when it began and ended)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down = False

    def answered(self) -> None:
        with self._lock:
            if self._down:
                log.info("readiness: the store answers again; /readyz answers 200")
            self._down = False

    def failed(self, reason: str) -> None:
        with self._lock:
            if not self._down:
                log.warning("readiness: the store does not answer (%s); /readyz answers 503 until it does",
                            reason)
            self._down = True


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> dict[str, Any]:
    """Store reachable and models loaded (`rules_only: true` when no escalation model exists)."""
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise NotReadyError("the service is starting; retry in a moment")
    readiness: Readiness = request.app.state.readiness
    try:
        status: dict[str, Any] = await run_in_threadpool(service.status)
    except Exception as exc:  # any driver error: "not ready", said without the URL (it may hold a secret)
        readiness.failed(type(exc).__name__)
        raise NotReadyError(f"the store does not answer ({type(exc).__name__})") from None
    readiness.answered()
    return {"status": "ready", **status}


@router.post("/v1/admin/reload", response_model=ReloadOut, responses={**ERRORS, 502: {"model": ErrorOut}})
async def reload(service: ServiceDep, caller: Admin, clock: ClockDep) -> ReloadOut:
    """Load the policy file and the configured model again (with model_source registry: the version the
    champion alias names now) and swap them in; requests in flight finish with the old ones. 502 when the
    policy file has problems (each named at its line) or the new model cannot be loaded: the policies and
    the model in force go on serving, and the detail says why. In the process that answers only."""
    return await run_in_threadpool(service.reload_all, clock())
