"""Write-back end to end, per helpdesk, on SQLite and PostgreSQL: events of `{helpdesk}-{id}` ingested
through the service, assessed, enqueued once per assessment, delivered by the outbox worker to a fake
helpdesk API on loopback that answers 500 and 429 (Retry-After) first — and still the helpdesk has one
risk-field write per assessment, the band's tag, and one private note for the band's rise. Time is driven
explicitly: the worker is given each instant."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.settings import WritebackSettings
from core.tickets import Event
from helpdesks.writeback import Writeback, WritebackError, clients_from
from serving.outbox import DeliveryFailedError, Message
from serving.outbox.writeback import WritebackSink
from serving.store import Database
from serving.store.tables import DeliveryRow
from tests.helpdesks.fake_helpdesk import RETRY_AFTER_S, TOKEN, serve, writeback_config
from tests.raw_server import raw_server

from .conftest import SECRET, Receiver
from .desk import ANGRY, FIRST, OUTBOX, T0, Desk, message, ticket, wb


@pytest.mark.parametrize("vendor", ["zendesk", "freshdesk", "zammad"])
def test_written_back_once_per_assessment_through_500_and_429(
        vendor: str, desk: Callable[..., Desk], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    number = 35436
    tid = f"{vendor}-{number}"
    with serve(vendor) as fake:
        d = desk(writeback_config(vendor, fake.url))
        fake.fail(number, 500)  # the first call for the ticket fails
        first = d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        assert first.band.value == "low"
        now = datetime.now(UTC) + timedelta(seconds=1)  # deliveries are due from when they were enqueued
        assert wb(d.worker.deliver_once(now).retrying) == [f"writeback:{first.assessment_id}"]
        failed = d.writebacks()[0]
        call = fake.calls[0]
        assert failed.last_error == f"writeback:{vendor}: {vendor} {call.method} {call.path}: HTTP 500"
        delivered = d.worker.deliver_once(failed.next_attempt_at).delivered
        assert wb(delivered) == [f"writeback:{first.assessment_id}"]
        assert fake.tags[number] == ["escalation-low"] and fake.notes[number] == []

        # the band rises: the field and the tag again, and one private note, through a 429 and a 500
        fake.fail(number, 429)  # on the first call: the field's write (Zendesk's: the note's look-up)
        fake.fail_note(number, 500)  # the note is posted, but the answer is lost
        rose = d.service.ingest(tid, None, [message(tid, 2, 65, ANGRY)])
        assert rose.band.value in ("high", "critical")
        ref = f"writeback:{rose.assessment_id}"
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert wb(d.worker.deliver_once(now).retrying) == [ref]
        limited = d.writebacks()[1]
        assert limited.next_attempt_at >= now + timedelta(seconds=RETRY_AFTER_S)  # Retry-After honoured
        calls = len(fake.calls)
        assert wb(d.worker.deliver_once(now + timedelta(seconds=RETRY_AFTER_S - 1)).retrying) == []
        assert len(fake.calls) == calls  # nothing sent before the helpdesk's Retry-After

        after = d.worker.deliver_once(now + timedelta(seconds=RETRY_AFTER_S))
        assert wb(after.retrying) == [ref]  # the note's answer was lost
        lost = d.writebacks()[1]
        assert "HTTP 500" in (lost.last_error or "")
        assert wb(d.worker.deliver_once(lost.next_attempt_at).delivered) == [ref]
        settled = d.worker.deliver_once(lost.next_attempt_at + timedelta(hours=1))
        assert wb(settled.delivered + settled.retrying) == []

    expected_risks = [round(first.risk * 100), round(rose.risk * 100)]  # type: ignore[operator]
    assert fake.field_writes(number) == expected_risks  # exactly one field write per assessment
    assert fake.tags[number] == [f"escalation-{rose.band.value}"]  # the low tag is gone
    notes = fake.private_notes(number)
    assert len(notes) == 1, notes  # posted once, though its delivery was retried after posting it
    assert f"rose to {rose.band.value.upper()} (was low)" in notes[0] and "asked for a manager" in notes[0]
    assert fake.public_replies(number) == []  # never a reply to the customer
    assert {c.status for c in fake.calls} >= {429, 500}
    done = d.writebacks()[1]
    assert (done.status, done.attempts) == ("delivered", 2)  # the 429 spent none of MAX_ATTEMPTS
    assert TOKEN not in caplog.text and all(TOKEN not in (r.last_error or "") for r in d.writebacks())
    assert ANGRY not in caplog.text  # nor the customer's words


def test_only_helpdesk_tickets_of_configured_helpdesks_are_written_back(desk: Callable[..., Desk]) -> None:
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        for tid in ("tkt-000765", "freshdesk-12", "zendesk-abc", "zendesk-9"):
            d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        assert [(r.ticket_id, r.payload["ticket"]) for r in d.writebacks()] == [("zendesk-9", 9)]
        again = d.service.ingest("zendesk-9", None, [message("zendesk-9", 1, 0, FIRST)])  # a duplicate
        assert not again.stored_events and len(d.writebacks()) == 1  # the same assessment: not enqueued again
        d.worker.deliver_once(datetime.now(UTC) + timedelta(seconds=1))
    assert {c.ticket for c in fake.calls} == {9} and fake.field_writes(9) == [round(again.risk * 100)]  # type: ignore[operator]


def test_a_closed_ticket_is_not_written_back(desk: Callable[..., Desk]) -> None:
    """Closing a ticket changed its risk, and the write-back went to Zendesk, which refuses any update of a
    closed ticket (422): every ticket Zendesk closed ended with a failed write-back and a warning, and the
    alert on `failed` that docs/helpdesks/writeback.md suggests fired for good."""
    tid = "zendesk-5"

    def status(n: int, minutes: float, to: str) -> Event:
        return Event.model_validate({"event_id": f"{tid}-s{n}", "ticket_id": tid, "type": "status_change",
                                     "at": (T0 + timedelta(minutes=minutes)).isoformat(),
                                     "author_role": "agent", "status": to})

    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        d.service.ingest(tid, None, [message(tid, 2, 65, ANGRY)])
        d.service.ingest(tid, None, [status(1, 100, "solved")])  # a solved ticket is still written back
        enqueued = len(d.writebacks())
        closed = d.service.ingest(tid, None, [status(2, 200, "closed")])
        assert closed.state.status.value == "closed" and len(d.writebacks()) == enqueued
        d.worker.deliver_once(datetime.now(UTC) + timedelta(seconds=1))
    assert [r.status for r in d.writebacks()] == ["delivered"] * enqueued


def test_a_withdrawn_ticket_is_not_written_back(desk: Callable[..., Desk]) -> None:
    """Deleted or marked as spam in Zendesk (merged or removed in Zammad): no one works it, and a deleted
    ticket's update is a 404; the assessment made at the withdrawal writes nothing back."""
    tid = "zendesk-6"
    gone = Event.model_validate({"event_id": f"{tid}-w", "ticket_id": tid, "type": "status_change",
                                 "at": (T0 + timedelta(minutes=100)).isoformat(), "author_role": "agent",
                                 "status": "withdrawn"})
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        d.service.ingest(tid, None, [message(tid, 2, 65, ANGRY)])
        enqueued = len(d.writebacks())
        withdrawn = d.service.ingest(tid, None, [gone])
        assert withdrawn.state.status.value == "withdrawn" and len(d.writebacks()) == enqueued


