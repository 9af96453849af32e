"""Zammad contract: a trigger's webhook with the default payload (the ticket as it is now + its article),
and an export of tickets, articles and ticket history."""

from __future__ import annotations

from typing import Any

import pytest

from core.enums import AuthorRole, Channel, EventType, Priority, TicketStatus
from core.settings import HelpdeskWebhook
from helpdesks import zammad
from helpdesks.common import NO_TEXT_BODY, TicketState
from helpdesks.exports import Record
from helpdesks.payload import Node, PayloadError
from tests.helpdesks.conftest import BODY_MAX, payload


def test_an_article_is_a_message_on_the_vendor_prefixed_ticket(config: HelpdeskWebhook) -> None:
    mapped = zammad.webhook(payload("zammad", "article_created.json"), config, BODY_MAX)
    t = mapped.ticket
    assert mapped.ticket_id == t.ticket_id == "zammad-81"
    assert (t.channel, t.priority, t.customer_id, t.team, t.assignee, t.subject) == (
        Channel.PHONE, Priority.NORMAL, "emily@example.com", "Service Desk", "emma@chrispresso.com",
        "Coffee machine leaks")
    assert t.model_extra is not None and t.model_extra["number"] == "10081"
    # nested user objects, the helpdesk's own SLA times and later facts stay behind
    assert not {"customer", "owner", "escalation_at", "first_response_escalation_at", "article_count",
                "last_contact_at", "updated_at"} & set(t.model_extra)
    [e] = mapped.events
    assert (e.event_id, e.type, e.author_role, e.author_id) == (
        "zammad-81:article:104", EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER, "emily@example.com")
    assert e.body == "My coffee machine leaks again.\n\nThird time this month & nobody calls back!"
    # a new ticket in state `new`: nothing changed since its creation
    assert mapped.with_changes_since(None) == mapped.events


@pytest.mark.parametrize(("sender", "internal", "kind"), [
    ("Agent", False, EventType.AGENT_REPLY), ("Agent", True, EventType.INTERNAL_NOTE),
    ("System", False, EventType.AGENT_REPLY), ("Customer", True, EventType.INTERNAL_NOTE),
])
def test_article_sender_and_visibility(config: HelpdeskWebhook, sender: str, internal: bool,
                                       kind: EventType) -> None:
    body = payload("zammad", "article_created.json")
    body["article"].update(sender=sender, internal=internal)
    [e] = zammad.webhook(body, config, BODY_MAX).events
    assert e.type is kind and e.author_role.value == sender.lower()


def changed(state: str = "open", priority: str = "3 high", group: str = "Service Desk",
            owner: Any = None) -> dict[str, Any]:
    body = payload("zammad", "article_created.json")
    body["article"] = {}
    body["ticket"].update(state=state, priority={"name": priority}, group={"name": group},
                          updated_at="2026-05-04T11:00:00Z")
    if owner is not None:
        body["ticket"]["owner"] = owner
    return body


def test_a_snapshot_becomes_the_changes_since_the_stored_state(config: HelpdeskWebhook) -> None:
    stored = TicketState(TicketStatus.NEW, Priority.NORMAL, "Service Desk", "emma@chrispresso.com")
    mapped = zammad.webhook(changed(), config, BODY_MAX)
    assert mapped.events == []
    status, priority = mapped.with_changes_since(stored)
    assert (status.type, status.status, priority.type, priority.priority) == (
        EventType.STATUS_CHANGE, TicketStatus.OPEN, EventType.PRIORITY_CHANGE, Priority.HIGH)
    assert status.author_role is AuthorRole.SYSTEM and str(status.at) == "2026-05-04 11:00:00+00:00"
    # the same webhook again: the stored state now holds its values, nothing is new
    assert mapped.with_changes_since(TicketState(TicketStatus.OPEN, Priority.HIGH, "Service Desk",
                                                 "emma@chrispresso.com")) == []
    # the same change twice makes the same ids, so the store keeps one
    assert [e.event_id for e in zammad.webhook(changed(), config, BODY_MAX).with_changes_since(stored)] == [
        status.event_id, priority.event_id]
    [moved] = zammad.webhook(changed(group="Billing", owner="-"), config, BODY_MAX).with_changes_since(
        TicketState(TicketStatus.OPEN, Priority.HIGH, "Service Desk", "emma@chrispresso.com"))
    assert (moved.type, moved.team, moved.assignee) == (EventType.REASSIGNMENT, "Billing", "")


