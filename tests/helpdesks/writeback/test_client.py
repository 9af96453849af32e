"""The helpdesk clients against a fake API on loopback: the risk field, the band tag replacing the other
bands' tags (and no other tag touched), the internal note posted once even when a write-back is repeated,
failures that say what failed without the credential, and Retry-After read."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest

from core.enums import Band
from core.settings import WritebackSettings
from helpdesks.writeback import (
    HelpdeskClient,
    Writeback,
    WritebackError,
    clients_from,
    helpdesk_ticket,
    retry_after,
    write_back,
)
from tests.helpdesks.fake_helpdesk import RETRY_AFTER_S, TOKEN, FakeHelpdesk, serve, writeback_config
from tests.raw_server import answer, dripped, raw_server

VENDORS = ["zendesk", "freshdesk", "zammad"]


@pytest.fixture(params=VENDORS)
def helpdesk(request: pytest.FixtureRequest) -> Iterator[tuple[FakeHelpdesk, HelpdeskClient]]:
    with serve(request.param) as fake:
        settings = WritebackSettings.model_validate(writeback_config(request.param, fake.url))
        client = clients_from(settings)[request.param]
        yield fake, client
        client.close()


def writeback(band: Band, note: str | None = None, assessment_id: int = 1,
              risk: int | None = 42) -> Writeback:
    return Writeback(ticket=7, assessment_id=assessment_id, risk_percent=risk, band=band,
                     tag_prefix="escalation-", note=note)


@pytest.mark.parametrize(("ticket_id", "expected"), [
    ("zendesk-35436", ("zendesk", 35436)),
    ("freshdesk-12", ("freshdesk", 12)),
    ("zammad-7", ("zammad", 7)),
    ("tkt-000765", None),
    ("zendesk-", None),
    ("zendesk-0", None),
    ("zendesk-12a", None),
    ("zendesk-١٢", None),  # Arabic-Indic digits are digits to str.isdigit, not to a helpdesk
    ("Zendesk-12", None),
    ("zendesk-99999999999999999999", None),
])
def test_helpdesk_ticket_ids(ticket_id: str, expected: tuple[str, int] | None) -> None:
    found = helpdesk_ticket(ticket_id)
    assert (None if found is None else (found.helpdesk, found.number)) == expected


def test_field_and_band_tag_replace_the_previous_band(helpdesk: tuple[FakeHelpdesk, HelpdeskClient]) -> None:
    fake, client = helpdesk
    fake.tags[7] = ["vip", "escalation-low"]
    write_back(client, writeback(Band.LOW, risk=12))
    write_back(client, writeback(Band.HIGH, assessment_id=2, risk=81))
    assert sorted(fake.tags[7]) == ["escalation-high", "vip"]  # the customer's own tags stay
    assert fake.field_writes(7) == [12, 81]
    assert fake.notes[7] == []  # no note asked for: none posted
    assert all(c.authorization for c in fake.calls)  # every call authenticated


def test_the_note_is_private_and_posted_once_when_repeated(
        helpdesk: tuple[FakeHelpdesk, HelpdeskClient]) -> None:
    fake, client = helpdesk
    w = writeback(Band.HIGH, note="Escalation risk rose to HIGH (was low).\nRisk: 81%.")
    assert write_back(client, w)[-1] == "note"
    write_back(client, w)  # a worker that died after posting: the delivery runs again from the start
    notes = fake.private_notes(7)
    assert len(notes) == 1 and "rose to HIGH" in notes[0] and w.marker in notes[0]
    assert fake.public_replies(7) == []
    # another assessment's note is another note
    write_back(client, writeback(Band.CRITICAL, note="Escalation risk rose to CRITICAL.", assessment_id=2))
    assert len(fake.private_notes(7)) == 2


def test_a_failed_step_is_reported_with_the_steps_done(helpdesk: tuple[FakeHelpdesk, HelpdeskClient]) -> None:
    fake, client = helpdesk
    w = writeback(Band.HIGH, note="rose")
    lookup = {"zendesk": "comments", "freshdesk": "conversations", "zammad": "by_ticket"}[fake.vendor]
    fake.fail(7, 500, on=lookup)  # the look-up for the note fails, after the fields and tags were written
    with pytest.raises(WritebackError) as failed:  # (Zendesk's: before them, as they go with the note)
        write_back(client, w)
    assert failed.value.done == DONE_BEFORE_THE_NOTE[fake.vendor]
    assert f"{fake.vendor} GET " in str(failed.value) and "HTTP 500" in str(failed.value)
    assert TOKEN not in str(failed.value)
    assert write_back(client, w, failed.value.done)[-1] == "note"  # the retry: the note only
    assert fake.field_writes(7) == [42] and len(fake.private_notes(7)) == 1
    assert fake.tags[7] == ["escalation-high"]


def test_rate_limited_says_how_long_to_wait(helpdesk: tuple[FakeHelpdesk, HelpdeskClient]) -> None:
    fake, client = helpdesk
    fake.fail(7, 429)
    with pytest.raises(WritebackError) as limited:
        write_back(client, writeback(Band.HIGH))
    assert limited.value.rate_limited and limited.value.retry_after_s == RETRY_AFTER_S
    assert limited.value.done == ()
    assert f"HTTP 429 (retry after {RETRY_AFTER_S} s)" in str(limited.value)
    assert TOKEN not in str(limited.value) and fake.vendor in str(limited.value)


def test_an_unreachable_helpdesk_fails_without_its_address_or_credential() -> None:
    settings = WritebackSettings.model_validate(writeback_config("zammad", "http://127.0.0.1:9"))
    client = clients_from(settings)["zammad"]
    with pytest.raises(WritebackError) as failed:
        write_back(client, writeback(Band.LOW))
    client.close()
    assert str(failed.value) == "zammad PUT /api/v1/tickets/7: ConnectError (connection refused)"


def test_retry_after_header() -> None:
    now = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    assert retry_after("30", now) == 30
    assert retry_after("Mon, 04 May 2026 10:01:30 GMT", now) == 90
    assert retry_after("Mon, 04 May 2026 09:00:00 GMT", now) == 0
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


def test_each_helpdesk_is_called_with_its_own_authentication(
        helpdesk: tuple[FakeHelpdesk, HelpdeskClient]) -> None:
    fake, client = helpdesk
    write_back(client, writeback(Band.LOW))
    expected = {
        "zendesk": "Basic " + base64.b64encode(f"bot@example.com/token:{TOKEN}".encode()).decode(),
        "freshdesk": "Basic " + base64.b64encode(f"{TOKEN}:X".encode()).decode(),
        "zammad": f"Token token={TOKEN}",
    }[fake.vendor]
    assert {c.authorization for c in fake.calls} == {expected}


def test_freshdesk_looks_for_the_note_past_the_first_page() -> None:
    with serve("freshdesk") as fake:
        settings = WritebackSettings.model_validate(writeback_config("freshdesk", fake.url))
        client = clients_from(settings)["freshdesk"]
        w = writeback(Band.HIGH, note="rose")
        fake.notes[7] = [{"body": f"reply {i}", "public": True} for i in range(150)]
        write_back(client, w)
        write_back(client, w)
        client.close()
    assert len(fake.private_notes(7)) == 1
    pages = [c for c in fake.calls if c.path.endswith("/conversations")]
    assert len(pages) == 2 + 2  # two pages the first time (not found), two the second (found on page 2)


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_redirect_is_refused_for_good_saying_where_it_points(vendor: str) -> None:
    """A BASE_URL with http:// where the helpdesk serves https:// is answered 301 at every call: it was
    retried up to max_attempts as if the helpdesk were down, and reported as a bare 'HTTP 301'."""
    def redirect(request: httpx.Request) -> httpx.Response:
        moved = request.url.copy_with(scheme="https", query=b"token=never-shown")
        return httpx.Response(301, headers={"Location": str(moved)})

    settings = WritebackSettings.model_validate(writeback_config(vendor, "http://acme.example.com"))
    client = clients_from(settings, httpx.MockTransport(redirect))[vendor]
    with pytest.raises(WritebackError) as moved:
        write_back(client, writeback(Band.LOW))
    client.close()
    assert moved.value.permanent and not moved.value.rate_limited
    assert str(moved.value).endswith(
        ": HTTP 301, a redirect to https://acme.example.com; set "
        f"ESCALATION_WRITEBACK__{vendor.upper()}__BASE_URL to the address the API answers at")
    assert "never-shown" not in str(moved.value)


@pytest.fixture
def dripping() -> Iterator[str]:
    """A helpdesk on loopback that answers at once, then sends its body a byte every 0.1 s for 10 s."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    with raw_server(answer(head, dripped())) as url:
        yield url