def test_no_note_without_a_rise_or_when_notes_are_off(desk: Callable[..., Desk]) -> None:
    with serve("zammad") as fake:
        d = desk(writeback_config("zammad", fake.url, note_on_band_rise=False, tag_prefix="risk-"))
        d.service.ingest("zammad-7", ticket("zammad-7"), [message("zammad-7", 1, 0, FIRST)])
        d.service.ingest("zammad-7", None, [message("zammad-7", 2, 65, ANGRY)])  # a rise, notes off
        d.service.ingest("zammad-7", None, [message("zammad-7", 3, 70, "Hello?")])
        assert [r.payload["note"] for r in d.writebacks()] == [None, None, None]
        d.worker.deliver_once(datetime.now(UTC) + timedelta(seconds=1))
    assert len(fake.field_writes(7)) == 3 and fake.notes[7] == []
    assert fake.tags[7] == [f"risk-{d.writebacks()[-1].payload['band']}"]


def test_a_rate_limit_holds_back_the_helpdesks_other_deliveries(desk: Callable[..., Desk]) -> None:
    with serve("freshdesk") as fake:
        d = desk(writeback_config("freshdesk", fake.url))
        for n in (1, 2, 3):
            tid = f"freshdesk-{n}"
            d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        fake.fail(1, 429)
        now = datetime.now(UTC) + timedelta(seconds=1)
        held = d.worker.deliver_once(now)
        assert len(wb(held.retrying)) == 3 and [c.ticket for c in fake.calls] == [1]  # 2 and 3 not called
        rows = d.writebacks()
        assert [r.attempts for r in rows] == [0, 0, 0]  # waiting for the helpdesk spends no attempt
        assert all(r.next_attempt_at >= now + timedelta(seconds=RETRY_AFTER_S) for r in rows)
        assert len(wb(d.worker.deliver_once(now + timedelta(seconds=RETRY_AFTER_S + 60)).delivered)) == 3
    assert {t: len(fake.field_writes(t)) for t in (1, 2, 3)} == {1: 1, 2: 1, 3: 1}


