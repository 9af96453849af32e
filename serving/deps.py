"""Dependencies of the routes: settings (cached `get_settings`), the service built in the lifespan, and the
caller's role. Each is a coroutine although none waits for anything: FastAPI runs a plain function
dependency in its thread pool, a thread hop per dependency per request (three on every ingest), and these
only read what the app already holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from core.settings import Settings, get_settings
from serving.auth import Caller, KeyRing, authorise
from serving.errors import NotReadyError
from serving.service import Service
from serving.sweeper.sweeper import Clock


async def current_settings() -> Settings:
    return get_settings()


async def app_settings(request: Request) -> Settings:
    """The settings the app was created with (`create_app(settings)`): the ones its keys and service use."""
    settings: Settings = request.app.state.settings
    return settings


async def app_clock(request: Request) -> Clock:
    """The clock the app was created with (`create_app(settings, clock=…)`)."""
    clock: Clock = request.app.state.clock
    return clock


def get_service(request: Request) -> Service:
    service: Service | None = getattr(request.app.state, "service", None)
    if service is None:
        raise NotReadyError("the service is starting; retry in a moment")
    return service


async def current_service(request: Request) -> Service:
    return get_service(request)


# the OpenAPI's security scheme: generated clients send the key, and /docs' "Authorize" asks for it once
API_KEY = APIKeyHeader(
    name="X-API-Key", scheme_name="ApiKey", auto_error=False,
    description="An API key; its role (integration, manager, admin) decides what it may call (docs/api.md).",
)


def require(*roles: str) -> Callable[..., Awaitable[Caller]]:
    async def dependency(
        request: Request, x_api_key: Annotated[str | None, Security(API_KEY)] = None
    ) -> Caller:
        keyring: KeyRing = request.app.state.keyring
        return authorise(keyring.caller(x_api_key), roles)

    return dependency


SettingsDep = Annotated[Settings, Depends(current_settings)]
AppSettingsDep = Annotated[Settings, Depends(app_settings)]
ServiceDep = Annotated[Service, Depends(current_service)]
ClockDep = Annotated[Clock, Depends(app_clock)]
Integration = Annotated[Caller, Depends(require("integration"))]
Manager = Annotated[Caller, Depends(require("manager"))]
Admin = Annotated[Caller, Depends(require("admin"))]
