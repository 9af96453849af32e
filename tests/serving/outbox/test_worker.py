"""The outbox worker on SQLite and PostgreSQL: webhook retries with backoff against a real receiver on
loopback (HMAC checked), capped attempts, each attempt recorded, two workers at once, an expired claim
retried, e-mail through SMTP, the log sink, and no secret in logs or stored errors. Time is injected."""

from __future__ import annotations

import io
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from core.settings import OutboxSettings
from serving.outbox import (
    DeliveryFailedError,
    EmailSink,
    LogSink,
    Message,
    OutboxWorker,
    backoff,
    sign,
    sinks_from,
    verify,
)
from serving.store import Database
from serving.store.tables import DeliveryRow
from serving.store.writes import insert_new

from .conftest import SECRET, Mailbox, Receiver

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def enqueue(db: Database, *refs: str) -> None:
    rows = [{"kind": "action", "ref": r, "ticket_id": "T-1", "status": "pending", "attempts": 0,
             "created_at": NOW, "next_attempt_at": NOW,
             "payload": {"action_id": r, "kind": "escalate", "level": 1, "to": "team_lead",
                         "reason": "first response breached", "customer_text": "my card number is 4111"}}
            for r in refs]
    with db.session() as s:
        insert_new(s, DeliveryRow.__table__, rows, DeliveryRow.ref)


def row(db: Database, ref: str) -> DeliveryRow:
    with db.session() as s:
        found = s.execute(select(DeliveryRow).where(DeliveryRow.ref == ref)).scalar_one()
    return found


def settings(receiver: Receiver, **changes: object) -> OutboxSettings:
    return OutboxSettings.model_validate({
        "webhooks": [{"url": receiver.url, "name": "ops"}], "webhook_secret": SECRET, "log": False,
        "max_attempts": 5, "backoff_base_s": 10, "backoff_max_s": 60, **changes})


