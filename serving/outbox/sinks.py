"""Where deliveries go. A sink sends one message or raises `DeliveryFailedError` with a message that is safe
to store and log: no secret, no webhook URL (those often carry tokens), no payload text."""

from __future__ import annotations

import contextlib
import json
import logging
import smtplib
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

import httpx

from core.settings import EmailSettings, OutboxSettings, WebhookTarget
from helpdesks.writeback.transport import call_ends
from serving.outbox.signing import SIGNATURE_HEADER, sign

log = logging.getLogger("serving.outbox")


class DeliveryFailedError(Exception):
    """One attempt at one sink failed; the message says why (safe to store). `retry_after_s`: the receiver
    asked us to wait that long (a 429's Retry-After), and the sink is not called again before — for this
    delivery's ticket only when `ticket_only` (the receiver limits that one ticket); `permanent`:
    the receiver refused this delivery for good (a helpdesk's 404 for a deleted ticket), so the sink is not
    tried again; `unanswered`: the receiver gave no answer (unreachable, timed out), so the sink's other
    deliveries wait for the next pass; `done`: the steps of a multi-step delivery that succeeded, skipped by
    the retry; `gone`: the receiver has no such ticket (a helpdesk's 404), kept on the row: the ticket is not
    written back again until an event of it arrives (serving/store/repository.py)."""

    def __init__(self, message: str, *, retry_after_s: float | None = None, ticket_only: bool = False,
                 permanent: bool = False, unanswered: bool = False, done: tuple[str, ...] = (),
                 gone: bool = False) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.ticket_only = ticket_only
        self.permanent = permanent
        self.unanswered = unanswered
        self.done = done
        self.gone = gone


ACTIONS_AND_ALERTS = frozenset({"action", "alert"})


@dataclass(frozen=True, slots=True)
class Message:
    delivery_id: int
    kind: str  # action | alert | writeback
    ref: str  # action id, alert dedup key or writeback:{assessment id}: receivers de-duplicate on it
    ticket_id: str
    created_at: str
    payload: dict[str, Any]
    done: tuple[str, ...] = ()  # the steps this sink finished in earlier attempts (multi-step sinks)
    # time.monotonic() by which this attempt's calls end (OutboxSettings.attempt_budget_s after its claim):
    # a sink of many calls (a helpdesk write-back) stops there rather than outlast the claim
    deadline: float | None = None

    def body(self) -> bytes:
        """The exact bytes posted and signed."""
        data = {"delivery_id": self.delivery_id, "kind": self.kind, "ref": self.ref,
                "ticket_id": self.ticket_id, "created_at": self.created_at, "payload": self.payload}
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    def summary(self) -> str:
        p = self.payload
        if self.kind == "action":
            level = f" level {p['level']}" if p.get("level") else ""
            return f"{p.get('kind', 'action')}{level} to {p.get('to')}: {p.get('reason')}"
        return f"alert ({p.get('band')}): {p.get('alert')}"


class Sink(Protocol):
    name: str

    def accepts(self, message: Message) -> bool:
        """Whether this sink delivers the message at all (webhooks and e-mail: actions and alerts)."""
        ...

    def send(self, message: Message) -> None: ...


class LogSink:
    name = "log"

    def accepts(self, message: Message) -> bool:
        return message.kind in ACTIONS_AND_ALERTS

    def send(self, message: Message) -> None:
        # ids and kinds only: the payload holds customer text
        log.info("delivery %d: %s %s for ticket %s", message.delivery_id, message.kind, message.ref,
                 message.ticket_id)


