"""Each vendor's proof of origin: accepted when right, refused with a clear message when missing or wrong."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from helpdesks.common import Vendor
from helpdesks.payload import SignatureError
from helpdesks.signatures import verify, zammad_signature, zendesk_signature

SECRET = "s3cret-signing-key"
BODY = b'{"type": "zen:event-type:ticket.comment_added"}'
STAMP = "2026-05-04T10:12:08Z"
NOW = datetime(2026, 5, 4, 10, 12, 30, tzinfo=UTC)  # the request arrives 22 s after Zendesk signed it


def test_zendesk_signature_over_timestamp_and_body() -> None:
    good = {"x-zendesk-webhook-signature": zendesk_signature(SECRET, STAMP, BODY),
            "x-zendesk-webhook-signature-timestamp": STAMP}
    verify(Vendor.ZENDESK, SECRET, good, BODY, now=NOW)
    for headers, body, words in [
        ({}, BODY, "missing Zendesk signature"),
        ({**good, "x-zendesk-webhook-signature-timestamp": "2026-05-04T10:12:09Z"}, BODY, "invalid Zendesk"),
        (good, BODY + b" ", "invalid Zendesk"),
        ({**good, "x-zendesk-webhook-signature": zendesk_signature("other", STAMP, BODY)}, BODY, "invalid"),
        ({**good, "x-zendesk-webhook-signature": "not base64 !!"}, BODY, "invalid Zendesk"),
    ]:
        with pytest.raises(SignatureError, match=words):
            verify(Vendor.ZENDESK, SECRET, headers, body, now=NOW)


@pytest.mark.parametrize(("now", "accepted"), [
    (NOW, True),
    (datetime(2026, 5, 4, 10, 17, 8, tzinfo=UTC), True),  # five minutes: the edge, accepted
    (datetime(2026, 5, 4, 10, 17, 9, tzinfo=UTC), False),  # a second more: a replay, refused
    (datetime(2026, 5, 4, 10, 7, 8, tzinfo=UTC), True),  # our clock five minutes behind Zendesk's
    (datetime(2026, 5, 4, 10, 7, 7, tzinfo=UTC), False),
])
def test_a_zendesk_signature_older_than_five_minutes_is_refused(now: datetime, accepted: bool) -> None:
    good = {"x-zendesk-webhook-signature": zendesk_signature(SECRET, STAMP, BODY),
            "x-zendesk-webhook-signature-timestamp": STAMP}
    if accepted:
        verify(Vendor.ZENDESK, SECRET, good, BODY, now=now)
        return
    stale = (r"stale Zendesk signature: X-Zendesk-Webhook-Signature-Timestamp is 301 s "
             r"(old|ahead of our clock), more than 300 s")
    with pytest.raises(SignatureError, match=stale):
        verify(Vendor.ZENDESK, SECRET, good, BODY, now=now)


@pytest.mark.parametrize("stamp", ["last tuesday", "2026-05-04T10:12:08", "", "1777889528"])
def test_a_zendesk_timestamp_must_be_a_time_with_its_zone(stamp: str) -> None:
    headers = {"x-zendesk-webhook-signature": zendesk_signature(SECRET, stamp, BODY),
               "x-zendesk-webhook-signature-timestamp": stamp}
    unix = datetime.fromtimestamp(1777889528, UTC)  # Unix seconds are read too
    if stamp.isdigit():
        verify(Vendor.ZENDESK, SECRET, headers, BODY, now=unix + timedelta(seconds=1))
        return
    words = "missing Zendesk signature" if not stamp else "unreadable Zendesk signature timestamp"
    with pytest.raises(SignatureError, match=words):
        verify(Vendor.ZENDESK, SECRET, headers, BODY, now=NOW)


def test_zammad_hub_signature() -> None:
    good = {"x-hub-signature": zammad_signature(SECRET, BODY)}
    assert good["x-hub-signature"].startswith("sha1=") and len(good["x-hub-signature"]) == 45
    verify(Vendor.ZAMMAD, SECRET, good, BODY, now=NOW)
    with pytest.raises(SignatureError, match="missing Zammad signature"):
        verify(Vendor.ZAMMAD, SECRET, {}, BODY, now=NOW)
    with pytest.raises(SignatureError, match="invalid Zammad signature"):
        verify(Vendor.ZAMMAD, SECRET, good, BODY.replace(b"comment", b"c0mment"), now=NOW)
    with pytest.raises(SignatureError, match="invalid Zammad signature"):
        verify(Vendor.ZAMMAD, SECRET, {"x-hub-signature": zammad_signature("other", BODY)}, BODY, now=NOW)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_freshdesk_shared_secret_in_a_header_or_basic_auth() -> None:
    verify(Vendor.FRESHDESK, SECRET, {"x-escalation-webhook-secret": SECRET}, BODY, now=NOW)
    verify(Vendor.FRESHDESK, SECRET, {"authorization": basic("freshdesk", SECRET)}, BODY, now=NOW)
    for headers, words in [
        ({}, "missing Freshdesk secret"),
        ({"authorization": "Bearer " + SECRET}, "missing Freshdesk secret"),
        ({"authorization": "Basic %%%"}, "missing Freshdesk secret"),
        ({"x-escalation-webhook-secret": SECRET + "x"}, "invalid Freshdesk secret"),
        ({"authorization": basic("freshdesk", "guess")}, "invalid Freshdesk secret"),
    ]:
        with pytest.raises(SignatureError, match=words) as caught:
            verify(Vendor.FRESHDESK, SECRET, headers, BODY, now=NOW)
        assert SECRET not in str(caught.value)
