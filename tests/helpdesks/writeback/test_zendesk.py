"""Zendesk's write-back client against the fake Zendesk API: its two kinds of 429 told apart — the update
limit of one ticket (30 updates per 10 minutes per user and ticket) from the account's request limit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.enums import Band
from core.settings import WritebackSettings
from helpdesks.writeback import HelpdeskClient, Writeback, WritebackError, clients_from, write_back
from tests.helpdesks.fake_helpdesk import (
    RETRY_AFTER_S,
    TICKET_LIMITED,
    TOKEN,
    ZENDESK_FIELD_ID,
    Call,
    FakeHelpdesk,
    serve,
    writeback_config,
)


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


def _client(fake: FakeHelpdesk) -> HelpdeskClient:
    return clients_from(WritebackSettings.model_validate(writeback_config("zendesk", fake.url)))["zendesk"]


def _updates(fake: FakeHelpdesk) -> list[Call]:
    """The ticket updates Zendesk counts against the ticket's update limit."""
    return [c for c in fake.calls if c.method == "PUT"]


def test_a_write_back_with_a_note_is_one_ticket_update() -> None:
    """The fields and tag went as one ticket update and the note as a second: two of the ticket's 30
    updates in 10 minutes per assessment, where Zendesk takes the comment with the fields in one."""
    with serve("zendesk") as fake:
        client = _client(fake)
        fake.tags[7] = ["vip", "escalation-low"]
        w = replace(_writeback(), note="Escalation risk rose to HIGH (was low).")
        assert write_back(client, w) == ("fields", "note")
        client.close()
    assert len(_updates(fake)) == 1
    assert fake.field_writes(7) == [42] and sorted(fake.tags[7]) == ["escalation-high", "vip"]
    assert fake.private_notes(7) == [w.note_text()] and fake.public_replies(7) == []


def test_an_update_applied_whose_answer_was_lost_is_not_posted_again() -> None:
    """Zendesk applied the update (fields, tag and note) but its answer was an error: the retry finds the
    note by its marker and makes no update at all."""
    with serve("zendesk") as fake:
        client = _client(fake)
        w = replace(_writeback(), note="rose")
        fake.fail_note(7, 500)
        with pytest.raises(WritebackError) as failed:
            write_back(client, w)
        assert failed.value.done == ()
        assert write_back(client, w, failed.value.done) == ("fields", "note")
        client.close()
    assert len(_updates(fake)) == 1 and len(fake.private_notes(7)) == 1
    assert fake.field_writes(7) == [42] and fake.fields[7] == {str(ZENDESK_FIELD_ID): 42}


@pytest.mark.parametrize(("status", "body"), [(500, None), (429, TICKET_LIMITED), (409, None)],
                         ids=["500", "ticket-429", "409"])
def test_an_update_refused_for_now_is_retried_as_one_update_with_one_note(status: int,
                                                                          body: str | None) -> None:
    with serve("zendesk") as fake:
        client = _client(fake)
        w = replace(_writeback(), note="rose")
        fake.fail(7, status, on="/7.json", body=body)
        with pytest.raises(WritebackError) as failed:
            write_back(client, w)
        assert failed.value.done == () and not failed.value.permanent
        assert failed.value.ticket_only is (body == TICKET_LIMITED)
        assert write_back(client, w, failed.value.done) == ("fields", "note")
        client.close()
    assert [c.status for c in _updates(fake)] == [status, 200]
    assert fake.field_writes(7) == [42] and len(fake.private_notes(7)) == 1


def test_a_closed_ticket_refuses_the_update_for_good_and_holds_no_note() -> None:
    with serve("zendesk") as fake:
        client = _client(fake)
        fake.fail(7, 422, on="/7.json")
        with pytest.raises(WritebackError) as refused:
            write_back(client, replace(_writeback(), note="rose"))
        client.close()
    assert refused.value.permanent and refused.value.done == ()
    assert str(refused.value) == "zendesk PUT /api/v2/tickets/7.json: HTTP 422"
    assert fake.notes[7] == [] and fake.fields[7] == {}


@pytest.mark.parametrize(("done", "fields"), [(("fields",), True), ((), False)],
                         ids=["fields-done-before", "superseded"])
def test_the_note_alone_is_one_update_without_the_fields(done: tuple[str, ...], fields: bool) -> None:
    """A retry whose fields were written by an earlier attempt (or by a release that wrote them apart), and a
    delivery superseded by a newer write-back, post the note alone: the ticket keeps the fields it has."""
    with serve("zendesk") as fake:
        client = _client(fake)
        w = replace(_writeback(), note="rose")
        assert write_back(client, w, done, fields=fields) == (*done, "note")
        client.close()
    assert len(_updates(fake)) == 1 and fake.field_writes(7) == [] and fake.tags[7] == []
    assert len(fake.private_notes(7)) == 1
