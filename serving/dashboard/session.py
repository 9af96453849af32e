"""The dashboard's session cookie: the manager key's SHA-256 digest and an expiry, signed (HMAC-SHA256)
with the server secret. The key itself never leaves the login form; revoking the key ends its sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from core.settings import Settings

COOKIE = "escalation_session"


class SessionSigner:
    def __init__(self, settings: Settings) -> None:
        given = settings.dashboard.secret
        self._secret = given.get_secret_value().encode() if given else secrets.token_bytes(32)
        self._ttl = timedelta(hours=settings.dashboard.session_hours)

    @property
    def max_age_s(self) -> int:
        return int(self._ttl.total_seconds())

    def issue(self, key_digest: bytes, now: datetime) -> str:
        expires = int((now + self._ttl).timestamp())
        payload = f"{key_digest.hex()}.{expires}"
        return f"{payload}.{self._sign(payload)}"

    def read(self, cookie: str | None, now: datetime) -> bytes | None:
        """The key digest of a valid, unexpired session; None for anything else."""
        if not cookie or cookie.count(".") != 2:
            return None
        payload, signature = cookie.rsplit(".", 1)
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        digest, expires = payload.split(".")
        if not expires.isdigit() or int(expires) < now.timestamp():
            return None
        try:
            return bytes.fromhex(digest)
        except ValueError:
            return None

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()