@pytest.mark.parametrize("state", ["merged", "removed"])
def test_a_webhook_of_a_merged_or_removed_ticket_withdraws_it(config: HelpdeskWebhook, state: str) -> None:
    """Merged into another ticket or removed while the service watches it: `withdrawn`, not `closed` — never
    solved, so it leaves the solved and first-contact figures and its SLA clocks stop without a verdict."""
    stored = TicketState(TicketStatus.OPEN, Priority.HIGH, "Service Desk", "emma@chrispresso.com")
    [status] = zammad.webhook(changed(state=state), config, BODY_MAX).with_changes_since(stored)
    assert (status.type, status.status) == (EventType.STATUS_CHANGE, TicketStatus.WITHDRAWN)


@pytest.mark.parametrize(("change", "path"), [
    (lambda b: b.pop("ticket"), "ticket"),
    (lambda b: b["ticket"].update(state="limbo"), "ticket.state"),
    (lambda b: b["ticket"].update(id=1.5), "ticket.id"),
    (lambda b: b["ticket"].update(id=0), "ticket.id"),
    (lambda b: b["ticket"].update(priority={"name": "9 cosmic"}), "ticket.priority.name"),
    (lambda b: b["ticket"].update(create_article_type="telex"), "ticket.create_article_type"),
    (lambda b: b["article"].update(sender="Robot"), "article.sender"),
    (lambda b: b["article"].update(body=""), "article.body"),
    (lambda b: b["ticket"].update(updated_at=17), "ticket.updated_at"),
    (lambda b: b["ticket"].update(updated_at="2200-01-01T00:00:00Z", state="open"), "ticket.updated_at"),
])
def test_a_payload_that_cannot_be_mapped_names_the_path(config: HelpdeskWebhook, change: Any,
                                                       path: str) -> None:
    body = payload("zammad", "article_created.json")
    change(body)
    with pytest.raises(PayloadError) as caught:
        zammad.webhook(body, config, BODY_MAX).with_changes_since(None)
    assert caught.value.path == path, str(caught.value)


def test_export_tickets_articles_and_history(config: HelpdeskWebhook) -> None:
    history = payload("zammad", "export/history.json")["history"]
    recs = [Record(kind, f"{kind}.json", i + 1, Node(item)) for kind, items in (
        ("tickets", payload("zammad", "export/tickets.json")),
        ("articles", payload("zammad", "export/articles.json")),
        ("history", history)) for i, item in enumerate(items)]
    out = zammad.history(recs, config, BODY_MAX)
    assert [t.ticket_id for t in out.tickets] == ["zammad-81", "zammad-82"]
    first, second = out.tickets
    assert first.priority is Priority.NORMAL  # "3 high" now; the history's first change says it was normal
    assert (second.assignee, second.team) == (None, "Billing")  # "-": nobody
    events = [(e.event_id, e.type, e.status or e.priority) for e in out.events if e.ticket_id == "zammad-81"]
    assert events == [
        ("zammad-81:article:104", EventType.CUSTOMER_MESSAGE, None),
        ("zammad-81:article:105", EventType.AGENT_REPLY, None),
        ("zammad-81:article:106", EventType.INTERNAL_NOTE, None),
        ("zammad-81:history:702", EventType.STATUS_CHANGE, TicketStatus.OPEN),
        ("zammad-81:history:703", EventType.PRIORITY_CHANGE, Priority.HIGH),
        ("zammad-81:history:704", EventType.STATUS_CHANGE, TicketStatus.CLOSED),
    ]
    assert sorted((p.file, p.row, p.column) for p in out.problems) == [
        ("articles.json", 5, "sender"), ("tickets.json", 3, "create_article_type")]


SCAN = {"id": 9, "filename": "scan.png", "size": "48213", "preferences": {"Mime-Type": "image/png"}}


@pytest.mark.parametrize(("sender", "internal", "kind"), [
    ("Customer", False, EventType.CUSTOMER_MESSAGE), ("Agent", False, EventType.AGENT_REPLY),
    ("Agent", True, EventType.INTERNAL_NOTE)])
@pytest.mark.parametrize(("body", "content_type", "attachments"), [
    ("", "text/plain", [SCAN]),  # an e-mail with only an attachment
    ("<div><img src=\"/api/v1/ticket_attachment/81/104/9\"></div>", "text/html", []),  # an inline screenshot
    ("<div>&nbsp;</div>", "text/html", [SCAN])])
