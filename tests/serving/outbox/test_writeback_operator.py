"""The write-back as an operator meets it, on SQLite and PostgreSQL: a wrong credential and a deleted ticket
fail for good with an error that says what to do — never the credential nor the customer's words."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpdesks.fake_helpdesk import TOKEN, serve, writeback_config

from .desk import ANGRY, Desk, message, ticket


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