def test_a_helpdesk_rate_limiting_past_max_attempts_delays_the_write_back_and_never_loses_it(
        desk: Callable[..., Desk]) -> None:
    """Each 429 spent one of MAX_ATTEMPTS: a helpdesk at its API limit through as many Retry-After windows
    (a backlog after an outage) had the write-back failed for good, where it should wait as asked."""
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        d.service.ingest("zendesk-1", ticket("zendesk-1"), [message("zendesk-1", 1, 0, FIRST)])
        limited = OUTBOX["max_attempts"] + 2
        fake.fail(1, *[429] * limited)
        now = datetime.now(UTC) + timedelta(seconds=1)
        for _ in range(limited):
            assert wb(d.worker.deliver_once(now).retrying) == [d.writebacks()[0].ref]
            now += timedelta(seconds=RETRY_AFTER_S + 1)
        assert wb(d.worker.deliver_once(now).delivered) == [d.writebacks()[0].ref]
        row = d.writebacks()[0]
    assert row.status == "delivered" and row.sinks["writeback:zendesk"]["rate_limited"] == limited
    assert row.sinks["writeback:zendesk"]["attempts"] == limited + 1
    assert len(fake.answered(429)) == limited and len(fake.field_writes(1)) == 1


@pytest.fixture
def silent() -> Iterator[tuple[str, list[int]]]:
    """A helpdesk that takes each connection and never answers (down behind its load balancer); the list
    counts the connections it took."""
    taken: list[int] = []
    held: list[socket.socket] = []

    def take(conn: socket.socket) -> None:
        taken.append(1)
        held.append(conn)

    with raw_server(take) as url:
        yield url, taken
    for conn in held:
        conn.close()


def test_a_helpdesk_that_does_not_answer_costs_one_timeout_a_pass_not_one_a_write_back(
        desk: Callable[..., Desk], silent: tuple[str, list[int]]) -> None:
    """Each of its write-backs waited out TIMEOUT_S in turn, and the actions and alerts due behind them with
    them: a pass of 50 write-backs to a helpdesk that was down held SLA escalations back 50 × 10 s."""
    url, taken = silent
    d = desk(writeback_config("zendesk", url, timeout_s=0.5), log=False)
    for n in (1, 2, 3):
        tid = f"zendesk-{n}"
        d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
    now = datetime.now(UTC) + timedelta(seconds=1)
    assert len(wb(d.worker.deliver_once(now).retrying)) == 3
    assert len(taken) == 1  # the helpdesk was called once in the pass
    rows = d.writebacks()
    assert [r.attempts for r in rows] == [1, 0, 0]  # the others wait for the next pass, spending no attempt
    assert "zendesk GET /api/v2/tickets/1.json: ReadTimeout" in (rows[0].last_error or "")
    poll = timedelta(seconds=d.settings.outbox.poll_s)
    assert all(r.status == "pending" and r.next_attempt_at == now + poll for r in rows[1:])


def test_webhooks_get_actions_and_alerts_and_not_write_backs(
        desk: Callable[..., Desk], receiver: Receiver) -> None:
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url), webhooks=[{"url": receiver.url, "name": "ops"}],
                 webhook_secret=SECRET)
        tid = "zendesk-5"
        d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        rose = d.service.ingest(tid, None, [message(tid, 2, 65, ANGRY)])
        d.worker.deliver_once(datetime.now(UTC) + timedelta(seconds=1))
    refs = {ref for ref, _, _ in receiver.received}
    assert refs and not any(ref.startswith("writeback:") for ref in refs)
    assert set(rose.actions_fired) <= refs
    assert len(fake.field_writes(5)) == 2 and len(fake.private_notes(5)) == 1
    with d.db.session() as s:
        statuses = set(s.execute(select(DeliveryRow.status)).scalars())
    assert statuses == {"delivered"}


