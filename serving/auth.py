"""API keys with roles (settings.serving.api_keys). Keys are compared as SHA-256 digests in constant time
and never logged; the caller's name (not the key) is what logs and feedback rows see."""

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
        self._keys: list[tuple[bytes, Caller]] = []
        for k in settings.serving.api_keys:
            if k.key_sha256:
                digest = bytes.fromhex(k.key_sha256)
            elif k.key is not None:
                digest = hashlib.sha256(k.key.get_secret_value().encode()).digest()
            else:
                continue
            self._keys.append((digest, Caller(k.name, k.role)))

    def caller(self, presented: str | None) -> Caller:
        if not presented:
            raise AuthError("missing API key; send it in the X-API-Key header")
        found = self.caller_for_digest(key_digest(presented))
        if found is None:
            raise AuthError("invalid API key; check the X-API-Key header")
        return found

    def caller_for_digest(self, digest: bytes) -> Caller | None:
        """The caller whose key has this SHA-256 digest (a dashboard session holds it, not the key)."""
        found = None
        for known, caller in self._keys:  # no early exit: the time taken does not tell which key matched
            if hmac.compare_digest(known, digest):
                found = caller
        return found


def key_digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def authorise(caller: Caller, allowed: tuple[str, ...]) -> Caller:
    if caller.role != "admin" and caller.role not in allowed:
        raise ForbiddenError(
            f"the {caller.role} key {caller.name!r} may not do this; it needs the role {' or '.join(allowed)}"
        )
    return caller
