"""The helpdesks' mappings as a helpdesk admin meets them: their webhooks POSTed, signed, to the real app on
loopback (uvicorn), and what the ticket holds afterwards — a merge, a deletion or spam that takes a ticket off
the board, an article that arrives with a state change, and event types the mapping does not know."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from core.settings import Settings
from helpdesks.signatures import zammad_signature, zendesk_signature
from tests.helpdesks.conftest import payload
from tests.serving.conftest import Server, start_server

SECRETS = {"zendesk": "zd-secret-served", "freshdesk": "fd-secret-served", "zammad": "zm-secret-served"}
MANAGER = {"X-API-Key": "dev-manager-key"}
ARRIVED = datetime(2026, 5, 4, 12, 1, tzinfo=UTC)  # the server's clock: Zendesk's signatures below are recent
STAMP = "2026-05-04T12:00:30Z"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("served") / "escalation.db"
    settings = Settings.model_validate({
        "database_url": f"sqlite:///{db}", "paths": {"models_dir": tmp_path_factory.mktemp("no-models")},
        "serving": {"sentiment": False}, "sweeper": {"enabled": False}, "outbox": {"enabled": False},
        "helpdesks": {v: {"webhook_secret": s} for v, s in SECRETS.items()},
    })
    yield from start_server(settings, clock=lambda: ARRIVED)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def post(client: httpx.Client, vendor: str, body: Any) -> httpx.Response:
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if vendor == "zendesk":
        headers |= {"X-Zendesk-Webhook-Signature-Timestamp": STAMP,
                    "X-Zendesk-Webhook-Signature": zendesk_signature(SECRETS["zendesk"], STAMP, raw)}
    elif vendor == "zammad":
        headers["X-Hub-Signature"] = zammad_signature(SECRETS["zammad"], raw)
    else:
        headers["X-Escalation-Webhook-Secret"] = SECRETS["freshdesk"]
    return client.post(f"/v1/integrations/{vendor}", content=raw, headers=headers)


def ok(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


def ticket(client: httpx.Client, ticket_id: str) -> dict[str, Any]:
    r = client.get(f"/v1/tickets/{ticket_id}", headers=MANAGER)
    assert r.status_code == 200, r.text
    found: dict[str, Any] = r.json()
    return found


def zendesk_event(number: int, kind: str, event_id: str, time: str, **detail: Any) -> dict[str, Any]:
    body = payload("zendesk", "comment_added.json")
    body["detail"].update(id=str(number), **detail)
    if kind == "comment_added":
        body["event"]["comment"]["id"] = f"{number}01"
    else:
        body["event"] = {"current": "CLOSED", "previous": "OPEN"} if kind == "status_changed" else {}
    body.update(type=f"zen:event-type:ticket.{kind}", id=event_id, time=time)
    return body


@pytest.mark.parametrize("order", [("merged", "status_changed"), ("status_changed", "merged")])
def test_a_zendesk_ticket_merged_into_another_is_withdrawn_not_solved(client: httpx.Client,
                                                                      order: tuple[str, str]) -> None:
    """Zendesk closes the ticket it merges away and sends `ticket.merged` and `ticket.status_changed`, in
    either order: the duplicate was never solved, so it leaves the board withdrawn, whichever comes last."""
    number = 4100 if order[0] == "merged" else 4200
    tid = f"zendesk-{number}"
    ok(post(client, "zendesk", zendesk_event(number, "comment_added", "e-1", "2026-05-04T10:00:00Z")))
    for i, kind in enumerate(order):
        sent = zendesk_event(number, kind, f"e-{i + 2}", f"2026-05-04T11:0{i}:00Z", status="CLOSED")
        answer = ok(post(client, "zendesk", sent))
        assert len(answer["stored_events"]) == 1, answer
    stored = ticket(client, tid)
    assert stored["current"]["status"] == "withdrawn"
    assert f"{tid}:merged:e-{order.index('merged') + 2}" in [e["event_id"] for e in stored["events"]]


def test_a_freshdesk_ticket_deleted_or_marked_as_spam_is_withdrawn_and_restored(client: httpx.Client) -> None:
    created = payload("freshdesk", "ticket_created.json")
    created["freshdesk_webhook"]["ticket_id"] = 512
    ok(post(client, "freshdesk", created))
    deleted = payload("freshdesk", "ticket_created.json")
    deleted["freshdesk_webhook"].update(ticket_id=512, triggered_event="{ticket_action:deleted}",
                                        ticket_updated_at="2026-05-04T11:00:00Z")
    answer = ok(post(client, "freshdesk", deleted))
    assert answer["state"]["status"] == "withdrawn" and len(answer["stored_events"]) == 1
    assert ok(post(client, "freshdesk", deleted))["stored_events"] == []  # a retry is stored once
    restored = payload("freshdesk", "ticket_created.json")
    restored["freshdesk_webhook"].update(ticket_id=512, triggered_event="{ticket_action:restored}",
                                         ticket_updated_at="2026-05-04T11:30:00Z", ticket_status="Open")
    assert ok(post(client, "freshdesk", restored))["state"]["status"] == "open"
    spam = payload("freshdesk", "ticket_created.json")
    spam["freshdesk_webhook"].update(ticket_id=512, triggered_event="{ticket_action:spam}",
                                     ticket_updated_at="2026-05-04T11:45:00Z")
    assert ok(post(client, "freshdesk", spam))["state"]["status"] == "withdrawn"
    kinds = [(e["type"], e.get("status")) for e in ticket(client, "freshdesk-512")["events"]]
    assert kinds == [("customer_message", None), ("status_change", "withdrawn"), ("status_change", "open"),
                     ("status_change", "withdrawn")]


@pytest.mark.parametrize("state", ["pending reminder", "closed"])
def test_a_zammad_article_and_a_state_change_in_one_webhook_are_both_taken(client: httpx.Client,
                                                                           state: str) -> None:
    """One update adds an article and changes the state (an agent's reply setting the ticket to pending or
    closing it): the message and the change are both stored, and a retry stores neither again."""
    number = 900 if state == "closed" else 901
    first = payload("zammad", "article_created.json")
    first["ticket"]["id"] = number
    first["article"].update(ticket_id=number, id=number * 10)
    ok(post(client, "zammad", first))
    reply = payload("zammad", "article_created.json")
    reply["ticket"].update(id=number, state=state, updated_at="2026-05-04T11:00:00.500Z")
    reply["article"].update(ticket_id=number, id=number * 10 + 1, sender="Agent", internal=False,
                            body="We sent a technician.", created_at="2026-05-04T11:00:00.400Z",
                            origin_by=None, created_by={"login": "emma@chrispresso.com"})
    answer = ok(post(client, "zammad", reply))
    tid = f"zammad-{number}"
    [article, change] = answer["stored_events"]
    assert article == f"{tid}:article:{number * 10 + 1}" and change.startswith(f"{tid}:status_change:")
    assert answer["state"]["status"] == ("closed" if state == "closed" else "pending")
    again = ok(post(client, "zammad", reply))
    assert again["stored_events"] == [] and again["duplicate_events"] == [f"{tid}:article:{number * 10 + 1}"]
    events = ticket(client, tid)["events"]
    assert [(e["type"], e.get("status")) for e in events] == [
        ("customer_message", None), ("agent_reply", None),
        ("status_change", "closed" if state == "closed" else "pending")]


@pytest.mark.parametrize(("vendor", "body", "detail"), [
    ("zendesk", {"ticket": {"id": "35436", "status": "open"}},
     "type: is missing: this is not one of Zendesk's event webhooks; create the webhook with Zendesk "
     "events subscribed to zen:event-type:ticket.* (not connected to a trigger or automation, whose JSON is "
     "your own): docs/helpdesks/zendesk.md"),
    ("freshdesk", {"ticket_id": "12", "ticket_status": "Open"},
     "freshdesk_webhook: is missing: send the documented template as the rule's Advanced content: "
     "docs/helpdesks/freshdesk.md"),
    ("zammad", {"id": 81, "state": "open"},
     "ticket: is missing: keep the webhook's default payload (no custom payload): docs/helpdesks/zammad.md"),
])
def test_a_payload_of_another_shape_is_a_422_saying_how_to_set_the_webhook_up(
        client: httpx.Client, vendor: str, body: dict[str, Any], detail: str) -> None:
    """A webhook set up another way (a Zendesk trigger's own JSON, a Freshdesk rule's fields without the
    template's key, a Zammad custom payload) said only that a key was missing: the admin could not tell what
    to change."""
    r = post(client, vendor, body)
    assert r.status_code == 422 and r.json() == {"error": "invalid_request", "detail": detail}, r.text
