"""The webhook sink against receivers on loopback that answer their status at once and then send their body
slowly or without end: the attempt is bounded by the webhook timeout, as the lease check
(core.settings.OutboxSettings) takes it to be."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from core.settings import EmailSettings, WebhookTarget
from helpdesks.writeback.transport import EndingTransport
from serving.outbox import DeliveryFailedError, EmailSink, Message, WebhookSink
from tests.raw_server import answer, dripped, raw_server

from .conftest import SECRET

MESSAGE = Message(1, "action", "act-1", "tkt-1", "2026-05-04T09:00:00+00:00", {"kind": "reminder"})


def answering(status: bytes, body: Callable[[], Iterator[bytes]]) -> Iterator[str]:
    """A receiver that answers `status` and a body of 4 GiB at once, then sends `body()`'s chunks until the
    client hangs up; yields its URL."""
    head = b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\nContent-Length: 4294967296\r\n\r\n"
    with raw_server(answer(head, body)) as url:
        yield f"{url}/hook"


def flooded() -> Iterator[bytes]:
    for _ in range(1 << 12):
        yield b"x" * (1 << 20)


@pytest.fixture(params=["dripped", "flooded"])
def endless(request: pytest.FixtureRequest) -> Iterator[str]:
    yield from answering(b"200 OK", dripped() if request.param == "dripped" else flooded)


@pytest.fixture
def refusing() -> Iterator[str]:
    yield from answering(b"503 Service Unavailable", dripped())


def send(url: str) -> float:
    client = httpx.Client(timeout=0.5, transport=EndingTransport())  # as serving/sweeper/runner.py makes it
    sink = WebhookSink(WebhookTarget(name="ops", url=url), SECRET, client)
    started = time.monotonic()
    sink.send(MESSAGE)
    return time.monotonic() - started


def test_a_receiver_sending_its_body_slowly_or_without_end_holds_no_attempt_past_the_timeout(
        endless: str) -> None:
    """Its status said 200, and the sink read the body too, each chunk within the timeout: a body dripped a
    byte at a time held the worker (and every other delivery) for as long as the receiver liked, past the
    lease another worker then took the delivery over at — sent twice; a body of gigabytes went into memory."""
    assert send(endless) < 5


def test_a_receiver_refusing_is_a_failure_without_waiting_for_its_body(refusing: str) -> None:
    started = time.monotonic()
    with pytest.raises(DeliveryFailedError) as refused:
        send(refusing)
    assert str(refused.value) == "HTTP 503" and time.monotonic() - started < 5


@pytest.fixture
def dripping_head() -> Iterator[str]:
    """A receiver that sends its status line, then a header line every 0.1 s for 10 s."""
    with raw_server(answer(b"HTTP/1.1 200 OK\r\n", dripped(b"X-Slow: y\r\n"))) as url:
        yield f"{url}/hook"


def test_a_receiver_sending_its_answers_head_slowly_holds_no_attempt_past_the_timeout(
        dripping_head: str) -> None:
    """httpx times each read alone: a head sent a line at a time, each within the timeout, held the worker
    10 s past a 0.5 s timeout — past the lease the start-up check counts one webhook as (sent twice)."""
    started = time.monotonic()
    with pytest.raises(DeliveryFailedError) as slow:
        send(dripping_head)
    assert time.monotonic() - started < 2.5
    assert str(slow.value).startswith("ReadTimeout") and slow.value.unanswered


def _greeting_dripped(conn: socket.socket) -> None:
    """An SMTP server's greeting, a byte every 0.1 s for 10 s, before the client says anything."""
    with conn:
        for _ in range(100):
            time.sleep(0.1)  # the server's pace, not synchronisation
            try:
                conn.sendall(b"2")
            except OSError:  # the client gave up
                return


@pytest.fixture
def dripping_smtp() -> Iterator[tuple[str, int]]:
    """An SMTP server that sends its greeting a byte every 0.1 s for 10 s (a tarpit)."""
    with raw_server(_greeting_dripped) as url:
        host, port = url.removeprefix("http://").split(":")
        yield host, int(port)


def test_an_smtp_server_answering_slowly_holds_no_attempt_past_the_email_timeout(
        dripping_smtp: tuple[str, int]) -> None:
    """smtplib times each read alone, and a conversation is many: a server answering a byte at a time
    held the worker 10 s past a 0.5 s timeout, past the lease the start-up check counts e-mail as."""
    host, port = dripping_smtp
    sink = EmailSink(EmailSettings(host=host, port=port, recipients=["leads@example.org"], timeout_s=0.5))
    started = time.monotonic()
    with pytest.raises(DeliveryFailedError) as slow:
        sink.send(MESSAGE)
    assert time.monotonic() - started < 2.5
    assert str(slow.value) == "SMTP: no whole conversation within 0.5 s" and slow.value.unanswered
