"""Freshdesk contract: an automation rule's webhook (the documented template) and an API export."""

from __future__ import annotations

from typing import Any

import pytest

from core.enums import AuthorRole, Channel, EventType, Priority, TicketStatus
from core.settings import HelpdeskWebhook
from helpdesks import freshdesk
from helpdesks.common import NO_TEXT_BODY
from helpdesks.exports import Record
from helpdesks.payload import Node, PayloadError
from tests.helpdesks.conftest import BODY_MAX, payload


def hook(triggered: str, **fields: Any) -> dict[str, Any]:
    body = payload("freshdesk", "ticket_created.json")
    body["freshdesk_webhook"].update(
        {"triggered_event": triggered, "ticket_updated_at": "2026-05-04T12:00:00Z", **fields})
    return body


def test_a_created_ticket_with_its_description_as_first_customer_message(config: HelpdeskWebhook) -> None:
    mapped = freshdesk.webhook(payload("freshdesk", "ticket_created.json"), config, BODY_MAX)
    t = mapped.ticket
    assert mapped.ticket_id == t.ticket_id == "freshdesk-12"
    assert (t.channel, t.priority, t.customer_id, t.team, t.assignee, t.subject) == (
        Channel.EMAIL, Priority.NORMAL, "emily@example.com", "Billing", "jacob@acme.example",
        "Refund not received")
    assert t.model_extra is not None and t.model_extra["ticket_tags"] == "refund,router"
    assert "ticket_latest_public_comment" not in t.model_extra
    [e] = mapped.events
    assert (e.event_id, e.type, e.author_role, e.at) == (
        "freshdesk-12:description:0", EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER, t.created_at)
    assert e.body == "I returned the router two weeks ago and still no refund."  # HTML read as text


def test_status_priority_and_assignment_triggers(config: HelpdeskWebhook) -> None:
    [status] = freshdesk.webhook(hook("{status:{from:Open,to:Waiting on Customer}}",
                                      ticket_status="Waiting on Customer"), config, BODY_MAX).events
    assert (status.type, status.status, str(status.at)) == (
        EventType.STATUS_CHANGE, TicketStatus.PENDING, "2026-05-04 12:00:00+00:00")
    urgent = hook("{priority:{from:Medium,to:Urgent}}", ticket_priority="Urgent")
    [priority] = freshdesk.webhook(urgent, config, BODY_MAX).events
    assert priority.priority is Priority.URGENT
    anna = hook("{responder_id:{from:Jacob,to:Anna}}", ticket_agent_email="anna@acme.example")
    [agent] = freshdesk.webhook(anna, config, BODY_MAX).events
    assert (agent.type, agent.assignee, agent.team) == (
        EventType.REASSIGNMENT, "anna@acme.example", "Billing")


@pytest.mark.parametrize(("triggered", "kind", "role", "body"), [
    ("{customer_reply:received}", EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER, "Still nothing!"),
    ("{reply_sent:sent}", EventType.AGENT_REPLY, AuthorRole.AGENT, "Still nothing!"),
    ("{note_type:private}", EventType.INTERNAL_NOTE, AuthorRole.AGENT, "escalate to finance"),
])
def test_replies_and_notes(config: HelpdeskWebhook, triggered: str, kind: EventType, role: AuthorRole,
                           body: str) -> None:
    body_ = hook(triggered, ticket_latest_public_comment="<p>Still nothing!</p>",
                 ticket_latest_private_comment="escalate to finance")
    [e] = freshdesk.webhook(body_, config, BODY_MAX).events
    assert (e.type, e.author_role, e.body) == (kind, role, body)


def test_event_ids_are_stable_for_a_retry_and_differ_for_a_new_update(config: HelpdeskWebhook) -> None:
    first = freshdesk.webhook(hook("{customer_reply:received}", ticket_latest_public_comment="Any update?"),
                              config, BODY_MAX).events[0]
    again = freshdesk.webhook(hook("{customer_reply:received}", ticket_latest_public_comment="Any update?"),
                              config, BODY_MAX).events[0]
    later = freshdesk.webhook(hook("{customer_reply:received}", ticket_latest_public_comment="Any update?",
                                   ticket_updated_at="2026-05-04T13:00:00Z"), config, BODY_MAX).events[0]
    assert first.event_id == again.event_id and first.event_id.startswith("freshdesk-12:customer_message:")
    assert later.event_id != first.event_id


def test_a_comments_event_id_comes_from_its_text_as_sent_not_as_mapped(config: HelpdeskWebhook) -> None:
    """A retry mapped with another text limit (or by a release that maps text differently) is the same
    comment: the same id, so it is stored once, not twice."""
    sent = hook("{customer_reply:received}", ticket_latest_public_comment="<p>No refund, third time!</p>")
    [full] = freshdesk.webhook(sent, config, BODY_MAX).events
    [clipped] = freshdesk.webhook(sent, config, 12).events
    assert full.body != clipped.body and full.event_id == clipped.event_id


