"""Zendesk's write-back client against the fake Zendesk API: its two kinds of 429 told apart — the update
limit of one ticket (30 updates per 10 minutes per user and ticket) from the account's request limit."""

from __future__ import annotations

import pytest

from core.enums import Band
from core.settings import WritebackSettings
from helpdesks.writeback import Writeback, WritebackError, clients_from, write_back
from tests.helpdesks.fake_helpdesk import RETRY_AFTER_S, TICKET_LIMITED, TOKEN, serve, writeback_config


def _writeback() -> Writeback:
    return Writeback(ticket=7, assessment_id=1, risk_percent=42, band=Band.HIGH, tag_prefix="escalation-",
                     note=None)


@pytest.mark.parametrize(("body", "ticket_only"), [(TICKET_LIMITED, True), (None, False)],
                         ids=["ticket", "account"])
def test_a_429_for_the_tickets_update_limit_is_that_tickets_alone(body: str | None,
                                                                   ticket_only: bool) -> None:
    """Zendesk's per-ticket update limit was read as the whole helpdesk's: every other ticket's write-back
    waited out the Retry-After of one busy ticket."""
    with serve("zendesk") as fake:
        settings = WritebackSettings.model_validate(writeback_config("zendesk", fake.url))
        client = clients_from(settings)["zendesk"]
        fake.fail(7, 429, body=body)
        with pytest.raises(WritebackError) as limited:
            write_back(client, _writeback())
        client.close()
    assert limited.value.rate_limited and limited.value.retry_after_s == RETRY_AFTER_S
    assert limited.value.ticket_only is ticket_only
    said = "this ticket's update limit, " if ticket_only else ""
    assert str(limited.value) == f"zendesk PUT /api/v2/tickets/7.json: HTTP 429 ({said}retry after 120 s)"
    assert TOKEN not in str(limited.value)