def test_an_answer_slower_than_the_timeout_fails_the_call(dripping: str) -> None:
    """Each byte came within the timeout, so the call took the helpdesk's whole 10 s (TIMEOUT_S is the
    bound of one call): the outbox worker, one delivery at a time, waited with every other delivery."""
    settings = WritebackSettings.model_validate(writeback_config("zendesk", dripping, timeout_s=0.5))
    client = clients_from(settings)["zendesk"]
    started = time.monotonic()
    with pytest.raises(WritebackError) as slow:
        write_back(client, writeback(Band.LOW))
    took = time.monotonic() - started
    client.close()
    assert str(slow.value) == "zendesk GET /api/v2/tickets/7.json: ReadTimeout after 0.5 s"
    assert not slow.value.permanent and took < 5


@pytest.fixture
def flooding() -> Iterator[str]:
    """A helpdesk on loopback that answers a 4 GiB body, sent as fast as the client reads it."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4294967296\r\n\r\n"
    with raw_server(answer(head, lambda: (b"x" * (1 << 20) for _ in range(1 << 12)))) as url:
        yield url


def test_an_answer_too_large_fails_the_call_before_it_is_read_whole(flooding: str) -> None:
    """The whole answer was read into memory, however large, until TIMEOUT_S: a helpdesk (or whatever
    BASE_URL points at) answering gigabytes took the server's memory with it, the API's included."""
    settings = WritebackSettings.model_validate(writeback_config("zendesk", flooding, timeout_s=60))
    client = clients_from(settings)["zendesk"]
    started = time.monotonic()
    with pytest.raises(WritebackError) as large:
        write_back(client, writeback(Band.LOW))
    took = time.monotonic() - started
    client.close()
    assert str(large.value) == ("zendesk GET /api/v2/tickets/7.json: the answer is larger than 32 MiB, more "
                                "than any answer of the helpdesk's API; check "
                                "ESCALATION_WRITEBACK__ZENDESK__BASE_URL")
    assert not large.value.permanent and took < 20


NOTE_LOOKUP = {"zendesk": "comments", "freshdesk": "conversations", "zammad": "by_ticket"}
# the steps done before the note's look-up: Zendesk writes the fields in the note's own ticket update
DONE_BEFORE_THE_NOTE = {"zendesk": (), "freshdesk": ("fields",), "zammad": ("fields", "tags")}


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_write_back_stops_when_its_time_budget_is_spent_and_resumes_at_that_step(vendor: str) -> None:
    """A write-back's calls (Freshdesk's up to ~23) each had the whole per-call timeout, so a slow helpdesk
    held one attempt past the outbox's claim on it, and a second worker took the delivery over while the
    first still wrote. The attempt's deadline now caps every call's timeout; past it the attempt stops, and
    the retry starts at the step that was cut short."""
    with serve(vendor) as fake:
        settings = WritebackSettings.model_validate(writeback_config(vendor, fake.url, timeout_s=5))
        client = clients_from(settings)[vendor]
        fake.stall(NOTE_LOOKUP[vendor])  # the note's look-up never answers
        w = writeback(Band.HIGH, note="rose")
        started = time.monotonic()
        with pytest.raises(WritebackError) as cut:
            write_back(client, replace(w, deadline=started + 0.5))
        assert time.monotonic() - started < 5  # the budget ended it, not the per-call timeout
        steps = DONE_BEFORE_THE_NOTE[vendor]
        assert cut.value.done == steps and cut.value.unanswered and not cut.value.permanent
        assert "time budget" in str(cut.value) and TOKEN not in str(cut.value)
        writes = len(fake.field_writes(7))
        fake.stalled = None
        resumed = write_back(client, w, cut.value.done)
        client.close()
    assert resumed == (("fields", "note") if vendor == "zendesk" else (*steps, "note"))
    assert writes == (0 if vendor == "zendesk" else 1)  # before the cut (Zendesk's go with the note)
    assert len(fake.field_writes(7)) == 1  # the retry did not write the fields again
    assert len(fake.private_notes(7)) == 1


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_write_back_whose_budget_is_spent_calls_nothing(vendor: str) -> None:
    with serve(vendor) as fake:
        client = clients_from(WritebackSettings.model_validate(writeback_config(vendor, fake.url)))[vendor]
        with pytest.raises(WritebackError) as cut:
            write_back(client, replace(writeback(Band.HIGH, note="rose"), deadline=time.monotonic()))
        client.close()
    assert fake.calls == [] and cut.value.done == () and cut.value.unanswered
