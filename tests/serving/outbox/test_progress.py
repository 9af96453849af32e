"""The stored JSON of the outbox's per-sink progress (`DeliveryRow.sinks`), on SQLite and PostgreSQL:
`SinkState` writes it byte for byte as the worker did before it, and reads rows written before."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import text

from serving.outbox.progress import SinkState
from tests.helpdesks.fake_helpdesk import serve, writeback_config

from .desk import ANGRY, T0, Desk, message, ticket

AT = "2036-05-01T09:00:00+00:00"
# one sink's state as the worker stored it before SinkState (the first three captured from deliveries then)
BEFORE = {
    404: f'{{"status": "failed", "attempts": 1, "last_attempt_at": "{AT}", "last_error": "zendesk GET '
         '/api/v2/tickets/41.json: HTTP 404 (the helpdesk has no such ticket: deleted, or merged into '
         'another)", '
         '"done": [], "permanent": true, "gone": true}',
    429: f'{{"status": "failed", "attempts": 1, "last_attempt_at": "{AT}", "last_error": "zendesk GET '
         '/api/v2/tickets/42.json: HTTP 429 (retry after 120 s)", "done": [], "permanent": false, '
         '"gone": false, "rate_limited": 1}',
    200: f'{{"status": "delivered", "attempts": 1, "last_attempt_at": "{AT}", "last_error": null}}',
}
OLDER = [  # a sink's bug (an unexpected exception), then delivered; a state of a sink never tried
    f'{{"status": "delivered", "attempts": 2, "last_attempt_at": "{AT}", "permanent": false, '
    '"last_error": null}',
    '{"status": "pending", "attempts": 0}',
    f'{{"status": "failed", "attempts": 3, "last_attempt_at": "{AT}", "last_error": "x", '
    '"done": ["fields"], "permanent": false, "gone": false, "rate_limited": 2}',
]


def test_each_sink_state_is_stored_as_before(desk: Callable[..., Desk]) -> None:
    for number, status in ((41, 404), (42, 429), (43, 200)):
        tid = f"zendesk-{number}"
        with serve("zendesk") as fake:
            d = desk(writeback_config("zendesk", fake.url))
            if status != 200:
                fake.fail(number, status)
            d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, ANGRY)])
            d.worker.deliver_once(T0 + timedelta(days=3650))
            with d.db.session() as s:
                raw = s.execute(text("SELECT CAST(sinks AS TEXT) FROM deliveries WHERE ticket_id = :t"),
                                {"t": tid}).scalar_one()
        assert raw == f'{{"writeback:zendesk": {BEFORE[status]}}}'


def test_a_sink_state_stored_before_reads_back_the_same() -> None:
    for raw in [*BEFORE.values(), *OLDER]:
        assert json.dumps(SinkState.from_json(json.loads(raw)).to_json()) == raw
    state = SinkState.from_json(json.loads(OLDER[2]))
    assert (state.done, state.rate_limited, state.settled) == (("fields",), 2, False)
    assert SinkState.from_json(json.loads(BEFORE[404])).gone is True
    state.limited()  # what a next attempt adds goes where the worker put it before
    state.delivered()
    assert list(state.to_json()) == ["status", "attempts", "last_attempt_at", "last_error", "done",
                                     "permanent", "gone", "rate_limited"]
    fresh = SinkState()
    fresh.attempted(AT)
    fresh.failed_unexpectedly("unexpected KeyError")
    assert list(fresh.to_json()) == ["status", "attempts", "last_attempt_at", "permanent", "last_error"]
