"""Shared pieces: ids, extras within bounds, snapshots compared with the stored state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from core.bounds import EXTRA_TEXT_MAX
from core.enums import AuthorRole, Band, EventType, Priority, TicketStatus
from core.settings import HelpdeskWebhook
from core.text import SentimentLabel
from core.tickets import Event, Ticket
from features.text.analysis import MessageIn
from features.text.loading import load_analyser
from helpdesks import freshdesk, zammad, zendesk
from helpdesks.common import (
    NO_TEXT_BODY,
    Mapped,
    Snapshot,
    TicketState,
    Vendor,
    extras,
    hashed_event_id,
    message_text,
    split_ticket_id,
    ticket_id,
)
from helpdesks.payload import Node, PayloadError
from tests.helpdesks.conftest import BODY_MAX, payload

TICKET = Ticket.model_validate({
    "ticket_id": "zammad-7", "created_at": "2026-05-04T09:00:00Z", "channel": "email", "priority": "normal",
    "customer_id": "c@example.com", "customer_tier": "standard", "product": "p", "category": "c",
    "team": "Users", "language": "en", "assignee": None})


def test_ticket_ids_are_vendor_prefixed_and_split_back() -> None:
    assert [ticket_id(v, "7") for v in Vendor] == ["zendesk-7", "freshdesk-7", "zammad-7"]
    assert [split_ticket_id(ticket_id(v, "7-b")) for v in Vendor] == [(v, "7-b") for v in Vendor]
    assert [split_ticket_id(t) for t in ("T-1", "zendesk", "zendesk-", "kayako-7")] == [None] * 4


def test_hashed_ids_depend_on_every_identifying_field() -> None:
    one = hashed_event_id("freshdesk-1", "status_change", "2026-05-04T09:00:00", "pending")
    assert one == hashed_event_id("freshdesk-1", "status_change", "2026-05-04T09:00:00", "pending")
    assert one != hashed_event_id("freshdesk-1", "status_change", "2026-05-04T09:00:01", "pending")
    assert one != hashed_event_id("freshdesk-1", "status_change", "2026-05-04T09:00:0", "0pending")


def test_extras_keep_scalars_within_bounds() -> None:
    kept = extras({"tags": ["a", 1, None], "nested": {"a": 1}, "long": "x" * (EXTRA_TEXT_MAX + 1), "id": 5,
                   "ok": "short", "nul": "a\x00b", "huge": 2**70, "mixed": ["a", {"b": 1}]}, mapped={"id"})
    assert kept == {"tags": ["a", 1, None], "ok": "short"}


def test_changes_since_the_ticket_as_created() -> None:
    snapshot = Snapshot(datetime(2026, 5, 4, 8, tzinfo=UTC),  # before creation: moved to the creation instant
                        TicketState(TicketStatus.PENDING, Priority.NORMAL, "Users", "agent@example.com"))
    mapped = Mapped("zammad-7", TICKET, [], snapshot)
    status, assigned = mapped.with_changes_since(None)
    assert (status.type, status.status, status.at) == (EventType.STATUS_CHANGE, TicketStatus.PENDING,
                                                       TICKET.created_at)
    assert (assigned.type, assigned.team, assigned.assignee) == (EventType.REASSIGNMENT, "Users",
                                                                  "agent@example.com")
    assert Mapped("zammad-7", TICKET).with_changes_since(None) == []


def _zendesk(body: str) -> list[Event]:
    hook = payload("zendesk", "comment_added.json")
    hook["event"]["comment"]["body"] = body
    return zendesk.webhook(hook, HelpdeskWebhook(), BODY_MAX).events


def _freshdesk(body: str) -> list[Event]:
    hook = payload("freshdesk", "ticket_created.json")
    hook["freshdesk_webhook"]["ticket_description"] = body
    return freshdesk.webhook(hook, HelpdeskWebhook(), BODY_MAX).events


def _zammad(body: str, attachments: list[dict[str, object]] | None = None) -> list[Event]:
    hook = payload("zammad", "article_created.json")
    hook["article"].update(body=body, content_type="text/html", attachments=attachments or [])
    return zammad.webhook(hook, HelpdeskWebhook(), BODY_MAX).events


SCREENSHOT = [{"id": 9, "filename": "scan.png", "size": "48213", "preferences": {"Mime-Type": "image/png"}}]


@pytest.mark.parametrize("mapping", [_zendesk, _freshdesk, lambda b: _zammad(b, SCREENSHOT)])
@pytest.mark.parametrize("body", ["<p><img src=\"cid:scan.png\"></p>", "<div>&nbsp;</div>", "", " "])
def test_a_message_with_no_text_once_its_html_is_read_is_stored_as_a_message(
        mapping: Callable[[str], list[Event]], body: str) -> None:
    """An e-mail with only an attachment or a screenshot was a PayloadError: the whole webhook a 422, a new
    ticket not stored at all. It is the customer's message, with a body that says what it is."""
    [event] = mapping(body)
    assert (event.type, event.author_role, event.body) == (
        EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER, NO_TEXT_BODY)


