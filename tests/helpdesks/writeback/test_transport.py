"""One call to a helpdesk ends by its time, whatever the helpdesk (or the resolver) does below HTTP: httpx
times each read, write and connect alone, so an answer whose head came a byte at a time, or a name that
took minutes to resolve, held the call — and the outbox worker with every delivery behind it — past the
call's timeout and the attempt's budget, and past the claim on the delivery."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from core.enums import Band
from core.settings import WritebackSettings
from helpdesks.writeback import Writeback, WritebackError, clients_from, write_back
from tests.helpdesks.fake_helpdesk import writeback_config
from tests.raw_server import answer, dripped, raw_server

W = Writeback(ticket=7, assessment_id=1, risk_percent=42, band=Band.LOW, tag_prefix="escalation-", note=None)


@pytest.fixture
def dripping_head() -> Iterator[str]:
    """A helpdesk on loopback that sends its status line, then a header line every 0.1 s for 10 s."""
    with raw_server(answer(b"HTTP/1.1 200 OK\r\n", dripped(b"X-Slow: y\r\n"))) as url:
        yield url


def _elapsed(url: str, deadline_s: float | None = None, **changes: object) -> tuple[WritebackError, float]:
    settings = WritebackSettings.model_validate(writeback_config("zendesk", url, **changes))
    client = clients_from(settings)["zendesk"]
    started = time.monotonic()
    w = W if deadline_s is None else replace(W, deadline=started + deadline_s)
    with pytest.raises(WritebackError) as failed:
        write_back(client, w)
    took = time.monotonic() - started
    client.close()
    return failed.value, took


def test_an_answer_whose_head_drips_ends_at_the_calls_timeout(dripping_head: str) -> None:
    failed, took = _elapsed(dripping_head, timeout_s=0.5)
    assert took < 2.5  # the head alone went on for 10 s
    assert str(failed) == "zendesk GET /api/v2/tickets/7.json: ReadTimeout after 0.5 s"
    assert failed.unanswered and not failed.permanent


def test_an_answer_whose_head_drips_ends_at_the_attempts_budget(dripping_head: str) -> None:
    failed, took = _elapsed(dripping_head, deadline_s=0.5, timeout_s=5)
    assert took < 2.5
    # what was left when the call began: 0.5 s less the moments before it (0.499 on a busy machine)
    assert re.fullmatch(r"zendesk GET /api/v2/tickets/7\.json: ReadTimeout after 0\.[45]\d* s \(what was "
                        r"left of the write-back attempt's time budget\)", str(failed))


def test_a_name_that_does_not_resolve_in_time_ends_at_the_calls_timeout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The resolver is not timed by httpx: a DNS server that did not answer held the call for as long as
    the system's resolver tried (tens of seconds, retried at each call)."""
    released = threading.Event()

    def slow_resolver(*args: object, **kwargs: object) -> list[object]:
        released.wait(10)  # a resolver that does not answer; released when the test ends
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", slow_resolver)
    try:
        failed, took = _elapsed("https://helpdesk.invalid", timeout_s=0.5)
    finally:
        released.set()
    assert took < 2.5
    assert str(failed) == "zendesk GET /api/v2/tickets/7.json: ConnectTimeout after 0.5 s"
    assert failed.unanswered


def test_a_name_that_does_not_resolve_says_so_and_which_setting_holds_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A BASE_URL with a misspelt host failed every call as a bare 'ConnectError', as a helpdesk that was
    down did: the operator could not tell the typo from the outage."""
    def no_such_name(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    failed, _ = _elapsed("https://acme.zendesk.con", timeout_s=5)
    assert str(failed) == ("zendesk GET /api/v2/tickets/7.json: ConnectError (the host name does not "
                           "resolve; check ESCALATION_WRITEBACK__ZENDESK__BASE_URL)")
    assert failed.unanswered and not failed.permanent  # a resolver's outage passes: retried
