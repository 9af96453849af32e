"""Health, readiness and model reload."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from serving.deps import Admin, ServiceDep
from serving.errors import NotReadyError
from serving.routes.tickets import ERRORS
from serving.schemas import ErrorOut, ReloadOut

router = APIRouter(tags=["system"])


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
    try:
        status: dict[str, Any] = await run_in_threadpool(service.status)
    except (
        Exception
    ) as exc:  # any driver error means "not ready", said without the URL (it may hold a password)
        raise NotReadyError(f"the store does not answer ({type(exc).__name__})") from None
    return {"status": "ready", **status}


@router.post("/v1/admin/reload", response_model=ReloadOut, responses={**ERRORS, 502: {"model": ErrorOut}})
async def reload(service: ServiceDep, caller: Admin) -> dict[str, Any]:
    """Load the configured model again (with model_source registry: the version the champion alias names
    now) and swap it in; requests in flight finish with the old one. 502 when the new model cannot be
    loaded: the old one goes on serving, and the detail says why."""
    return await run_in_threadpool(service.reload)