def test_unmapped_triggers_carry_the_ticket_only(config: HelpdeskWebhook) -> None:
    assert freshdesk.webhook(hook("{tags:{added:vip}}"), config, BODY_MAX).events == []


@pytest.mark.parametrize("triggered", ["{ticket_action:deleted}", "{ticket_action:spam}",
                                       "{ticket_action:marked_as_spam}", "{ticket_action: Deleted }"])
def test_a_deleted_or_spam_ticket_is_withdrawn(config: HelpdeskWebhook, triggered: str) -> None:
    """A rule on "Ticket is deleted / marked as spam" sends `ticket_action` as a creation rule does: it was
    taken for the ticket's creation (its description again), and the ticket stayed on the board."""
    [e] = freshdesk.webhook(hook(triggered), config, BODY_MAX).events
    assert (e.type, e.status, e.author_role) == (EventType.STATUS_CHANGE, TicketStatus.WITHDRAWN,
                                                 AuthorRole.AGENT)
    assert e.event_id.startswith("freshdesk-12:status_change:")
    [again] = freshdesk.webhook(hook(triggered), config, BODY_MAX).events
    assert again.event_id == e.event_id  # a retry is stored once


@pytest.mark.parametrize("triggered", ["{ticket_action:restored}", "{ticket_action:unspam}"])
def test_a_restored_ticket_takes_its_status_again(config: HelpdeskWebhook, triggered: str) -> None:
    [e] = freshdesk.webhook(hook(triggered, ticket_status="Pending"), config, BODY_MAX).events
    assert (e.type, e.status) == (EventType.STATUS_CHANGE, TicketStatus.PENDING)


def test_another_ticket_action_is_taken_for_the_creation(config: HelpdeskWebhook) -> None:
    """The description's id is fixed: sent again with any other action, it is stored once."""
    [e] = freshdesk.webhook(hook("{ticket_action:linked}"), config, BODY_MAX).events
    assert (e.event_id, e.type) == ("freshdesk-12:description:0", EventType.CUSTOMER_MESSAGE)


@pytest.mark.parametrize("triggered", ["{customer_reply:received}", "{reply_sent:sent}",
                                       "{status:{from:Open,to:Closed}}", "{ticket_action:deleted}"])
@pytest.mark.parametrize("updated", [None, ""])
def test_an_update_without_its_time_is_refused_not_dated_at_the_creation(
        config: HelpdeskWebhook, triggered: str, updated: str | None) -> None:
    """A template whose update-time placeholder is missing or renders empty dated every reply and change at
    the ticket's creation: an agent's reply days later met the first response at once. A 422 names the key."""
    body = hook(triggered, ticket_latest_public_comment="Any news?", ticket_status="Closed")
    body["freshdesk_webhook"]["ticket_updated_at"] = updated
    with pytest.raises(PayloadError) as caught:
        freshdesk.webhook(body, config, BODY_MAX)
    assert str(caught.value) == (
        "freshdesk_webhook.ticket_updated_at: is missing: it dates the reply, note or change (the creation "
        "time would date it when the ticket was created); put the rule's update time placeholder in the "
        "template: docs/helpdesks/freshdesk.md")


def test_a_new_ticket_needs_no_update_time(config: HelpdeskWebhook) -> None:
    body = payload("freshdesk", "ticket_created.json")
    del body["freshdesk_webhook"]["ticket_updated_at"]
    [e] = freshdesk.webhook(body, config, BODY_MAX).events
    assert e.event_id == "freshdesk-12:description:0"
    body["freshdesk_webhook"]["triggered_event"] = "{tags:{added:vip}}"  # maps to no event: no time needed
    assert freshdesk.webhook(body, config, BODY_MAX).events == []


def test_a_creation_rule_without_a_triggered_event_sends_the_description(config: HelpdeskWebhook) -> None:
    [e] = freshdesk.webhook(hook(""), config, BODY_MAX).events
    assert (e.event_id, e.type) == ("freshdesk-12:description:0", EventType.CUSTOMER_MESSAGE)


