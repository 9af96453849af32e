"""Each vendor's proof of origin: accepted when right, refused with a clear message when missing or wrong."""

from __future__ import annotations

import base64

import pytest

from helpdesks.common import Vendor
from helpdesks.payload import SignatureError
from helpdesks.signatures import verify, zammad_signature, zendesk_signature

SECRET = "s3cret-signing-key"
BODY = b'{"type": "zen:event-type:ticket.comment_added"}'
STAMP = "2026-05-04T10:12:08Z"


def test_zendesk_signature_over_timestamp_and_body() -> None:
    good = {"x-zendesk-webhook-signature": zendesk_signature(SECRET, STAMP, BODY),
            "x-zendesk-webhook-signature-timestamp": STAMP}
    verify(Vendor.ZENDESK, SECRET, good, BODY)
    for headers, body, words in [
        ({}, BODY, "missing Zendesk signature"),
        ({**good, "x-zendesk-webhook-signature-timestamp": "2026-05-04T10:12:09Z"}, BODY, "invalid Zendesk"),
        (good, BODY + b" ", "invalid Zendesk"),
        ({**good, "x-zendesk-webhook-signature": zendesk_signature("other", STAMP, BODY)}, BODY, "invalid"),
        ({**good, "x-zendesk-webhook-signature": "not base64 !!"}, BODY, "invalid Zendesk"),
    ]:
        with pytest.raises(SignatureError, match=words):
            verify(Vendor.ZENDESK, SECRET, headers, body)


def test_zammad_hub_signature() -> None:
    good = {"x-hub-signature": zammad_signature(SECRET, BODY)}
    assert good["x-hub-signature"].startswith("sha1=") and len(good["x-hub-signature"]) == 45
    verify(Vendor.ZAMMAD, SECRET, good, BODY)
    with pytest.raises(SignatureError, match="missing Zammad signature"):
        verify(Vendor.ZAMMAD, SECRET, {}, BODY)
    with pytest.raises(SignatureError, match="invalid Zammad signature"):
        verify(Vendor.ZAMMAD, SECRET, good, BODY.replace(b"comment", b"c0mment"))
    with pytest.raises(SignatureError, match="invalid Zammad signature"):
        verify(Vendor.ZAMMAD, SECRET, {"x-hub-signature": zammad_signature("other", BODY)}, BODY)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_freshdesk_shared_secret_in_a_header_or_basic_auth() -> None:
    verify(Vendor.FRESHDESK, SECRET, {"x-escalation-webhook-secret": SECRET}, BODY)
    verify(Vendor.FRESHDESK, SECRET, {"authorization": basic("freshdesk", SECRET)}, BODY)
    for headers, words in [
        ({}, "missing Freshdesk secret"),
        ({"authorization": "Bearer " + SECRET}, "missing Freshdesk secret"),
        ({"authorization": "Basic %%%"}, "missing Freshdesk secret"),
        ({"x-escalation-webhook-secret": SECRET + "x"}, "invalid Freshdesk secret"),
        ({"authorization": basic("freshdesk", "guess")}, "invalid Freshdesk secret"),
    ]:
        with pytest.raises(SignatureError, match=words) as caught:
            verify(Vendor.FRESHDESK, SECRET, headers, BODY)
        assert SECRET not in str(caught.value)