def test_an_article_with_only_a_screenshot_is_the_message_it_is(
        config: HelpdeskWebhook, sender: str, internal: bool, kind: EventType, body: str, content_type: str,
        attachments: list[dict[str, Any]]) -> None:
    """Was a 422: Zammad retried in vain, the snapshot's state changes were lost until the next webhook, and
    a new ticket was not stored."""
    sent = payload("zammad", "article_created.json")
    sent["article"].update(body=body, content_type=content_type, attachments=attachments, sender=sender,
                           internal=internal)
    sent["ticket"].update(state="open")
    mapped = zammad.webhook(sent, config, BODY_MAX)
    [e] = mapped.events
    assert (e.event_id, e.type, e.body) == ("zammad-81:article:104", kind, NO_TEXT_BODY)
    assert [c.type for c in mapped.with_changes_since(None)] == [kind, EventType.STATUS_CHANGE]


def test_an_article_with_no_text_and_no_attachment_is_empty(config: HelpdeskWebhook) -> None:
    """Zammad lists an article's attachments: one with none, no image and no words is an empty message."""
    sent = payload("zammad", "article_created.json")
    sent["article"].update(body="<div>&nbsp;</div>", attachments=[])
    with pytest.raises(PayloadError) as caught:
        zammad.webhook(sent, config, BODY_MAX)
    assert str(caught.value) == ("article.body: holds no text once its HTML is read, and article.attachments "
                                 "lists no attachment: the message is empty")


def test_imported_articles_with_attachments_only_are_messages(config: HelpdeskWebhook) -> None:
    tickets = payload("zammad", "export/tickets.json")
    articles = payload("zammad", "export/articles.json")
    first, reply = articles[0], articles[1]
    first.update(body="", attachments=[SCAN])
    reply.update(body="<p><img src=\"cid:scan.png\"></p>", content_type="text/html", attachments=[])
    articles[2].update(body=" ", attachments=[])  # nothing at all: a problem of that article alone
    recs = [Record("tickets", "tickets.json", i + 1, Node(t)) for i, t in enumerate(tickets)]
    recs += [Record("articles", "articles.json", i + 1, Node(a)) for i, a in enumerate(articles)]
    out = zammad.history(recs, config, BODY_MAX)
    made = {e.event_id: (e.type, e.body) for e in out.events}
    assert made["zammad-81:article:104"] == (EventType.CUSTOMER_MESSAGE, NO_TEXT_BODY)
    assert made["zammad-81:article:105"] == (EventType.AGENT_REPLY, NO_TEXT_BODY)
    assert "zammad-81:article:106" not in made
    assert "articles.json:3 [body]: holds no text once its HTML is read, and attachments lists no " \
           "attachment: the message is empty" in [str(p) for p in out.problems]


@pytest.mark.parametrize("state", ["merged", {"name": "removed"}])
def test_a_merged_or_removed_ticket_is_left_out_of_the_import_and_counted(
        config: HelpdeskWebhook, state: Any) -> None:
    """A duplicate merged into another ticket (or a removed one) was never solved: imported as closed it
    counted as a solved ticket, even a first-contact resolution (describe-data, training). As Zendesk's
    deleted tickets, it is left out with its articles and history and counted, not reported as a problem."""
    tickets = payload("zammad", "export/tickets.json")
    duplicate = dict(tickets[0], id=90, state=state)
    article = dict(payload("zammad", "export/articles.json")[0], id=190, ticket_id=90)
    merge = {"id": 790, "o_id": 90, "object": "Ticket", "type": "updated", "attribute": "state",
             "value_from": "open", "value_to": "merged", "created_by_id": 5,
             "created_at": "2026-05-04T12:00:00Z"}
    recs = [Record(kind, f"{kind}.json", i + 1, Node(item)) for kind, items in (
        ("tickets", [*tickets, duplicate]),
        ("articles", [article]),
        ("history", [merge])) for i, item in enumerate(items)]
    out = zammad.history(recs, config, BODY_MAX)
    assert "zammad-90" not in [t.ticket_id for t in out.tickets]
    assert not [e for e in out.events if e.ticket_id == "zammad-90"]
    assert out.skipped == {"merged tickets": 1} if state == "merged" else {"removed tickets": 1}
    assert not [p for p in out.problems if "90" in str(p)]