def test_a_message_with_no_text_no_image_and_no_attachment_listed_is_empty() -> None:
    """Where the helpdesk lists a message's attachments (Zammad), a message with none and no words is
    empty; an inline image is a message."""
    assert [e.body for e in _zammad("<p><img src=\"/api/v1/ticket_attachment/81/104/9\"></p>")] == [
        NO_TEXT_BODY]
    for body in ("<div>&nbsp;</div>", ""):
        with pytest.raises(PayloadError) as caught:
            _zammad(body)
        assert (caught.value.path, caught.value.problem) == ("article.body", (
            "holds no text once its HTML is read, and article.attachments lists no attachment: the message "
            "is empty"))


@pytest.mark.parametrize(("body", "attachments", "read"), [
    ("Hello <b>there</b>", None, "Hello there"),
    ("<p><img src=\"cid:scan.png\"></p>", None, NO_TEXT_BODY),
    ("<p><img src=\"cid:scan.png\"></p>", [], NO_TEXT_BODY),
    ("", None, NO_TEXT_BODY),
    ("\n", [{"id": 1}], NO_TEXT_BODY),
    (None, [{"id": 1}], NO_TEXT_BODY),
])
def test_message_text(body: object, attachments: object, read: str) -> None:
    listed = None if attachments is None else Node(attachments, "comment.attachments")
    assert message_text(Node(body, "comment.body"), BODY_MAX, attachments=listed) == read


@pytest.mark.parametrize("attachments", [None, []])
def test_a_body_that_is_absent_without_attachments_is_missing(attachments: object) -> None:
    listed = None if attachments is None else Node(attachments, "comment.attachments")
    with pytest.raises(PayloadError) as caught:
        message_text(Node(None, "comment.body"), BODY_MAX, attachments=listed)
    assert (caught.value.path, caught.value.problem) == (
        "comment.body", "is missing; the payload must carry it")


def test_the_body_of_a_message_with_no_text_is_neutral_to_the_analysis() -> None:
    """It says what the message is without a word the analysis would read as the customer's: no signal, not
    negative, read as English whatever the ticket's language ("[attachment]" alone was detected as German)."""
    analyser = load_analyser()
    for lang in (None, "en", "de", "no"):
        [found] = analyser.analyse([MessageIn(NO_TEXT_BODY, fallback_lang=lang)])
        assert found.sentiment is not None, "the default analyser loads the sentiment model"
        assert (found.lang, found.signals, found.sentiment.label) == ("en", (), SentimentLabel.NEUTRAL)


def _note_comes_back(vendor: str, public: bool) -> Mapped:
    """The webhook each helpdesk sends when write-back's note (helpdesks/writeback) lands on its ticket, as
    the note was posted (Freshdesk's HTML, with <br>); `public`: the same text as a public message."""
    from helpdesks.writeback import Writeback
    from helpdesks.writeback.freshdesk import FreshdeskClient
    from tests.helpdesks.conftest import payload

    note = Writeback(ticket=1, assessment_id=4711, risk_percent=81, band=Band.HIGH, tag_prefix="escalation-",
                     note="Escalation risk rose to HIGH (was low).\nThe customer wrote: 'I want a manager'")
    if vendor == "zendesk":
        body = payload("zendesk", "comment_added.json")
        body["event"]["comment"] |= {"body": note.note_text(), "is_public": public,
                                     "author": {"id": "99", "is_staff": True, "name": "Escalation bot"}}
        return zendesk.webhook(body, HelpdeskWebhook(), 5_000)
    if vendor == "freshdesk":
        body = payload("freshdesk", "ticket_created.json")
        body["freshdesk_webhook"] |= {
            "triggered_event": "{reply_sent:sent}" if public else "{note_type:private}",
            "ticket_updated_at": "2026-05-04T10:00:00Z",
            "ticket_latest_private_comment": FreshdeskClient.note_body(note),
            "ticket_latest_public_comment": FreshdeskClient.note_body(note)}
        return freshdesk.webhook(body, HelpdeskWebhook(), 5_000)
    body = payload("zammad", "article_created.json")
    body["article"] |= {"body": note.note_text(), "content_type": "text/plain", "internal": not public,
                        "sender": "Agent", "type": "note", "id": 105}
    return zammad.webhook(body, HelpdeskWebhook(), 5_000)


@pytest.mark.parametrize("vendor", ["zendesk", "freshdesk", "zammad"])
def test_write_backs_own_note_coming_back_is_no_event_of_the_ticket(vendor: str) -> None:
    """The helpdesk sends write-back's internal note back with the webhook the set-up subscribes to (Zendesk's
    comment_added, Freshdesk's "Note is added", Zammad's article trigger): it was stored as an agent's
    internal note, counted among the ticket's `internal_notes` — the risk it reported moved by its own note —
    with the customer's words it quotes stored a second time."""
    assert [e.type for e in _note_comes_back(vendor, public=False).events] == []
    # a public message holding the marker's text is the customer's or an agent's own: still an event
    assert len(_note_comes_back(vendor, public=True).events) == 1