class WebhookSink:
    def __init__(self, target: WebhookTarget, secret: str, client: httpx.Client) -> None:
        self.name = f"webhook:{target.name}"
        self._url = target.url
        self._secret = secret
        self._client = client

    def accepts(self, message: Message) -> bool:
        return message.kind in ACTIONS_AND_ALERTS

    def send(self, message: Message) -> None:
        body = message.body()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, self._secret),
                   "X-Escalation-Delivery": message.ref, "X-Escalation-Kind": message.kind,
                   "User-Agent": "escalation-risk-outbox/1"}
        # the whole call ends by the client's timeout (or the attempt's deadline): httpx times each read
        # alone, so a head sent a line at a time would hold the attempt past the lease (sent twice). Only
        # with the client's transport the outbox gives it (EndingTransport, serving/sweeper/runner.py)
        timeout = self._client.timeout.read
        ends = [at for at in (None if timeout is None else time.monotonic() + timeout, message.deadline)
                if at is not None]
        try:
            # the status is the answer; its body is not read: a body sent a byte at a time would hold the
            # attempt past the lease, a huge one the memory
            with call_ends(min(ends, default=None)), \
                    self._client.stream("POST", self._url, content=body, headers=headers) as response:
                status = response.status_code
        except httpx.HTTPError as exc:
            raise DeliveryFailedError(f"{type(exc).__name__}: {_scrub(str(exc), self._url)}",
                                      unanswered=True) from None
        if not 200 <= status < 300:
            raise DeliveryFailedError(f"HTTP {status}")


class EmailSink:
    name = "email"

    def __init__(self, settings: EmailSettings) -> None:
        if settings.host is None:
            raise ValueError("EmailSink needs outbox.email.host")
        self._settings = settings
        self._host: str = settings.host

    def accepts(self, message: Message) -> bool:
        return message.kind in ACTIONS_AND_ALERTS

    def send(self, message: Message) -> None:
        s = self._settings
        mail = EmailMessage()
        subject = f"[escalation] {message.kind} for ticket {message.ticket_id}: {message.summary()}"
        mail["Subject"] = subject[:200]
        mail["From"] = s.sender
        mail["To"] = ", ".join(s.recipients)
        mail["X-Escalation-Delivery"] = message.ref
        mail.set_content(f"{message.summary()}\n\n{json.dumps(message.payload, indent=2, sort_keys=True)}\n")
        # smtplib times each read alone, and a conversation is many: the whole of it ends by `timeout_s` (or
        # the attempt's deadline), when a watchdog shuts the socket, as the lease check counts e-mail
        ends = min(time.monotonic() + s.timeout_s, message.deadline or float("inf"))
        smtp = smtplib.SMTP(timeout=max(ends - time.monotonic(), 0.001))
        cut = threading.Event()
        watchdog = threading.Timer(max(ends - time.monotonic(), 0), _cut, (smtp, cut))
        watchdog.start()
        try:
            smtp.connect(self._host, s.port)
            if cut.is_set():  # the connection came as the time ran out: the watchdog found no socket
                raise TimeoutError
            if s.starttls:
                smtp.starttls()
            if s.username and s.password is not None:
                smtp.login(s.username, s.password.get_secret_value())
            smtp.send_message(mail)
            smtp.quit()
        except (smtplib.SMTPException, OSError) as exc:
            if cut.is_set():
                raise DeliveryFailedError(f"SMTP: no whole conversation within {s.timeout_s:g} s",
                                          unanswered=True) from None
            raise DeliveryFailedError(f"SMTP {type(exc).__name__}: {exc}") from None
        finally:
            watchdog.cancel()
            smtp.close()


def _cut(smtp: smtplib.SMTP, cut: threading.Event) -> None:
    """Ends an SMTP conversation past its time: shutting the socket wakes the read that waits on it."""
    cut.set()
    sock = smtp.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


def sinks_from(settings: OutboxSettings, client: httpx.Client) -> Sequence[Sink]:
    """The configured sinks: the log, each webhook, e-mail when an SMTP host is set."""
    sinks: list[Sink] = [LogSink()] if settings.log else []
    if settings.webhooks:
        if settings.webhook_secret is None:  # settings validation refuses this; kept for hand-built settings
            raise ValueError("outbox.webhook_secret is required with outbox.webhooks")
        secret = settings.webhook_secret.get_secret_value()
        # httpx logs every request's full URL at INFO, and webhook URLs often carry a token
        logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLogger("httpx").level))
        sinks += [WebhookSink(t, secret, client) for t in settings.webhooks]
    if settings.email.host:
        sinks.append(EmailSink(settings.email))
    return sinks


def _scrub(text: str, url: str) -> str:
    return text.replace(url, "<webhook url>")
