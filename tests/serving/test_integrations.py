"""Helpdesk webhooks end to end on a real server (loopback): each vendor's payload in, the assessment out and
stored; signatures, retries, unmappable payloads and an unconfigured vendor, with exact answers."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from helpdesks.common import NO_TEXT_BODY
from helpdesks.signatures import zammad_signature, zendesk_signature
from serving.app import create_app
from tests.helpdesks.conftest import payload
from tests.serving.conftest import Server, quiet_settings, start_server

SECRETS = {"zendesk": "zd-signing-secret", "freshdesk": "fd-shared-secret", "zammad": "zm-hmac-token-2026"}
MANAGER = {"X-API-Key": "dev-manager-key"}
ARRIVED = datetime(2026, 5, 4, 10, 14, tzinfo=UTC)  # the server's clock: Zendesk's stamps below are recent


@pytest.fixture(scope="module")
def helpdesk_server(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("helpdesks") / "escalation.db"
    settings = Settings.model_validate({
        "database_url": f"sqlite:///{db}", "paths": {"models_dir": models_dir},
        "serving": {"sentiment": False, "max_text_chars": 5_000},
        "sweeper": {"enabled": False}, "outbox": {"enabled": False},
        "helpdesks": {v: {"webhook_secret": s, "groups": {"8447320466430": "billing"}}
                      for v, s in SECRETS.items()},
    })
    yield from start_server(settings, clock=lambda: ARRIVED)


@pytest.fixture
def client(helpdesk_server: Server) -> Iterator[httpx.Client]:
    with helpdesk_server.client() as c:
        yield c


def zendesk(client: httpx.Client, body: Any, stamp: str = "2026-05-04T10:12:08Z",
            secret: str = SECRETS["zendesk"]) -> httpx.Response:
    raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
    return client.post("/v1/integrations/zendesk", content=raw, headers={
        "Content-Type": "application/json", "X-Zendesk-Webhook-Signature-Timestamp": stamp,
        "X-Zendesk-Webhook-Signature": zendesk_signature(secret, stamp, raw)})


def zammad(client: httpx.Client, body: Any) -> httpx.Response:
    raw = json.dumps(body).encode()
    return client.post("/v1/integrations/zammad", content=raw, headers={
        "Content-Type": "application/json", "X-Hub-Signature": zammad_signature(SECRETS["zammad"], raw)})


def stored(client: httpx.Client, ticket_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/v1/tickets/{ticket_id}", headers=MANAGER)
    assert r.status_code == 200, r.text
    return list(r.json()["events"])


def test_zendesk_comment_in_assessment_out_stored_once_on_retry(client: httpx.Client) -> None:
    body = payload("zendesk", "comment_added.json")
    first = zendesk(client, body)
    assert first.status_code == 200, first.text
    answer = first.json()
    assert answer["ticket_id"] == "zendesk-35436" and answer["band"] in ("low", "medium", "high", "critical")
    assert answer["stored_events"] == ["zendesk-35436:comment:9001"] and answer["model_version"]
    # Zendesk retries with a new timestamp and signature: the comment is stored once
    again = zendesk(client, body, stamp="2026-05-04T10:13:08Z")
    assert again.status_code == 200, again.text
    assert again.json()["stored_events"] == []
    assert again.json()["duplicate_events"] == ["zendesk-35436:comment:9001"]
    body.update(id="d1c4a0b2-0000-4000-8000-000000000001", type="zen:event-type:ticket.status_changed",
                event={"current": "PENDING", "previous": "OPEN"}, time="2026-05-04T10:20:00Z")
    assert zendesk(client, body).status_code == 200
    events = stored(client, "zendesk-35436")
    assert [(e["event_id"], e["type"]) for e in events] == [
        ("zendesk-35436:comment:9001", "customer_message"),
        ("zendesk-35436:status:d1c4a0b2-0000-4000-8000-000000000001", "status_change")]


def test_a_webhook_sent_again_that_maps_to_other_content_keeps_the_stored_event(client: httpx.Client) -> None:
    """A retry that arrives after an upgrade is mapped by the new release: a body normalised differently must
    not turn the helpdesk's retry into a 409 (the event id is the helpdesk's, and the event is stored)."""
    body = payload("zendesk", "comment_added.json")
    body["detail"]["id"] = "35437"
    body["subject"] = "zen:ticket:35437"
    first = zendesk(client, body)
    assert first.status_code == 200, first.text
    assert first.json()["stored_events"] == ["zendesk-35437:comment:9001"]
    written = body["event"]["comment"]["body"]
    body["event"]["comment"]["body"] = written + "\n\nSent from my phone"
    again = zendesk(client, body, stamp="2026-05-04T10:13:08Z")
    assert again.status_code == 200, again.text
    assert again.json()["stored_events"] == []
    assert again.json()["duplicate_events"] == ["zendesk-35437:comment:9001"]
    assert [e["body"] for e in stored(client, "zendesk-35437")] == [written]


def test_an_event_that_maps_to_no_event_stores_the_ticket_and_assesses_it(client: httpx.Client) -> None:
    body = payload("zendesk", "comment_added.json")
    body["detail"]["id"] = "36000"
    body.update(type="zen:event-type:ticket.created", event={})
    r = zendesk(client, body)
    assert r.status_code == 200, r.text
    assert r.json()["ticket_id"] == "zendesk-36000" and r.json()["stored_events"] == []
    assert stored(client, "zendesk-36000") == []


def test_freshdesk_ticket_then_reply_with_its_shared_secret(client: httpx.Client) -> None:
    created = payload("freshdesk", "ticket_created.json")
    r = client.post("/v1/integrations/freshdesk", json=created,
                    headers={"X-Escalation-Webhook-Secret": SECRETS["freshdesk"]})
    assert r.status_code == 200, r.text
    assert r.json()["stored_events"] == ["freshdesk-12:description:0"]
    reply = payload("freshdesk", "ticket_created.json")
    reply["freshdesk_webhook"].update(triggered_event="{customer_reply:received}",
                                      ticket_updated_at="2026-05-05T08:00:00Z",
                                      ticket_latest_public_comment="Two weeks and nothing. I want a refund!")
    auth = "Basic " + base64.b64encode(f"freshdesk:{SECRETS['freshdesk']}".encode()).decode()
    for attempt in range(2):
        r = client.post("/v1/integrations/freshdesk", json=reply, headers={"Authorization": auth})
        assert r.status_code == 200, r.text
        assert len(r.json()["stored_events" if attempt == 0 else "duplicate_events"]) == 1
    kinds = [e["type"] for e in stored(client, "freshdesk-12")]
    assert kinds == ["customer_message", "customer_message"]


def test_zammad_article_then_state_change_from_the_snapshot(client: httpx.Client) -> None:
    body = payload("zammad", "article_created.json")
    r = zammad(client, body)
    assert r.status_code == 200, r.text
    assert r.json()["stored_events"] == ["zammad-81:article:104"]
    body["article"] = {}
    body["ticket"].update(state="open", updated_at="2026-05-04T11:00:00Z")
    r = zammad(client, body)
    assert r.status_code == 200, r.text
    [change] = r.json()["stored_events"]
    assert change.startswith("zammad-81:status_change:")
    again = zammad(client, body)  # the stored ticket is open now: nothing changed, nothing stored
    assert again.status_code == 200 and again.json()["stored_events"] == []
    assert [e["type"] for e in stored(client, "zammad-81")] == ["customer_message", "status_change"]


@pytest.mark.parametrize(("vendor", "headers", "detail"), [
    ("zendesk", {}, "missing Zendesk signature: X-Zendesk-Webhook-Signature and "
     "X-Zendesk-Webhook-Signature-Timestamp are required; send the webhook from Zendesk, which signs every "
     "request"),
    ("zendesk", {"X-Zendesk-Webhook-Signature": "AAAA", "X-Zendesk-Webhook-Signature-Timestamp": "1"},
     "invalid Zendesk signature: X-Zendesk-Webhook-Signature does not match the body; check that the "
     "webhook's signing secret is ESCALATION_HELPDESKS__ZENDESK__WEBHOOK_SECRET"),
    ("zammad", {"X-Hub-Signature": "sha1=0000"}, "invalid Zammad signature: X-Hub-Signature does not match "
     "the body; check the webhook's HMAC SHA1 signature token against "
     "ESCALATION_HELPDESKS__ZAMMAD__WEBHOOK_SECRET"),
    ("freshdesk", {"X-API-Key": "dev-integration-key"}, "missing Freshdesk secret: send it in the "
     "X-Escalation-Webhook-Secret header (or as the password of HTTP basic auth) from the automation rule's "
     "webhook"),
    ("freshdesk", {"X-Escalation-Webhook-Secret": "guess"},
     "invalid Freshdesk secret: it does not match ESCALATION_HELPDESKS__FRESHDESK__WEBHOOK_SECRET"),
])
def test_a_missing_or_wrong_signature_is_401_and_stores_nothing(client: httpx.Client, vendor: str,
                                                                headers: dict[str, str], detail: str) -> None:
    body = payload("zendesk", "comment_added.json")
    body["detail"]["id"] = "401401"
    r = client.post(f"/v1/integrations/{vendor}", json=body, headers=headers)
    assert (r.status_code, r.json()) == (401, {"error": "unauthorized", "detail": detail})
    assert client.get("/v1/tickets/zendesk-401401", headers=MANAGER).status_code == 404


def test_a_zendesk_signature_signed_long_ago_is_401_and_stores_nothing(client: httpx.Client) -> None:
    body = payload("zendesk", "comment_added.json")
    body["detail"]["id"] = "401402"
    r = zendesk(client, body, stamp="2026-05-04T10:08:59Z")  # 301 s before the server's clock: a replay
    assert (r.status_code, r.json()) == (401, {"error": "unauthorized", "detail": (
        "stale Zendesk signature: X-Zendesk-Webhook-Signature-Timestamp is 301 s old, more than 300 s; a "
        "replayed or delayed request is refused — if Zendesk's own requests are refused, check this server's "
        "clock (NTP)")})
    assert client.get("/v1/tickets/zendesk-401402", headers=MANAGER).status_code == 404
    assert zendesk(client, body, stamp="2026-05-04T10:09:00Z").status_code == 200  # five minutes: accepted


def test_a_payload_that_cannot_be_mapped_is_422_naming_its_path(client: httpx.Client) -> None:
    body = payload("zendesk", "comment_added.json")
    body["detail"]["via"]["channel"] = "carrier_pigeon"
    r = zendesk(client, body)
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    assert r.json()["detail"].startswith("detail.via.channel: 'carrier_pigeon' is not a channel we can map")
    r = zendesk(client, b'{"type": ')
    assert (r.status_code, r.json()["detail"]) == (
        422, "body: is not JSON (line 1 column 10); send the helpdesk's JSON payload as documented")
    r = zammad(client, {"ticket": {"id": 5, "state": "open"}})
    assert (r.status_code, r.json()["detail"]) == (
        422, "ticket.created_at: is missing; the payload must carry it")
    created = payload("freshdesk", "ticket_created.json")
    raw = json.dumps(created).replace('"ticket_id": 12', '"ticket_id": NaN').encode()
    assert b"NaN" in raw
    r = client.post("/v1/integrations/freshdesk", content=raw, headers={
        "Content-Type": "application/json", "X-Escalation-Webhook-Secret": SECRETS["freshdesk"]})
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("freshdesk_webhook.ticket_id: nan is not an id"), r.text
    assert client.get("/v1/tickets/freshdesk-nan", headers=MANAGER).status_code == 404


def test_logs_hold_neither_message_text_nor_secrets(client: httpx.Client,
                                                    log_output: Callable[..., io.StringIO]) -> None:
    out = log_output()
    body = payload("zendesk", "comment_added.json")
    body["detail"]["id"] = "777"
    body["event"]["comment"].update(id="7771", body="Zebrafish refund 8812, call me on 0047 555 0199")
    assert zendesk(client, body).status_code == 200
    assert zendesk(client, body, secret="wrong").status_code == 401
    logged = out.getvalue()
    assert "Zebrafish" not in logged and "0047" not in logged and SECRETS["zendesk"] not in logged


def test_an_unconfigured_helpdesk_is_404_saying_what_to_set(tmp_path: Path) -> None:
    settings = quiet_settings(tmp_path)
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        r = client.post("/v1/integrations/zammad", json=payload("zammad", "article_created.json"))
        assert (r.status_code, r.json()) == (404, {"error": "not_found", "detail": (
            "the zammad integration is off: set ESCALATION_HELPDESKS__ZAMMAD__WEBHOOK_SECRET to the "
            "webhook's secret and restart (docs/helpdesks/zammad.md)")})
        assert client.post("/v1/integrations/kayako", json={}).status_code == 422


def test_a_secret_with_non_ascii_characters_is_accepted_as_the_helpdesk_sends_it(tmp_path: Path) -> None:
    """A shared secret that is not ASCII arrives as its UTF-8 bytes, in the header as in basic auth; the
    server read header bytes as Latin-1, so the header never matched such a secret (401)."""
    secret = "nøkkel-ключ-🔑-2026"
    settings = quiet_settings(tmp_path, helpdesks={"freshdesk": {"webhook_secret": secret},
                                                   "zammad": {"webhook_secret": secret}})
    created = payload("freshdesk", "ticket_created.json")
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        r = client.post("/v1/integrations/freshdesk", json=created,
                        headers={"X-Escalation-Webhook-Secret": secret.encode()})
        assert r.status_code == 200, r.text
        auth = "Basic " + base64.b64encode(f"freshdesk:{secret}".encode()).decode()
        assert client.post("/v1/integrations/freshdesk", json=created,
                           headers={"Authorization": auth}).status_code == 200
        wrong = client.post("/v1/integrations/freshdesk", json=created,
                            headers={"X-Escalation-Webhook-Secret": "nøkkel".encode("latin-1")})
        assert wrong.status_code == 401 and wrong.json()["detail"].startswith("invalid Freshdesk secret")
        raw = json.dumps(payload("zammad", "article_created.json")).encode()
        r = client.post("/v1/integrations/zammad", content=raw, headers={
            "Content-Type": "application/json", "X-Hub-Signature": zammad_signature(secret, raw)})
        assert r.status_code == 200, r.text


def test_a_new_ticket_whose_first_message_is_only_a_screenshot_is_stored_and_watched(
        client: httpx.Client) -> None:
    """A customer's e-mail with only a screenshot was a 422: the helpdesk retried in vain, and the new ticket
    was neither stored nor given a first-response deadline."""
    body = payload("zendesk", "comment_added.json")
    body["detail"]["id"] = "35501"
    body["event"]["comment"].update(id="9501", body="<p><img src=\"cid:screenshot.png\"></p>")
    r = zendesk(client, body)
    assert r.status_code == 200, r.text
    assert r.json()["stored_events"] == ["zendesk-35501:comment:9501"]
    [first] = [t for t in r.json()["sla"]["targets"] if t["target"] == "first_response"]
    assert (first["state"], first["due_at"]) == ("running", "2026-05-04T11:00:00+00:00")  # 2 h: high
    [event] = stored(client, "zendesk-35501")
    assert (event["type"], event["body"]) == ("customer_message", NO_TEXT_BODY)
    early = client.get("/v1/early-warning", headers=MANAGER, params={"team": "billing"})
    assert early.status_code == 200, early.text
    [listed] = [i for i in early.json()["items"] if i["ticket_id"] == "zendesk-35501"]
    assert listed["sla_due_at"] == first["due_at"]
