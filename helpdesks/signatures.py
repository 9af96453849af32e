"""Is a webhook from the helpdesk? Each vendor's proof, checked in constant time against the secret:

- Zendesk: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, timestamp + body)), the timestamp in
  `X-Zendesk-Webhook-Signature-Timestamp`; a signature whose timestamp is more than ZENDESK_MAX_AGE away from
  `now` is refused too, so that a request caught on the way cannot be replayed later;
- Zammad: `X-Hub-Signature` = `sha1=` + hex(HMAC-SHA1(secret, body));
- Freshdesk signs nothing: the secret itself in `X-Escalation-Webhook-Secret`, or as the password of HTTP
  basic auth (any user name).

Messages say which header is missing or wrong, never the secret or what was sent."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from helpdesks.common import Vendor
from helpdesks.payload import SignatureError

ZENDESK_SIGNATURE = "x-zendesk-webhook-signature"
ZENDESK_TIMESTAMP = "x-zendesk-webhook-signature-timestamp"
ZAMMAD_SIGNATURE = "x-hub-signature"
SHARED_SECRET = "x-escalation-webhook-secret"
# how far a Zendesk signature's timestamp may be from our clock: Zendesk signs each attempt (a retry is
# signed anew), so only a replayed or much delayed request is older; the clocks of both sides may differ a bit
ZENDESK_MAX_AGE = timedelta(minutes=5)


def verify(vendor: Vendor, secret: str, headers: Mapping[str, str], body: bytes, *, now: datetime) -> None:
    """Raise SignatureError unless the request proves it knows `secret`. `headers`: names in lower case;
    `now`: the time a Zendesk signature's timestamp is checked against."""
    if vendor is Vendor.ZENDESK:
        _zendesk(secret.encode(), headers, body, now)
    elif vendor is Vendor.ZAMMAD:
        _zammad(secret.encode(), headers, body)
    else:
        _shared(secret.encode(), headers)


def request_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """A request's headers for `verify`: names in lower case, values read as UTF-8 (as helpdesks send a secret
    that is not ASCII; Latin-1 where the bytes are not UTF-8). The server's own reading is Latin-1, which
    would never match such a secret."""
    headers: dict[str, str] = {}
    for name, value in raw:
        try:
            text = value.decode()
        except UnicodeDecodeError:
            text = value.decode("latin-1")
        headers[name.decode("latin-1").lower()] = text
    return headers


def zendesk_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def zammad_signature(secret: str, body: bytes) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def _zendesk(secret: bytes, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
    signature, timestamp = headers.get(ZENDESK_SIGNATURE), headers.get(ZENDESK_TIMESTAMP)
    if not signature or not timestamp:
        raise SignatureError(
            "missing Zendesk signature: X-Zendesk-Webhook-Signature and "
            "X-Zendesk-Webhook-Signature-Timestamp are required; send the webhook from Zendesk, which signs "
            "every request")
    expected = hmac.new(secret, timestamp.encode() + body, hashlib.sha256).digest()
    try:
        presented = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        presented = b""
    if not hmac.compare_digest(expected, presented):
        raise SignatureError(
            "invalid Zendesk signature: X-Zendesk-Webhook-Signature does not match the body; check that the "
            "webhook's signing secret is ESCALATION_HELPDESKS__ZENDESK__WEBHOOK_SECRET")
    signed = _instant(timestamp)
    if signed is None:
        raise SignatureError(
            "unreadable Zendesk signature timestamp: X-Zendesk-Webhook-Signature-Timestamp is not an "
            "ISO 8601 time with a time zone (2026-05-04T10:12:08Z); send the webhook from Zendesk")
    off = (now - signed).total_seconds()
    if abs(off) > ZENDESK_MAX_AGE.total_seconds():
        when = "old" if off > 0 else "ahead of our clock"
        raise SignatureError(
            f"stale Zendesk signature: X-Zendesk-Webhook-Signature-Timestamp is {abs(off):.0f} s {when}, "
            f"more than {ZENDESK_MAX_AGE.total_seconds():.0f} s; a replayed or delayed request is refused — "
            "if Zendesk's own requests are refused, check this server's clock (NTP)")


def _instant(text: str) -> datetime | None:
    """An ISO 8601 time with its zone (Zendesk's form), or Unix seconds; None when it is neither."""
    value = text.strip()
    try:
        if value.isascii() and value.isdigit():
            return datetime.fromtimestamp(int(value), UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return parsed if parsed.tzinfo is not None else None


def _zammad(secret: bytes, headers: Mapping[str, str], body: bytes) -> None:
    signature = headers.get(ZAMMAD_SIGNATURE)
    if not signature:
        raise SignatureError(
            "missing Zammad signature: X-Hub-Signature is required; set the webhook's HMAC SHA1 signature "
            "token in Zammad to ESCALATION_HELPDESKS__ZAMMAD__WEBHOOK_SECRET")
    expected = "sha1=" + hmac.new(secret, body, hashlib.sha1).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise SignatureError(
            "invalid Zammad signature: X-Hub-Signature does not match the body; check the webhook's "
            "HMAC SHA1 signature token against ESCALATION_HELPDESKS__ZAMMAD__WEBHOOK_SECRET")


def _shared(secret: bytes, headers: Mapping[str, str]) -> None:
    presented = headers.get(SHARED_SECRET)
    if presented is None:
        presented = _basic_password(headers.get("authorization", ""))
    if presented is None:
        raise SignatureError(
            "missing Freshdesk secret: send it in the X-Escalation-Webhook-Secret header (or as the password "
            "of HTTP basic auth) from the automation rule's webhook")
    if not hmac.compare_digest(hashlib.sha256(secret).digest(), hashlib.sha256(presented.encode()).digest()):
        raise SignatureError(
            "invalid Freshdesk secret: it does not match ESCALATION_HELPDESKS__FRESHDESK__WEBHOOK_SECRET")


def _basic_password(authorization: str) -> str | None:
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, ValueError):
        return None
    return decoded.partition(":")[2] if ":" in decoded else None