def test_a_write_back_for_a_helpdesk_no_longer_configured_waits_for_it(
        desk: Callable[..., Desk]) -> None:
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        d.service.ingest("zendesk-3", ticket("zendesk-3"), [message("zendesk-3", 1, 0, FIRST)])
        later = desk({})  # restarted with write-back off: no sink takes the queued write-back
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert wb(later.worker.deliver_once(now).retrying) == ["writeback:1"]
        row = later.writebacks()[0]
        assert (row.status, row.attempts) == ("pending", 0)  # no attempt spent
        assert row.last_error == "no configured sink takes writeback deliveries; waiting for one"
        assert row.next_attempt_at == now + timedelta(seconds=OUTBOX["backoff_max_s"])  # type: ignore[arg-type]
        assert wb(d.worker.deliver_once(row.next_attempt_at).delivered) == ["writeback:1"]  # configured again
    assert fake.field_writes(3) and fake.tags[3] == ["escalation-low"]


def test_an_older_write_back_retried_after_a_newer_one_posts_its_note_only(desk: Callable[..., Desk]) -> None:
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        tid = "zendesk-8"
        d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        now = datetime.now(UTC) + timedelta(seconds=1)
        d.worker.deliver_once(now)
        fake.fail(8, 500)  # the rise's write-back fails first ...
        rose = d.service.ingest(tid, None, [message(tid, 2, 65, ANGRY)])
        d.worker.deliver_once(now)
        calmer = d.service.ingest(tid, None, [message(tid, 3, 70, "Sorry, found it, thanks.")])
        assert wb(d.worker.deliver_once(now + timedelta(seconds=1)).delivered) == [
            f"writeback:{calmer.assessment_id}"]  # ... and a newer assessment is written back meanwhile
        retry = d.writebacks()[1]
        delivered = d.worker.deliver_once(retry.next_attempt_at).delivered
        assert wb(delivered) == [f"writeback:{rose.assessment_id}"]
    risks = fake.field_writes(8)
    assert len(risks) == 2 and risks[-1] == round(calmer.risk * 100)  # type: ignore[operator]
    assert fake.tags[8] == [f"escalation-{calmer.band.value}"]  # not the older assessment's band
    assert len(fake.private_notes(8)) == 1  # the rise is still noted


class RateLimited:
    """A helpdesk client whose every call is answered 429, with or without a Retry-After."""

    name = "zendesk"

    def __init__(self, retry_after_s: float | None) -> None:
        self.retry_after_s = retry_after_s

    def steps(self, w: Writeback) -> Sequence[tuple[str, Callable[[], None]]]:
        return [("fields", self._limited)]

    def _limited(self) -> None:
        raise WritebackError("zendesk PUT /api/v2/tickets/1.json: HTTP 429", rate_limited=True,
                             retry_after_s=self.retry_after_s)

    def has_note(self, w: Writeback) -> bool:
        return False

    def add_note(self, w: Writeback) -> None:
        self._limited()

    def close(self) -> None:
        pass


@pytest.mark.parametrize(("retry_after_s", "wait_s"), [(7.0, 7.0), (None, 45.0)])
def test_a_429_waits_its_retry_after_or_the_configured_time(
        database: Database, retry_after_s: float | None, wait_s: float) -> None:
    sink = WritebackSink(RateLimited(retry_after_s), "escalation-", 45.0, database)
    payload = {"helpdesk": "zendesk", "ticket": 1, "assessment_id": 1, "risk_percent": 5, "band": "low",
               "note": None}
    with pytest.raises(DeliveryFailedError) as limited:
        sink.send(Message(1, "writeback", "writeback:1", "zendesk-1", T0.isoformat(), payload))
    assert limited.value.retry_after_s == wait_s and limited.value.done == ()


def test_a_write_back_past_its_attempt_deadline_stops_and_keeps_its_steps(database: Database) -> None:
    """The sink hands the attempt's deadline (the claim less a margin) to the helpdesk client: past it, no
    further call is made, and the delivery is retried like an unanswered one from the step it stopped at."""
    with serve("freshdesk") as fake:
        client = clients_from(WritebackSettings.model_validate(writeback_config("freshdesk", fake.url)))[
            "freshdesk"]
        sink = WritebackSink(client, "escalation-", 45.0, database)
        payload = {"helpdesk": "freshdesk", "ticket": 1, "assessment_id": 1, "risk_percent": 5,
                   "band": "high", "note": "rose"}
        spent = time.monotonic()
        with pytest.raises(DeliveryFailedError) as cut:
            sink.send(Message(1, "writeback", "writeback:1", "freshdesk-1", T0.isoformat(), payload,
                              done=("fields",), deadline=spent))
        client.close()
    assert fake.calls == []
    assert cut.value.done == ("fields",) and cut.value.unanswered and not cut.value.permanent
    assert "time budget" in str(cut.value)
