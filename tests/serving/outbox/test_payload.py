"""The stored JSON of a write-back delivery's payload, on SQLite and PostgreSQL: `WritebackPayload` writes
it byte for byte as before, and reads rows written before."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import text

from core.enums import Band
from serving.outbox.payload import WritebackPayload
from tests.helpdesks.fake_helpdesk import serve, writeback_config

from .desk import ANGRY, Desk, message, ticket

# rows as the outbox stored them before WritebackPayload (the first captured from a delivery enqueued then)
BEFORE = [
    '{"helpdesk": "zendesk", "ticket": 41, "risk_percent": 6, "band": "low", "previous_band": null, '
    '"note": null, "assessment_id": 1}',
    '{"helpdesk": "zammad", "ticket": 7, "risk_percent": 81, "band": "high", "previous_band": "medium", '
    '"note": "Escalation risk rose to high.", "assessment_id": 12}',
]


def stored_payload(d: Desk) -> str:
    with d.db.session() as s:
        return str(s.execute(text("SELECT CAST(payload AS TEXT) FROM deliveries WHERE kind = 'writeback'"))
                   .scalar_one())


def test_a_write_back_payload_is_stored_as_before(desk: Callable[..., Desk]) -> None:
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        first = d.service.ingest("zendesk-41", ticket("zendesk-41"), [message("zendesk-41", 1, 0, ANGRY)])
        raw = stored_payload(d)
    assert first.assessment_id == 1
    assert raw == BEFORE[0]


def test_a_write_back_payload_stored_before_reads_back_the_same() -> None:
    for raw in BEFORE:
        payload = WritebackPayload.from_json(json.loads(raw))
        assert json.dumps(payload.to_json()) == raw
    assert WritebackPayload.from_json(json.loads(BEFORE[1])).previous_band is Band.MEDIUM