@pytest.mark.parametrize(("change", "path"), [
    (lambda b: b.pop("freshdesk_webhook"), "freshdesk_webhook"),
    (lambda b: b["freshdesk_webhook"].update(ticket_status="Escalated to L2",
                                             triggered_event="{status:{from:Open,to:Escalated to L2}}"),
     "freshdesk_webhook.ticket_status"),
    (lambda b: b["freshdesk_webhook"].update(ticket_source="Carrier pigeon"),
     "freshdesk_webhook.ticket_source"),
    (lambda b: b["freshdesk_webhook"].pop("ticket_created_at"), "freshdesk_webhook.ticket_created_at"),
    (lambda b: b["freshdesk_webhook"].update(ticket_requester_email=""),
     "freshdesk_webhook.ticket_requester_email"),
    # a ticket id is a positive whole number: these became freshdesk-nan, freshdesk-1.5, freshdesk--5
    (lambda b: b["freshdesk_webhook"].update(ticket_id=float("nan")), "freshdesk_webhook.ticket_id"),
    (lambda b: b["freshdesk_webhook"].update(ticket_id=1.5), "freshdesk_webhook.ticket_id"),
    (lambda b: b["freshdesk_webhook"].update(ticket_id=-5), "freshdesk_webhook.ticket_id"),
    (lambda b: b["freshdesk_webhook"].update(ticket_id="0"), "freshdesk_webhook.ticket_id"),
])
def test_a_payload_that_cannot_be_mapped_names_the_path(config: HelpdeskWebhook, change: Any,
                                                       path: str) -> None:
    body = payload("freshdesk", "ticket_created.json")
    change(body)
    with pytest.raises(PayloadError) as caught:
        freshdesk.webhook(body, config, BODY_MAX)
    assert caught.value.path == path, str(caught.value)


def test_custom_statuses_are_mapped_by_settings() -> None:
    config = HelpdeskWebhook.model_validate({"statuses": {"Escalated to L2": "on_hold"}})
    [e] = freshdesk.webhook(hook("{status:{from:Open,to:Escalated to L2}}", ticket_status="Escalated to L2"),
                            config, BODY_MAX).events
    assert e.status is TicketStatus.ON_HOLD


def test_export_tickets_and_conversations(config: HelpdeskWebhook) -> None:
    recs = [Record("tickets", "tickets.json", i + 1, Node(t))
            for i, t in enumerate(payload("freshdesk", "export/tickets.json"))]
    recs += [Record("conversations", "conversations/12.json", i + 1, Node(c))
             for i, c in enumerate(payload("freshdesk", "export/conversations/12.json"))]
    out = freshdesk.history(recs, config, BODY_MAX)
    assert [t.ticket_id for t in out.tickets] == ["freshdesk-12", "freshdesk-13"]
    first = out.tickets[0]
    assert (first.channel, first.priority, first.team, first.assignee) == (
        Channel.EMAIL, Priority.NORMAL, "9", "77")
    # the helpdesk's SLA fields (due dates, its escalation flag) are not imported; other fields are kept
    assert first.model_extra is not None and first.model_extra["type"] == "Refund"
    assert not {"due_by", "fr_due_by", "is_escalated", "custom_fields"} & set(first.model_extra)
    events = [(e.event_id, e.type, e.author_role) for e in out.events if e.ticket_id == "freshdesk-12"]
    assert events == [
        ("freshdesk-12:description:0", EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER),
        ("freshdesk-12:status:2026-05-05T15:00:00+00:00", EventType.STATUS_CHANGE, AuthorRole.AGENT),
        ("freshdesk-12:conversation:9101", EventType.AGENT_REPLY, AuthorRole.AGENT),
        ("freshdesk-12:conversation:9102", EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER),
        ("freshdesk-12:conversation:9103", EventType.INTERNAL_NOTE, AuthorRole.AGENT),
    ]
    assert [str(p) for p in out.problems] == [
        "tickets.json:3 [created_at]: 'yesterday' is not an ISO 8601 instant such as 2026-05-04T09:13:27Z"]


@pytest.mark.parametrize(("field", "status"), [("spam", 5), ("deleted", 2), ("spam", "Resolved")])
def test_an_exported_spam_or_deleted_ticket_is_withdrawn(config: HelpdeskWebhook, field: str,
                                                         status: Any) -> None:
    """Freshdesk's export says spam or deleted beside the status (closed, open, resolved …): the ticket was
    never solved, so its one status change is `withdrawn`, at its update time."""
    exported = payload("freshdesk", "export/tickets.json")[0] | {field: True, "status": status}
    record = Record("tickets", "tickets.json", 1, Node(exported))
    events = freshdesk.history([record], config, BODY_MAX).events
    [change] = [e for e in events if e.type is EventType.STATUS_CHANGE]
    assert (change.status, change.event_id) == (
        TicketStatus.WITHDRAWN, "freshdesk-12:status:2026-05-05T15:00:00+00:00")


