"""Shared pieces: ids, extras within bounds, snapshots compared with the stored state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from core.bounds import EXTRA_TEXT_MAX
from core.enums import EventType, Priority, TicketStatus
from core.settings import HelpdeskWebhook
from core.tickets import Ticket
from helpdesks import freshdesk, zammad, zendesk
from helpdesks.common import (
    Mapped,
    Snapshot,
    TicketState,
    Vendor,
    extras,
    hashed_event_id,
    split_ticket_id,
    ticket_id,
)
from helpdesks.payload import PayloadError
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


def _zendesk(body: str) -> object:
    hook = payload("zendesk", "comment_added.json")
    hook["event"]["comment"]["body"] = body
    return zendesk.webhook(hook, HelpdeskWebhook(), BODY_MAX)


def _freshdesk(body: str) -> object:
    hook = payload("freshdesk", "ticket_created.json")
    hook["freshdesk_webhook"]["ticket_description"] = body
    return freshdesk.webhook(hook, HelpdeskWebhook(), BODY_MAX)


def _zammad(body: str) -> object:
    hook = payload("zammad", "article_created.json")
    hook["article"].update(body=body, content_type="text/html")
    return zammad.webhook(hook, HelpdeskWebhook(), BODY_MAX)


@pytest.mark.parametrize(("mapping", "path"), [
    (_zendesk, "event.comment.body"), (_freshdesk, "freshdesk_webhook.ticket_description"),
    (_zammad, "article.body")])
@pytest.mark.parametrize("body", ["<p><img src=\"cid:scan.png\"></p>", "<div>&nbsp;</div>"])
def test_a_message_with_no_text_once_its_html_is_read_names_its_path(mapping: Callable[[str], object],
                                                                    path: str, body: str) -> None:
    """An image or a blank line only was reported at `body` (the request's) as '... needs body (our field
    ticket)'."""
    with pytest.raises(PayloadError) as caught:
        mapping(body)
    assert (caught.value.path, caught.value.problem) == (path, (
        "holds no text once its HTML is read (an image or attachments only?); a message is assessed on "
        "its words"))
