"""The write-back as an operator meets it, on SQLite and PostgreSQL: a helpdesk that is down says so in the
log at once (it said nothing until a write-back had failed its last attempt, most of an hour later); a
wrong credential and a deleted ticket fail for good with an error that says what to do — never the
credential nor the customer's words."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpdesks.fake_helpdesk import TOKEN, serve, writeback_config
from tests.raw_server import raw_server

from .desk import ANGRY, Desk, message, ticket


@pytest.fixture
def down() -> Iterator[str]:
    """A helpdesk that takes each connection and never answers."""
    held: list[socket.socket] = []
    with raw_server(held.append) as url:
        yield url
    for conn in held:
        conn.close()


def test_a_helpdesk_that_does_not_answer_is_logged_at_its_first_retry(
        desk: Callable[..., Desk], down: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    d = desk(writeback_config("zendesk", down, timeout_s=0.5), log=False)
    for n in (1, 2):
        d.service.ingest(f"zendesk-{n}", ticket(f"zendesk-{n}"), [message(f"zendesk-{n}", 1, 0, ANGRY)])
    d.worker.deliver_once(datetime.now(UTC) + timedelta(seconds=1))
    row = d.writebacks()[0]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # one line: the other write-back waited for the next pass without a call
    assert warnings[0].startswith(f"delivery {row.id} (writeback {row.ref}) attempt 1 failed, retried from ")
    assert warnings[0].endswith(": writeback:zendesk: zendesk GET /api/v2/tickets/1.json: ReadTimeout after "
                                "0.5 s")
    assert TOKEN not in caplog.text and ANGRY not in caplog.text


@pytest.mark.parametrize(("vendor", "status", "says"), [
    ("zendesk", 401, "the helpdesk refused the credential; check ESCALATION_WRITEBACK__ZENDESK__EMAIL and "
                     "__API_TOKEN"),
    ("freshdesk", 401, "the helpdesk refused the credential; check ESCALATION_WRITEBACK__FRESHDESK__API_KEY"),
    ("zammad", 403, "the credential's agent may not do this; check its role and permissions"),
    ("zammad", 404, "the helpdesk has no such ticket: deleted, or merged into another"),
])
def test_a_refusal_for_good_says_what_to_do(vendor: str, status: int, says: str, desk: Callable[..., Desk],
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with serve(vendor) as fake:
        d = desk(writeback_config(vendor, fake.url))
        fake.fail(5, status)
        d.service.ingest(f"{vendor}-5", ticket(f"{vendor}-5"), [message(f"{vendor}-5", 1, 0, ANGRY)])
        d.worker.deliver_once(datetime.now(UTC) + timedelta(seconds=1))
    [row] = d.writebacks()
    call = fake.calls[0]
    assert row.status == "failed"
    assert row.last_error == f"writeback:{vendor}: {vendor} {call.method} {call.path}: HTTP {status} ({says})"
    assert row.last_error in caplog.text and TOKEN not in caplog.text and ANGRY not in caplog.text
