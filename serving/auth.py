"""API keys with roles (settings.serving.api_keys). Keys are compared as SHA-256 digests in constant time
and never logged; the caller's name (not the key) is what logs and feedback rows see. A dashboard session
names its key and holds a binding to it (`key_binding`), never the key or its digest."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

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
