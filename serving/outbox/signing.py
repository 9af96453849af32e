"""The webhook signature: `X-Escalation-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the shared
secret (settings.outbox.webhook_secret). Receivers verify it over the bytes they received, before parsing."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Escalation-Signature"
PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str | None, secret: str) -> bool:
    """True when `header` is the signature of `body`; compared in constant time."""
    if not header or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(sign(body, secret), header)
