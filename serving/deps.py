"""Dependencies of the routes: settings (cached `get_settings`, overridable in tests), the service built in
the lifespan, and the caller's role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request

from core.settings import Settings, get_settings
from serving.auth import Caller, KeyRing, authorise
from serving.errors import NotReadyError
from serving.service import Service

SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_service(request: Request) -> Service:
    service: Service | None = getattr(request.app.state, "service", None)
    if service is None:
        raise NotReadyError("the service is starting; retry in a moment")
    return service


def get_keyring(request: Request) -> KeyRing:
    keyring: KeyRing = request.app.state.keyring
    return keyring


def require(*roles: str) -> Callable[..., Caller]:
    def dependency(
        keyring: Annotated[KeyRing, Depends(get_keyring)],
        x_api_key: Annotated[str | None, Header(description="API key; docs/api.md lists the roles")] = None,
    ) -> Caller:
        return authorise(keyring.caller(x_api_key), roles)

    return dependency


ServiceDep = Annotated[Service, Depends(get_service)]
Integration = Annotated[Caller, Depends(require("integration"))]
Manager = Annotated[Caller, Depends(require("manager"))]
Admin = Annotated[Caller, Depends(require("admin"))]
