"""Zendesk contract: ticket-event webhooks (zen:event-type:ticket.*) and an incremental export with audits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.enums import AuthorRole, Channel, EventType, Priority, TicketStatus
from core.settings import HelpdeskWebhook
from helpdesks import zendesk
from helpdesks.common import NO_TEXT_BODY
from helpdesks.exports import Record
from helpdesks.payload import Node, PayloadError
from tests.helpdesks.conftest import BODY_MAX, payload


def hook(kind: str, event: dict[str, Any] | None = None, **detail: Any) -> dict[str, Any]:
    body = payload("zendesk", "comment_added.json")
    body["type"] = f"zen:event-type:ticket.{kind}"
    if event is not None:
        body["event"] = event
    body["detail"].update(detail)
    return body


def test_a_customer_comment_is_a_customer_message_on_the_vendor_prefixed_ticket(
    config: HelpdeskWebhook,
) -> None:
    mapped = zendesk.webhook(payload("zendesk", "comment_added.json"), config, BODY_MAX)
    t = mapped.ticket
    assert mapped.ticket_id == t.ticket_id == "zendesk-35436"
    assert (t.channel, t.priority, t.customer_id, t.team, t.assignee) == (
        Channel.EMAIL, Priority.HIGH, "8447388090111", "billing", "8447388090494")
    assert (t.customer_tier, t.product, t.category, t.language) == ("gold", "invoicing", "billing", "en")
    assert t.created_at == datetime(2026, 5, 4, 9, tzinfo=UTC) and t.subject == "Charged twice"
    # unknown fields are kept as extras; the description (message text) and nested objects are not
    assert t.model_extra is not None
    assert t.model_extra["tags"] == ["billing", "vip"] and t.model_extra["brand_id"] == "8447346621310"
    assert not {"description", "via", "updated_at"} & set(t.model_extra)  # text, nested, a later fact
    [e] = mapped.events
    assert (e.event_id, e.type, e.author_role, e.author_id) == (
        "zendesk-35436:comment:9001", EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER, "8447388090111")
    assert e.body is not None and e.body.startswith("I was charged twice")
    assert e.at == datetime(2026, 5, 4, 10, 12, 7, 672717, tzinfo=UTC)  # nanoseconds cut to microseconds


@pytest.mark.parametrize(("staff", "public", "kind", "role"), [
    (True, True, EventType.AGENT_REPLY, AuthorRole.AGENT),
    (True, False, EventType.INTERNAL_NOTE, AuthorRole.AGENT),
    (False, True, EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER),
])
def test_comment_author_and_visibility(config: HelpdeskWebhook, staff: bool, public: bool, kind: EventType,
                                       role: AuthorRole) -> None:
    body = payload("zendesk", "comment_added.json")
    body["event"]["comment"]["author"]["is_staff"] = staff
    body["event"]["comment"]["is_public"] = public
    [e] = zendesk.webhook(body, config, BODY_MAX).events
    assert (e.type, e.author_role) == (kind, role)


def test_changes_are_events_with_the_webhook_event_id(config: HelpdeskWebhook) -> None:
    [status] = zendesk.webhook(hook("status_changed", {"current": "SOLVED", "previous": "OPEN"}), config,
                               BODY_MAX).events
    assert (status.type, status.status) == (EventType.STATUS_CHANGE, TicketStatus.SOLVED)
    assert status.event_id == "zendesk-35436:status:cbe4028c-7239-495d-b020-f22348516046"
    [hold] = zendesk.webhook(hook("status_changed", {"current": "HOLD"}), config, BODY_MAX).events
    assert hold.status is TicketStatus.ON_HOLD
    [priority] = zendesk.webhook(hook("priority_changed", {"current": "URGENT", "previous": "HIGH"}), config,
                                 BODY_MAX).events
    assert (priority.type, priority.priority) == (EventType.PRIORITY_CHANGE, Priority.URGENT)
    [agent] = zendesk.webhook(hook("agent_assignment_changed", {"current": {"id": "77"}}, assignee_id="77"),
                              config, BODY_MAX).events
    assert (agent.type, agent.assignee, agent.team) == (EventType.REASSIGNMENT, "77", "billing")
    [group] = zendesk.webhook(hook("group_assignment_changed", {}, group_id="555"), config, BODY_MAX).events
    assert group.team == "555"  # a group the settings do not name is its id


@pytest.mark.parametrize("kind", ["soft_deleted", "permanently_deleted", "marked_as_spam", "merged"])
def test_a_deleted_spam_or_merged_ticket_is_withdrawn(config: HelpdeskWebhook, kind: str) -> None:
    """Deleted, marked as spam or merged into another ticket while the service watches it: `withdrawn`
    (neither open nor solved). A merge was unmapped: Zendesk closes the ticket it merges away, and through
    `ticket.status_changed` alone the duplicate read as closed, a solve."""
    [status] = zendesk.webhook(hook(kind, {}), config, BODY_MAX).events
    assert (status.type, status.status) == (EventType.STATUS_CHANGE, TicketStatus.WITHDRAWN)
    assert status.event_id == f"zendesk-35436:{kind}:cbe4028c-7239-495d-b020-f22348516046"


def test_a_status_change_to_deleted_is_a_withdrawal_not_a_422(config: HelpdeskWebhook) -> None:
    """Zendesk's ticket status `deleted` (a soft-deleted ticket, as the export shows it) was no status we
    could map: a 422, which Zendesk retries in vain, where the ticket had left the queue unsolved."""
    [status] = zendesk.webhook(hook("status_changed", {"current": "DELETED", "previous": "OPEN"}), config,
                               BODY_MAX).events
    assert (status.type, status.status) == (EventType.STATUS_CHANGE, TicketStatus.WITHDRAWN)


def test_an_undeleted_ticket_takes_its_status_again(config: HelpdeskWebhook) -> None:
    [status] = zendesk.webhook(hook("undeleted", {}, status="OPEN"), config, BODY_MAX).events
    assert (status.type, status.status) == (EventType.STATUS_CHANGE, TicketStatus.OPEN)
    assert status.event_id == "zendesk-35436:undeleted:cbe4028c-7239-495d-b020-f22348516046"


def test_other_ticket_events_carry_the_ticket_only(config: HelpdeskWebhook) -> None:
    mapped = zendesk.webhook(hook("tags_changed", {"tags_added": ["x"]}), config, BODY_MAX)
    assert mapped.events == [] and mapped.ticket.ticket_id == "zendesk-35436"


@pytest.mark.parametrize(("change", "path", "words"), [
    (lambda b: b["detail"]["via"].update(channel="carrier_pigeon"), "detail.via.channel",
     "ESCALATION_HELPDESKS__ZENDESK__CHANNELS"),
    (lambda b: b.update(type="zen:event-type:user.active_changed"), "type", "no ticket event"),
    (lambda b: b["detail"].pop("requester_id"), "detail.requester_id", "missing"),
    (lambda b: b.update(time="last tuesday"), "time", "ISO 8601"),
    (lambda b: b["detail"].update(created_at="2026-05-04T09:00:00"), "detail.created_at", "no time zone"),
    (lambda b: b["detail"].update(priority="meh"), "detail.priority", "Zendesk priority"),
    (lambda b: b["event"]["comment"].pop("id"), "event.comment.id", "missing"),
    (lambda b: b["detail"].update(id="35 436"), "detail.id", "not an id"),
    (lambda b: b["detail"].update(id=float("nan")), "detail.id", "positive whole number"),
    (lambda b: b["detail"].update(id=-35436), "detail.id", "positive whole number"),
    (lambda b: b["detail"].update(requester_id="x" * 300), "detail.requester_id", "at most 200"),
])
def test_a_payload_that_cannot_be_mapped_names_the_path(config: HelpdeskWebhook, change: Any, path: str,
                                                       words: str) -> None:
    body = payload("zendesk", "comment_added.json")
    change(body)
    with pytest.raises(PayloadError) as caught:
        zendesk.webhook(body, config, BODY_MAX)
    assert caught.value.path == path and words in str(caught.value), str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")


def test_a_team_maps_its_own_channels_and_statuses() -> None:
    config = HelpdeskWebhook.model_validate({"channels": {"Carrier_Pigeon": "chat"},
                                             "statuses": {"limbo": "on_hold"}})
    body = hook("status_changed", {"current": "LIMBO"})
    body["detail"]["via"]["channel"] = "carrier_pigeon"
    mapped = zendesk.webhook(body, config, BODY_MAX)
    assert mapped.ticket.channel is Channel.CHAT and mapped.events[0].status is TicketStatus.ON_HOLD


def test_texts_are_kept_within_bounds(config: HelpdeskWebhook) -> None:
    body = payload("zendesk", "comment_added.json")
    body["event"]["comment"]["body"] = "<p>too long</p>" + "x" * 200
    body["detail"]["subject"] = "s" * 5_000
    body["detail"]["huge_custom_text"] = "y" * 5_000  # out of bounds for an extra field: left out
    mapped = zendesk.webhook(body, config, body_max=100)
    body_text = mapped.events[0].body or ""
    assert len(body_text) == 100 and body_text.startswith("too long")
    assert len(mapped.ticket.subject) == 1_000
    assert "huge_custom_text" not in (mapped.ticket.model_extra or {})


def records(vendor_records: dict[str, list[Any]]) -> list[Record]:
    return [Record(kind, f"{kind}.json", i + 1, Node(item)) for kind, items in vendor_records.items()
            for i, item in enumerate(items)]


def test_export_tickets_and_audits(config: HelpdeskWebhook) -> None:
    tickets = payload("zendesk", "export/tickets.json")
    audits = payload("zendesk", "export/ticket_audits.json")
    out = zendesk.history(records({"tickets": tickets["tickets"], "users": tickets["users"],
                                   "audits": audits["audits"]}), config, BODY_MAX)
    assert [t.ticket_id for t in out.tickets] == ["zendesk-35436", "zendesk-35437"]
    first = out.tickets[0]
    # the export holds the ticket as it is now; its first audit's Create events say how it was created
    assert (first.priority, first.team) == (Priority.NORMAL, "billing")
    assert out.tickets[1].priority is Priority.NORMAL and out.tickets[1].team == "support"
    assert out.skipped == {"deleted tickets": 1}
    kinds = [(e.event_id, e.type, e.author_role) for e in out.events if e.ticket_id == "zendesk-35436"]
    assert kinds[:4] == [
        ("zendesk-35436:comment:9000", EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER),
        ("zendesk-35436:comment:9002", EventType.AGENT_REPLY, AuthorRole.AGENT),
        ("zendesk-35436:audit:6004", EventType.STATUS_CHANGE, AuthorRole.AGENT),
        ("zendesk-35436:audit:6005", EventType.REASSIGNMENT, AuthorRole.AGENT),
    ]
    # the webhook's comment and the export's are one event: importing after webhooks stores it once
    assert "zendesk-35436:comment:9001" in [e.event_id for e in out.events]
    assert ("zendesk-35436:comment:9003", EventType.INTERNAL_NOTE, AuthorRole.AGENT) in kinds
    problems = sorted(str(p) for p in out.problems)
    assert problems == [
        "audits.json:4 [events[2].value]: 'limbo' is not a Zendesk status we can map (known: closed, "
        "deleted, hold, new, on-hold, on_hold, open, pending, solved); map it with "
        "ESCALATION_HELPDESKS__ZENDESK__STATUSES, e.g. '{\"limbo\": \"...\"}'",
        "audits.json:6 [ticket_id]: ticket 99999 is not in the export's tickets (or could not be imported)",
        f"tickets.json:4 [via.channel]: {problem_of_pigeon()}",
    ]


def problem_of_pigeon() -> str:
    with pytest.raises(PayloadError) as caught:
        zendesk._ticket(Node({"via": {"channel": "carrier_pigeon"}, "id": 1,
                              "created_at": "2026-05-04T09:00:00Z"}), HelpdeskWebhook(), None)
    return caught.value.problem


@pytest.mark.parametrize("audit", [0, 1])
def test_an_audit_whose_events_are_not_a_list_is_named_and_the_others_import(config: HelpdeskWebhook,
                                                                             audit: int) -> None:
    tickets = payload("zendesk", "export/tickets.json")
    audits = payload("zendesk", "export/ticket_audits.json")["audits"]
    mine = [i for i, a in enumerate(audits) if a["ticket_id"] == 35436]
    audits[mine[audit]]["events"] = "<p>Thanks!</p>"  # the first audit (creation values) or a later one
    out = zendesk.history(records({"tickets": tickets["tickets"], "users": tickets["users"],
                                   "audits": audits}), config, BODY_MAX)
    assert [t.ticket_id for t in out.tickets] == ["zendesk-35436", "zendesk-35437"]
    assert f"audits.json:{mine[audit] + 1} [events]: expected a list, got '<p>Thanks!</p>'" in [
        str(p) for p in out.problems]
    assert {e.ticket_id for e in out.events} == {"zendesk-35436", "zendesk-35437"}


@pytest.mark.parametrize(("staff", "public", "kind"), [
    (False, True, EventType.CUSTOMER_MESSAGE), (True, True, EventType.AGENT_REPLY),
    (True, False, EventType.INTERNAL_NOTE)])
def test_a_comment_with_only_a_screenshot_is_the_message_it_is(config: HelpdeskWebhook, staff: bool,
                                                               public: bool, kind: EventType) -> None:
    """Was a 422 ('holds no text once its HTML is read'): Zendesk retried in vain, a new ticket was lost."""
    body = payload("zendesk", "comment_added.json")
    body["event"]["comment"].update(body="<p><img src=\"https://acme.zendesk.com/attachments/token/x/scan.png\">"
                                         "</p>", is_public=public)
    body["event"]["comment"]["author"]["is_staff"] = staff
    [e] = zendesk.webhook(body, config, BODY_MAX).events
    assert (e.event_id, e.type, e.body) == ("zendesk-35436:comment:9001", kind, NO_TEXT_BODY)


def test_an_imported_comment_with_attachments_only_is_a_message_and_one_with_nothing_a_problem(
        config: HelpdeskWebhook) -> None:
    """An audit's comment lists its attachments: a blank one with a file is a message; one with no words,
    no image and no file is empty, a problem of its audit alone."""
    tickets = payload("zendesk", "export/tickets.json")
    audits = payload("zendesk", "export/ticket_audits.json")["audits"]
    first = audits[0]["events"][0]
    first.update(body="", html_body="<div class=\"zd-comment\"></div>",
                 attachments=[{"id": 77, "file_name": "invoice.pdf", "content_type": "application/pdf"}])
    later = next(e for a in audits for e in a["events"] if e["id"] == 9002)
    later.update(body=" ", attachments=[])
    out = zendesk.history(records({"tickets": tickets["tickets"], "users": tickets["users"],
                                   "audits": audits}), config, BODY_MAX)
    [message] = [e for e in out.events if e.event_id == "zendesk-35436:comment:9000"]
    assert (message.type, message.author_role, message.body) == (
        EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER, NO_TEXT_BODY)
    assert "zendesk-35436:comment:9002" not in [e.event_id for e in out.events]
    assert "audits.json:2 [events[0].body]: holds no text once its HTML is read, and events[0].attachments " \
           "lists no attachment: the message is empty" in [str(p) for p in out.problems]
