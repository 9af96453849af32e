"""While the built-in development keys are in force (core.settings DEV_API_KEYS, public in docs/api.md), the
server answers only requests addressed to a loopback name. `make run` serves them on 127.0.0.1, and any web
page the developer opens could rebind its own host name to 127.0.0.1 (DNS rebinding) and call the API and the
dashboard with those keys: the browser then sends that page's name in the Host header, which is how it is
told apart. Plain ASGI middleware: a refused request is answered 421 before anything else reads it."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from core.settings import DEV_API_KEYS, Settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


def dev_keys_in_force(settings: Settings) -> bool:
    """Whether any of the public development keys is accepted by this configuration."""
    dev = {k.digest() for k in DEV_API_KEYS}
    return any(k.digest() in dev for k in settings.serving.api_keys)


def host_name(host: str) -> str:
    """'LocalHost:8000' -> 'localhost', '[::1]:8000' -> '[::1]': the Host header without its port."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


class LoopbackOnly:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "")
        if host_name(host) in LOOPBACK_NAMES:
            await self.app(scope, receive, send)
            return
        body = json.dumps({
            "error": "misdirected_request",
            "detail": f"the host {host[:100]!r} is not a loopback name: while the development keys are in "
            "force this server answers only localhost, 127.0.0.1 and [::1] (any port); set your own keys "
            "(ESCALATION_SERVING__API_KEYS, docs/api.md) to serve under other names",
        }).encode()
        await send({
            "type": "http.response.start",
            "status": 421,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})
