"""API keys with roles (settings.serving.api_keys). Keys are compared as SHA-256 digests in constant time
and never logged; the caller's name (not the key) is what logs and feedback rows see. A dashboard session
names its key and holds a binding to it (`key_binding`), never the key or its digest."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.settings import Settings
from serving.errors import AuthError, ForbiddenError

ROLES = ("integration", "manager", "admin")


@dataclass(frozen=True, slots=True)
class Caller:
    name: str
    role: str


class KeyRing:
    def __init__(self, settings: Settings) -> None:
        self._keys = [(k.digest(), Caller(k.name, k.role)) for k in settings.serving.api_keys]

    def caller(self, presented: str | None) -> Caller:
        if not presented:
            raise AuthError("missing API key; send it in the X-API-Key header")
        found = self.caller_for_digest(key_digest(presented))
        if found is None:
            raise AuthError("invalid API key; check the X-API-Key header")
        return found

    def bound_caller(self, name: str, session_id: str, binding: str) -> Caller | None:
        """The caller named `name` whose key the session was bound to (`key_binding`); None when that key was
        removed or replaced since the login."""
        found = None
        for known, caller in self._keys:
            if caller.name == name and hmac.compare_digest(key_binding(known, session_id), binding):
                found = caller
        return found

    def caller_for_digest(self, digest: bytes) -> Caller | None:
        """The caller whose key has this SHA-256 digest."""
        found = None
        for known, caller in self._keys:  # no early exit: the time taken does not tell which key matched
            if hmac.compare_digest(known, digest):
                found = caller
        return found


def key_digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def key_binding(digest: bytes, session_id: str) -> str:
    """What a dashboard session stores to stay tied to its key: HMAC-SHA256 of the session id keyed with the
    key's digest. It proves the key without holding it, and without the session id (which the store keeps only
    hashed) it cannot be used to test guesses of the key."""
    return hmac.new(digest, session_id.encode(), hashlib.sha256).hexdigest()


def authorise(caller: Caller, allowed: tuple[str, ...]) -> Caller:
    if caller.role != "admin" and caller.role not in allowed:
        raise ForbiddenError(
            f"the {caller.role} key {caller.name!r} may not do this; it needs the role {' or '.join(allowed)}"
        )
    return caller


# Under /v1 every operation takes an API key but the helpdesks' webhooks, which the helpdesk signs instead.
KEYED_PREFIX, SIGNED_PREFIX = "/v1/", "/v1/integrations/"


class KeyBeforeBody:
    """ASGI middleware: a /v1 request without a valid key has its body withheld — the app reads it as empty —
    so the route's key dependency answers it 401 without the body being parsed. FastAPI parses a JSON body,
    in the event loop, before any dependency runs: anyone could have a megabyte parsed (tens of ms, every
    other request waiting) and be told what was wrong with their JSON. The route still answers (its 401, its
    metrics); the role is still checked by the route (`authorise`)."""

    def __init__(self, app: ASGIApp, keyring: KeyRing) -> None:
        self.app = app
        self.keyring = keyring

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(KEYED_PREFIX) or path.startswith(SIGNED_PREFIX):
            await self.app(scope, receive, send)
            return
        presented = next((v for k, v in scope["headers"] if k == b"x-api-key"), None)
        try:
            self.keyring.caller(presented.decode("latin-1") if presented is not None else None)
        except AuthError:
            await self.app(scope, withheld(receive), send)
            return
        await self.app(scope, receive, send)


def withheld(receive: Receive) -> Receive:
    """A receive whose body is empty; afterwards the connection's own (a disconnect is still heard)."""
    given = False

    async def empty() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": b"", "more_body": False}

    return empty