@pytest.mark.parametrize("source", ["Outbound Email", "10"])
def test_an_outbound_emails_description_is_the_agents_words(config: HelpdeskWebhook, source: str) -> None:
    """An outbound e-mail's ticket starts with the agent's message to the customer: it was stored as the
    customer's first message (their words, their wait for a reply)."""
    sent = payload("freshdesk", "ticket_created.json")
    sent["freshdesk_webhook"].update(ticket_source=source,
                                     ticket_description="<p>Your replacement router has shipped.</p>")
    mapped = freshdesk.webhook(sent, config, BODY_MAX)
    [e] = mapped.events
    assert mapped.ticket.channel is Channel.EMAIL
    assert (e.event_id, e.type, e.author_role, e.author_id, e.body) == (
        "freshdesk-12:description:0", EventType.AGENT_REPLY, AuthorRole.AGENT, "jacob@acme.example",
        "Your replacement router has shipped.")
    exported = payload("freshdesk", "export/tickets.json")[0] | {"source": 10, "status": 2}
    [imported] = freshdesk.history([Record("tickets", "tickets.json", 1, Node(exported))], config,
                                   BODY_MAX).events
    assert (imported.event_id, imported.type, imported.author_role, imported.author_id) == (
        "freshdesk-12:description:0", EventType.AGENT_REPLY, AuthorRole.AGENT, "77")


@pytest.mark.parametrize("description", ["<div><img src=\"https://acme.freshdesk.com/inline/scan.png\"></div>",
                                         "<div>&nbsp;</div>", ""])
def test_a_new_ticket_whose_description_is_only_a_screenshot_is_its_first_message(
        config: HelpdeskWebhook, description: str) -> None:
    """Was a 422 (the ticket not stored at all) or, blank, a ticket with no first message. The template
    sends no attachments, so a description with no words is taken as one with a file."""
    sent = payload("freshdesk", "ticket_created.json")
    sent["freshdesk_webhook"]["ticket_description"] = description
    [e] = freshdesk.webhook(sent, config, BODY_MAX).events
    assert (e.event_id, e.type, e.author_role, e.body) == (
        "freshdesk-12:description:0", EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER, NO_TEXT_BODY)


@pytest.mark.parametrize(("triggered", "kind"), [
    ("{customer_reply:received}", EventType.CUSTOMER_MESSAGE), ("{reply_sent:sent}", EventType.AGENT_REPLY),
    ("{note_type:private}", EventType.INTERNAL_NOTE)])
@pytest.mark.parametrize("comment", ["<p><img src=\"cid:scan.png\"></p>", ""])
def test_a_reply_or_note_with_only_a_screenshot_is_the_message_it_is(
        config: HelpdeskWebhook, triggered: str, kind: EventType, comment: str) -> None:
    """Was a 422 ('holds no text …', or blank: 'is missing'): Freshdesk retried in vain."""
    sent = hook(triggered, ticket_latest_public_comment=comment, ticket_latest_private_comment=comment)
    [e] = freshdesk.webhook(sent, config, BODY_MAX).events
    assert (e.type, e.body) == (kind, NO_TEXT_BODY) and e.event_id.startswith(f"freshdesk-12:{kind.value}:")
    assert freshdesk.webhook(sent, config, BODY_MAX).events[0].event_id == e.event_id  # a retry: stored once


def test_imported_messages_with_attachments_only_are_messages_and_one_with_nothing_a_problem(
        config: HelpdeskWebhook) -> None:
    """The API lists a description's and a conversation's attachments: blank with a file is a message (the
    description was left out, a conversation a problem); no words, no image, no file is an empty one."""
    ticket = payload("freshdesk", "export/tickets.json")[0] | {
        "description": "", "description_text": "", "status": 2,
        "attachments": [{"id": 5, "name": "scan.png", "content_type": "image/png", "size": 48213}]}
    screenshot, blank, empty = payload("freshdesk", "export/conversations/12.json")
    screenshot.update(body="<div><img src=\"https://acme.freshdesk.com/inline/x.png\"></div>", body_text="",
                      attachments=[])
    blank.update(body="", body_text="", attachments=[{"id": 6, "name": "receipt.pdf"}])
    empty.update(body="<div>&nbsp;</div>", body_text=" ", attachments=[])
    out = freshdesk.history([Record("tickets", "tickets.json", 1, Node(ticket))] + [
        Record("conversations", "conversations/12.json", i + 1, Node(c))
        for i, c in enumerate([screenshot, blank, empty])], config, BODY_MAX)
    assert [(e.event_id, e.type, e.body) for e in out.events] == [
        ("freshdesk-12:description:0", EventType.CUSTOMER_MESSAGE, NO_TEXT_BODY),
        ("freshdesk-12:conversation:9101", EventType.AGENT_REPLY, NO_TEXT_BODY),
        ("freshdesk-12:conversation:9102", EventType.CUSTOMER_MESSAGE, NO_TEXT_BODY),
    ]
    assert [str(p) for p in out.problems] == [
        "conversations/12.json:3 [body]: holds no text once its HTML is read, and attachments lists no "
        "attachment: the message is empty"]
