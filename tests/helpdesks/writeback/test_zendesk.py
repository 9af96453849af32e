"""Zendesk's write-back client against the fake Zendesk API: its two kinds of 429 told apart — the update
limit of one ticket (30 updates per 10 minutes per user and ticket) from the account's request limit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.enums import Band
from core.settings import WritebackSettings
from helpdesks.writeback import HelpdeskClient, Writeback, WritebackError, clients_from, write_back
from helpdesks.writeback.zendesk import SAFE_UPDATE_TRIES
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
        fake.fail(7, 429, method="PUT", body=body)
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


def test_the_update_sets_the_whole_tag_list_as_of_the_ticket_it_read() -> None:
    """`additional_tags` and `remove_tags` work with Zendesk's bulk Update Many only: in the update of one
    ticket they do nothing, so the band tag was never written. The update now sends the ticket's tags with
    the band's swapped (`tags` replaces them), as a safe update of the ticket as read."""
    with serve("zendesk") as fake:
        client = _client(fake)
        fake.tags[7] = ["vip", "escalation-low", "billing"]
        write_back(client, _writeback())
        client.close()
    [update] = _updates(fake)
    assert update.body["ticket"]["tags"] == ["vip", "billing", "escalation-high"]
    assert update.body["ticket"]["safe_update"] is True
    assert update.body["ticket"]["updated_stamp"] == "2026-05-04T09:00:00Z"  # the ticket's updated_at read
    assert "additional_tags" not in update.body["ticket"] and "remove_tags" not in update.body["ticket"]
    assert fake.tags[7] == ["vip", "billing", "escalation-high"]


def test_a_ticket_changed_between_read_and_update_is_read_again_and_keeps_the_agents_tag() -> None:
    """An agent tagged the ticket between our read of its tags and our update: a plain update would have
    removed that tag. The safe update is refused (409), and the write-back reads the ticket again and
    updates it once, in the same attempt."""
    with serve("zendesk") as fake:
        client = _client(fake)
        fake.tags[7] = ["vip", "escalation-low"]
        fake.change_after_read(7, "urgent")
        w = replace(_writeback(), note="rose")
        assert write_back(client, w) == ("fields", "note")
        client.close()
    assert [c.status for c in _updates(fake)] == [409, 200]
    assert sorted(fake.tags[7]) == ["escalation-high", "urgent", "vip"]
    assert fake.field_writes(7) == [42] and len(fake.private_notes(7)) == 1


def test_a_ticket_changing_on_every_read_is_left_to_the_outbox_retry() -> None:
    """Each conflict costs a read and an update: a ticket changing without pause is tried a bounded number
    of times, then the attempt fails for now (not for good) and the outbox retries it later."""
    with serve("zendesk") as fake:
        client = _client(fake)
        fake.change_after_read(7, "busy", times=SAFE_UPDATE_TRIES)
        w = replace(_writeback(), note="rose")
        with pytest.raises(WritebackError) as busy:
            write_back(client, w)
        assert busy.value.done == () and not busy.value.permanent and not busy.value.rate_limited
        assert str(busy.value) == "zendesk PUT /api/v2/tickets/7.json: HTTP 409"
        assert [c.status for c in _updates(fake)] == [409] * SAFE_UPDATE_TRIES and fake.notes[7] == []
        assert write_back(client, w, busy.value.done) == ("fields", "note")
        client.close()
    assert sorted(fake.tags[7]) == ["busy", "escalation-high"] and len(fake.private_notes(7)) == 1


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


@pytest.mark.parametrize(("status", "body"), [(500, None), (429, TICKET_LIMITED)], ids=["500", "ticket-429"])
def test_an_update_refused_for_now_is_retried_as_one_update_with_one_note(status: int,
                                                                          body: str | None) -> None:
    with serve("zendesk") as fake:
        client = _client(fake)
        w = replace(_writeback(), note="rose")
        fake.fail(7, status, on="/7.json", method="PUT", body=body)
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
        fake.fail(7, 422, on="/7.json", method="PUT")
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
