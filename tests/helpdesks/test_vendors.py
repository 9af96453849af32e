"""The vendors' one door: a webhook that maps to no event says why in the log, in fixed words and the vendor's
own names, never the payload's text."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from core.settings import Settings
from helpdesks.common import NOTE_MARKER, Vendor
from helpdesks.vendors import map_webhook
from tests.helpdesks.conftest import payload

SETTINGS = Settings.model_validate({"serving": {"sentiment": False}})
ASSESSED = "; the ticket is assessed"
FRESHDESK_HOOK = payload("freshdesk", "ticket_created.json")["freshdesk_webhook"]


def zendesk(kind: str) -> dict[str, Any]:
    body = payload("zendesk", "comment_added.json")
    body["type"] = f"zen:event-type:ticket.{kind}"
    return body


@pytest.mark.parametrize(("vendor", "body", "said"), [
    (Vendor.ZENDESK, zendesk("tags_changed"),
     "zendesk webhook of ticket zendesk-35436: event type ticket.tags_changed maps to no event" + ASSESSED),
    (Vendor.ZENDESK, zendesk("Nobody <b>knows</b> this one"),
     "zendesk webhook of ticket zendesk-35436: event type ticket.another name maps to no event" + ASSESSED),
    (Vendor.FRESHDESK, {"freshdesk_webhook": {**FRESHDESK_HOOK, "triggered_event": "{tags:{added:vip}}"}},
     "freshdesk webhook of ticket freshdesk-12: triggered event tags maps to no event" + ASSESSED),
])
def test_a_webhook_that_maps_to_no_event_says_why(vendor: Vendor, body: Any, said: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="helpdesks")
    mapped = map_webhook(vendor, body, SETTINGS)
    assert mapped.events == [] and [r.getMessage() for r in caplog.records] == [said]


def test_write_backs_own_note_is_said_and_its_text_is_not(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="helpdesks")
    body = payload("zendesk", "comment_added.json")
    body["event"]["comment"].update(is_public=False, body="Risk rose to HIGH " + NOTE_MARKER.format(7))
    assert map_webhook(Vendor.ZENDESK, body, SETTINGS).events == []
    assert [r.getMessage() for r in caplog.records] == [
        "zendesk webhook of ticket zendesk-35436: the comment is write-back's own note" + ASSESSED]


def test_a_webhook_that_maps_to_an_event_logs_nothing_here(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="helpdesks")
    assert len(map_webhook(Vendor.ZENDESK, payload("zendesk", "comment_added.json"), SETTINGS).events) == 1
    assert caplog.records == []