def test_webhook_retries_with_backoff_until_delivered(database: Database, receiver: Receiver,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    receiver.fail_first = 2
    enqueue(database, "act-1")
    config = settings(receiver)
    with httpx.Client(timeout=5) as client:
        worker = OutboxWorker(database, sinks_from(config, client), config, rng=random.Random(1))
        first = worker.deliver_once(NOW)
        assert first.retrying == ["act-1"]
        r = row(database, "act-1")
        assert (r.status, r.attempts, r.last_error) == ("pending", 1, "webhook:ops: HTTP 503")
        # attempt 1 waits base (10 s), jittered into [5, 10]
        assert NOW + timedelta(seconds=5) <= r.next_attempt_at <= NOW + timedelta(seconds=10)
        assert worker.deliver_once(NOW + timedelta(seconds=4)).retrying == []  # not due yet: nothing sent

        second = worker.deliver_once(r.next_attempt_at)
        assert second.retrying == ["act-1"]
        r2 = row(database, "act-1")
        wait = (r2.next_attempt_at - r.next_attempt_at).total_seconds()
        assert 10 <= wait <= 20  # attempt 2 waits base * 2, jittered

        third = worker.deliver_once(r2.next_attempt_at)
        assert third.delivered == ["act-1"]
        assert worker.deliver_once(r2.next_attempt_at + timedelta(hours=1)).delivered == []  # settled
    done = row(database, "act-1")
    assert (done.status, done.attempts, done.last_error) == ("delivered", 3, None)
    assert done.delivered_at == r2.next_attempt_at
    assert done.sinks is not None and done.sinks["webhook:ops"]["attempts"] == 3
    assert [(ref, ok) for ref, _, ok in receiver.received] == [("act-1", True)] * 3
    body = json.loads(receiver.received[-1][1])
    assert body["ref"] == "act-1" and body["payload"]["level"] == 1
    for secret in (SECRET, "url-secret", "4111"):  # the secret, the URL's token, the payload's text
        assert secret not in caplog.text and secret not in (r.last_error or "")


def test_attempts_are_capped(database: Database, receiver: Receiver) -> None:
    receiver.fail_first = 100
    enqueue(database, "act-2")
    config = settings(receiver, max_attempts=3)
    now = NOW
    with httpx.Client(timeout=5) as client:
        worker = OutboxWorker(database, sinks_from(config, client), config)
        outcomes = []
        for _ in range(5):
            result = worker.deliver_once(now)
            outcomes.append("retrying" if result.retrying else "failed" if result.failed else "none")
            now += timedelta(seconds=config.backoff_max_s)
    assert outcomes == ["retrying", "retrying", "failed", "none", "none"]
    r = row(database, "act-2")
    assert (r.status, r.attempts) == ("failed", 3) and len(receiver.received) == 3


def test_only_the_failed_sink_is_retried(database: Database, receiver: Receiver) -> None:
    receiver.fail_first = 1
    enqueue(database, "act-3")
    config = settings(receiver, log=True)
    with httpx.Client(timeout=5) as client:
        worker = OutboxWorker(database, sinks_from(config, client), config)
        worker.deliver_once(NOW)
        worker.deliver_once(NOW + timedelta(minutes=5))
    sinks = row(database, "act-3").sinks or {}
    assert sinks["log"]["attempts"] == 1 and sinks["webhook:ops"]["attempts"] == 2
    assert {s["status"] for s in sinks.values()} == {"delivered"}


def test_the_log_sink_writes_through_the_configured_handler(
    database: Database, log_output: Callable[..., io.StringIO]
) -> None:
    out = log_output(format="json")
    enqueue(database, "act-log")
    config = OutboxSettings(log=True)
    with httpx.Client(timeout=5) as client:
        sent = OutboxWorker(database, sinks_from(config, client), config).deliver_once(NOW)
    assert len(sent.delivered) == 1 and row(database, "act-log").status == "delivered"
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    written = [line for line in lines if line["logger"] == "serving.outbox"]
    assert [line["message"] for line in written] == [
        f"delivery {row(database, 'act-log').id}: action act-log for ticket T-1"
    ]
    assert "4111" not in out.getvalue() and "first response breached" not in out.getvalue()


def test_two_workers_at_once_send_each_delivery_once(database: Database, receiver: Receiver) -> None:
    refs = [f"act-{i}" for i in range(20)]
    enqueue(database, *refs)
    config = settings(receiver, batch_size=7)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with httpx.Client(timeout=5) as client:
                worker = OutboxWorker(Database(database.url), sinks_from(config, client), config)
                barrier.wait(timeout=30)
                for _ in range(4):
                    worker.deliver_once(NOW)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(ref for ref, _, _ in receiver.received) == sorted(refs)


def test_a_claim_whose_worker_died_is_retried_after_the_lease(database: Database, receiver: Receiver) -> None:
    enqueue(database, "act-4")
    config = settings(receiver, lease_s=120)
    with httpx.Client(timeout=5) as client:
        crashed = OutboxWorker(database, sinks_from(config, client), config)
        assert crashed.claim(row(database, "act-4").id, NOW) is not None  # claimed, then the process died
        other = OutboxWorker(database, sinks_from(config, client), config)
        assert other.deliver_once(NOW + timedelta(seconds=60)).delivered == []  # still leased
        assert other.deliver_once(NOW + timedelta(seconds=121)).delivered == ["act-4"]


def test_email_through_smtp(database: Database, smtp_server: Mailbox,
                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    enqueue(database, "act-5")
    config = OutboxSettings.model_validate({"log": True, "email": {
        "host": smtp_server.host, "port": smtp_server.port, "username": "bot", "password": "smtp-pass-77",
        "sender": "escalation@example.org", "recipients": ["leads@example.org"]}})
    with httpx.Client() as client:
        sinks = sinks_from(config, client)
        assert [type(s) for s in sinks] == [LogSink, EmailSink]
        assert OutboxWorker(database, sinks, config).deliver_once(NOW).delivered == ["act-5"]
    assert smtp_server.logins == [("bot", "smtp-pass-77")]
    [mail] = smtp_server.messages
    text = mail.decode()
    assert "To: leads@example.org" in text and "X-Escalation-Delivery: act-5" in text
    assert "Subject: [escalation] action for ticket T-1: escalate level 1 to team_lead" in text
    assert "smtp-pass-77" not in caplog.text and "delivery" in caplog.text


def test_email_failure_is_recorded(database: Database) -> None:
    enqueue(database, "act-6")
    config = OutboxSettings.model_validate({"log": False, "email": {
        "host": "127.0.0.1", "port": 9, "recipients": ["x@example.org"], "timeout_s": 2}})  # nothing listens
    with httpx.Client() as client:
        result = OutboxWorker(database, sinks_from(config, client), config).deliver_once(NOW)
    assert result.retrying == ["act-6"]
    assert (row(database, "act-6").last_error or "").startswith("email: SMTP ConnectionRefusedError")


def test_signature_and_backoff_units() -> None:
    body = b'{"a":1}'
    header = sign(body, "s3cret")
    assert header == "sha256=" + __import__("hmac").new(b"s3cret", body, "sha256").hexdigest()
    assert verify(body, header, "s3cret") and not verify(body + b" ", header, "s3cret")
    assert not verify(body, header, "other") and not verify(body, None, "s3cret")
    rng = random.Random(0)
    waits = [backoff(n, 2, 30, rng) for n in range(1, 8)]
    caps = [2, 4, 8, 16, 30, 30, 30]
    assert all(c / 2 <= w <= c for w, c in zip(waits, caps, strict=True))


class Scripted:
    """A sink that fails as scripted: 'refuse' for good, 'fail' for now, 'ok' delivers."""

    def __init__(self, name: str, *script: str) -> None:
        self.name = name
        self.script = list(script)
        self.calls = 0

    def accepts(self, message: Message) -> bool:
        return True

    def send(self, message: Message) -> None:
        self.calls += 1
        outcome = self.script.pop(0)
        if outcome != "ok":
            raise DeliveryFailedError(f"{self.name}: HTTP 404", permanent=outcome == "refuse")


def test_a_sink_refusing_for_good_is_not_tried_again_and_fails_the_delivery(database: Database) -> None:
    enqueue(database, "act-7")
    refusing, flaky = Scripted("refusing", "refuse"), Scripted("flaky", "fail", "ok")
    config = OutboxSettings.model_validate({"log": False, "max_attempts": 5, "backoff_base_s": 10,
                                            "backoff_max_s": 60})
    worker = OutboxWorker(database, [refusing, flaky], config, rng=random.Random(1))
    assert worker.deliver_once(NOW).retrying == ["act-7"]  # the flaky sink is worth another try
    assert worker.deliver_once(NOW + timedelta(minutes=5)).failed == ["act-7"]  # then nothing is left to try
    assert (refusing.calls, flaky.calls) == (1, 2)
    done = row(database, "act-7")
    assert (done.status, done.attempts, done.last_error) == ("failed", 2, "refusing: refusing: HTTP 404")
    assert done.sinks is not None and done.sinks["refusing"]["permanent"] is True
    assert done.sinks["flaky"]["status"] == "delivered"


class Crashing:
    """A sink with a bug for one delivery (a receiver's answer of an unexpected shape): it raises something
    other than DeliveryFailedError, with text that must not be stored or logged."""

    name = "crashing"

    def accepts(self, message: Message) -> bool:
        return True

    def send(self, message: Message) -> None:
        if message.ref == "act-1":
            raise AttributeError("'str' object has no attribute 'get' (my card number is 4111)")


def test_a_sink_crashing_on_one_delivery_fails_that_attempt_and_delivers_the_others(
        database: Database, caplog: pytest.LogCaptureFixture) -> None:
    enqueue(database, "act-1", "act-2", "act-3")
    config = OutboxSettings.model_validate({"log": False, "max_attempts": 2, "backoff_base_s": 10,
                                            "backoff_max_s": 60})
    worker = OutboxWorker(database, [Crashing()], config, rng=random.Random(1))
    first = worker.deliver_once(NOW)
    assert (first.retrying, first.delivered) == (["act-1"], ["act-2", "act-3"])
    crashed = row(database, "act-1")
    assert (crashed.status, crashed.attempts) == ("pending", 1)  # an attempt spent, retried with backoff
    assert crashed.last_error == "crashing: unexpected AttributeError"
    assert NOW < crashed.next_attempt_at <= NOW + timedelta(seconds=10)
    assert worker.deliver_once(crashed.next_attempt_at).failed == ["act-1"]  # capped like any failure
    assert row(database, "act-1").status == "failed"
    assert "4111" not in caplog.text and "4111" not in (row(database, "act-1").last_error or "")


class Limited:
    """A sink whose receiver answers 429 with the Retry-After it is given (seconds)."""

    name = "limited"

    def __init__(self, retry_after_s: float) -> None:
        self.retry_after_s = retry_after_s

    def accepts(self, message: Message) -> bool:
        return True

    def send(self, message: Message) -> None:
        raise DeliveryFailedError("limited: HTTP 429", retry_after_s=self.retry_after_s)


@pytest.mark.parametrize("retry_after_s", [1e14, 251_605_801_933.5, 3 * 86_400.0])
def test_a_retry_after_beyond_a_day_waits_a_day(database: Database, retry_after_s: float) -> None:
    """1e14 s (a receiver's typo) overflowed timedelta, 'Fri, 31 Dec 9999 23:59:59 GMT' (2.5e11 s) the
    datetime: the pass stopped with the row left claimed, at every lease, for good."""
    enqueue(database, "act-1")
    config = OutboxSettings.model_validate({"log": False, "max_attempts": 5})
    worker = OutboxWorker(database, [Limited(retry_after_s)], config, rng=random.Random(1))
    assert worker.deliver_once(NOW).retrying == ["act-1"]
    limited = row(database, "act-1")
    assert (limited.status, limited.attempts) == ("pending", 0)  # waiting as asked spends no attempt
    assert limited.next_attempt_at == NOW + timedelta(days=1)


class Gated:
    """A sink whose send is held until the test lets it go (a worker stalled mid-attempt), then answers."""

    def __init__(self, name: str, outcome: str) -> None:
        self.name, self.outcome = name, outcome
        self.entered, self.release = threading.Event(), threading.Event()

    def accepts(self, message: Message) -> bool:
        return True

    def send(self, message: Message) -> None:
        self.entered.set()
        assert self.release.wait(60)
        if self.outcome != "ok":
            raise DeliveryFailedError(f"{self.name}: timed out")


def test_a_worker_whose_lease_was_taken_over_cannot_overwrite_the_new_claim(database: Database) -> None:
    enqueue(database, "act-9")
    config = OutboxSettings.model_validate({"log": False, "lease_s": 120, "backoff_base_s": 10})
    stalled, taker = Gated("ops", "fail"), Gated("ops", "ok")
    first = OutboxWorker(Database(database.url), [stalled], config, rng=random.Random(1))
    second = OutboxWorker(Database(database.url), [taker], config, rng=random.Random(1))
    a = threading.Thread(target=first.deliver_once, args=(NOW,))
    b = threading.Thread(target=second.deliver_once, args=(NOW + timedelta(seconds=121),))
    a.start()
    assert stalled.entered.wait(60)
    b.start()  # the first worker's lease has run out: the second takes the delivery over
    assert taker.entered.wait(60)
    stalled.release.set()  # the first worker comes back, its attempt failed, and settles late
    a.join(60)
    taker.release.set()
    b.join(60)
    done = row(database, "act-9")
    assert (done.status, done.attempts) == ("delivered", 1)  # the claim's holder's outcome is the one kept
    third = OutboxWorker(database, [Gated("ops", "ok")], config)
    assert third.deliver_once(NOW + timedelta(hours=1)).delivered == []  # not sent a third time


class Recording:
    """A sink that keeps the messages it was given."""

    name = "recording"

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def accepts(self, message: Message) -> bool:
        return True

    def send(self, message: Message) -> None:
        self.messages.append(message)


def test_each_attempt_is_given_its_claim_less_a_margin_as_deadline(database: Database) -> None:
    """A write-back's many calls had no deadline: one attempt could outlast its claim and be taken over by
    another worker while it still wrote. Each attempt now carries the time it must end by: a tenth of the
    lease before the claim runs out, left for recording the outcome."""
    enqueue(database, "act-1", "act-2")
    sink = Recording()
    config = OutboxSettings.model_validate({"log": False, "lease_s": 50})
    worker = OutboxWorker(database, [sink], config)
    before = time.monotonic()
    assert worker.deliver_once(NOW).delivered == ["act-1", "act-2"]
    after = time.monotonic()
    assert config.attempt_budget_s == 45
    deadlines = [m.deadline for m in sink.messages]
    assert all(d is not None and before + 45 <= d <= after + 45 for d in deadlines), deadlines


def test_each_delivery_of_a_pass_is_claimed_for_a_whole_lease_from_its_own_start(database: Database) -> None:
    """A pass claimed every delivery with a lease from the pass's start: behind slow receivers, its last
    deliveries were claimed with their leases already run out, free for another worker to send again."""
    enqueue(database, "act-1", "act-2")
    ticks = iter(NOW + timedelta(seconds=100 * n) for n in range(10))  # each delivery takes 100 s
    leases: list[datetime] = []

    class Slow(Recording):
        def send(self, message: Message) -> None:
            lease = row(database, message.ref).next_attempt_at
            leases.append(lease if lease.tzinfo else lease.replace(tzinfo=UTC))

    config = OutboxSettings.model_validate({"log": False, "lease_s": 120})
    worker = OutboxWorker(database, [Slow()], config, clock=lambda: next(ticks))
    assert worker.deliver_once().delivered == ["act-1", "act-2"]
    assert leases == [NOW + timedelta(seconds=100 + 120), NOW + timedelta(seconds=200 + 120)]
