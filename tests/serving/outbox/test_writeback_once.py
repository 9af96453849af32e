"""What is not written back (again), on SQLite and PostgreSQL: a ticket the helpdesk refuses for good (404
gone, 422 closed) fails its delivery at the first attempt instead of being retried to the last; a ticket the
helpdesk has no more (404) is not written back again until an event of it arrives; a re-assessment with the
same rounded risk and band as the ticket's latest write-back is not enqueued (the sweeper re-assesses tickets
as time passes). And the write-back counters of /metrics."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from serving.metrics import StoreCollector
from tests.helpdesks.fake_helpdesk import TOKEN, serve, writeback_config

from .desk import ANGRY, FIRST, T0, Desk, message, ticket, wb


def writeback_counts(d: Desk) -> dict[tuple[str, str], float]:
    """escalation_writebacks_total as /metrics shows it, by (helpdesk, outcome)."""
    [family] = [m for m in StoreCollector(lambda: d.db, 0).collect() if m.name == "escalation_writebacks"]
    return {(s.labels["helpdesk"], s.labels["outcome"]): s.value for s in family.samples
            if s.name.endswith("_total")}


@pytest.mark.parametrize(("vendor", "status", "refused"), [
    ("zendesk", 404, True), ("freshdesk", 404, True), ("zammad", 404, True),  # the ticket is gone
    ("zendesk", 422, True),  # Zendesk: a closed ticket cannot be updated
    ("freshdesk", 403, True),
    ("zendesk", 408, False), ("zammad", 409, False), ("freshdesk", 500, False),  # worth another try
])
def test_a_helpdesk_refusing_the_ticket_fails_its_write_back_at_once(
        vendor: str, status: int, refused: bool, desk: Callable[..., Desk],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    tid = f"{vendor}-41"
    with serve(vendor) as fake:
        d = desk(writeback_config(vendor, fake.url))
        fake.fail(41, status)
        first = d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, ANGRY)])
        ref = f"writeback:{first.assessment_id}"
        now = datetime.now(UTC) + timedelta(seconds=1)
        done = d.worker.deliver_once(now)
        [row] = d.writebacks()
        call = fake.calls[0]
        # a refusal for good says what it means (tests/serving/outbox/test_writeback_operator.py)
        assert (row.last_error or "").startswith(f"writeback:{vendor}: {vendor} {call.method} {call.path}: "
                                                 f"HTTP {status}")
        if not refused:  # worth another try
            assert (wb(done.retrying), row.status) == ([ref], "pending")
            return
        assert (wb(done.failed), row.status, row.attempts) == ([ref], "failed", 1)  # not retried to the last
        assert row.sinks is not None and row.sinks[f"writeback:{vendor}"]["permanent"] is True
        later = d.worker.deliver_once(now + timedelta(hours=1))
        assert wb(later.delivered + later.retrying + later.failed) == []
    assert len(fake.calls) == 1  # one refusal, nothing more sent
    assert f"delivery {row.id} (writeback {ref}) failed for good at attempt 1" in caplog.text
    assert TOKEN not in caplog.text and ANGRY not in caplog.text  # neither the credential nor the words
    assert writeback_counts(d)[(vendor, "failed")] == 1.0


def test_an_unchanged_risk_and_band_is_not_written_back_again(desk: Callable[..., Desk]) -> None:
    tid = "zendesk-42"
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        first = d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        swept = [d.service.reassess(tid, T0 + timedelta(seconds=s)) for s in (30, 60)]
        assert all(r is not None and r.assessment_id != first.assessment_id for r in swept)  # new assessments
        assert {(r.body.band, round((r.body.risk or 0) * 100)) for r in swept if r is not None} == {
            (first.band, round((first.risk or 0) * 100))}  # ... saying the same
        assert [r.ref for r in d.writebacks()] == [f"writeback:{first.assessment_id}"]  # not enqueued again
        rose = d.service.ingest(tid, None, [message(tid, 2, 65, ANGRY)])  # the band changes: written back
        assert rose.band != first.band
        assert [r.ref for r in d.writebacks()][1:] == [f"writeback:{rose.assessment_id}"]
        d.worker.deliver_once(datetime.now(UTC) + timedelta(seconds=1))
    assert len(fake.field_writes(42)) == 2 and len(fake.private_notes(42)) == 1
    assert writeback_counts(d)[("zendesk", "sent")] == 2.0


def test_after_a_failed_write_back_the_same_values_are_written_again(desk: Callable[..., Desk]) -> None:
    tid = "freshdesk-43"
    with serve("freshdesk") as fake:
        d = desk(writeback_config("freshdesk", fake.url))
        fake.fail(43, 403)  # e.g. the agent may not edit the ticket's group, until an admin lets it
        d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert d.worker.deliver_once(now).failed
        swept = d.service.reassess(tid, T0 + timedelta(seconds=30))
        assert swept is not None
        assert [r.status for r in d.writebacks()] == ["failed", "pending"]  # the failed one does not count
        assert wb(d.worker.deliver_once(now).delivered) == [f"writeback:{swept.assessment_id}"]
    assert fake.field_writes(43) == [round((swept.body.risk or 0) * 100)]
    assert writeback_counts(d) == {**{(h, o): 0.0 for h in ("zendesk", "freshdesk", "zammad")
                                      for o in ("sent", "failed", "rate_limited")},
                                   ("freshdesk", "sent"): 1.0, ("freshdesk", "failed"): 1.0}


@pytest.mark.parametrize(("vendor", "how"), [
    ("zendesk", "deleted"), ("freshdesk", "deleted"), ("zammad", "deleted"),
    ("zendesk", "closed"),  # closed in Zendesk, and no webhook said so: every update is a 422
])
def test_a_ticket_gone_from_the_helpdesk_is_not_written_back_until_it_shows_life_again(
        vendor: str, how: str, desk: Callable[..., Desk], caplog: pytest.LogCaptureFixture) -> None:
    """Deleted in the helpdesk (or merged away) without a webhook saying so: every re-assessment (the
    sweeper re-assesses as the SLA clocks run) enqueued a write-back that the helpdesk answered 404, forever.
    After the 404 the ticket is not written back, and that is logged once, until an event of it arrives; the
    helpdesk's other tickets are written back meanwhile."""
    caplog.set_level(logging.INFO)
    gone, alive = f"{vendor}-44", f"{vendor}-45"
    with serve(vendor) as fake:
        d = desk(writeback_config(vendor, fake.url))
        getattr(fake, how).add(44)
        d.service.ingest(gone, ticket(gone), [message(gone, 1, 0, FIRST)])
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert len(wb(d.worker.deliver_once(now).failed)) == 1
        refused = len(fake.calls)
        assert fake.calls[-1].status == (404 if how == "deleted" else 422)
        d.service.ingest(alive, ticket(alive), [message(alive, 1, 0, FIRST)])
        # the sweeper re-assesses both as time passes: the first reply goes overdue, the band rises
        for minutes in (30, 90, 240, 600):
            for tid in (gone, alive):
                assert d.service.reassess(tid, T0 + timedelta(minutes=minutes)) is not None
        assert {r.ticket_id for r in d.writebacks()[1:]} == {alive}  # nothing more enqueued for the gone one
        done = d.worker.deliver_once(now + timedelta(hours=1))
        assert wb(done.failed) == [] and len(wb(done.delivered)) == len(d.writebacks()) - 1
        assert [c for c in fake.calls[refused:] if c.ticket == 44] == []
        said = "has no such ticket" if how == "deleted" else "takes no more updates of the closed ticket"
        assert caplog.text.count(f"ticket {gone}: {vendor} {said}") == 1
        assert TOKEN not in caplog.text and FIRST not in caplog.text

        # the ticket shows life again (restored, and a customer writes): written back once more
        getattr(fake, how).discard(44)
        back = d.service.ingest(gone, None, [message(gone, 2, 700, ANGRY)])
        assert d.writebacks()[-1].ref == f"writeback:{back.assessment_id}"
        written = d.worker.deliver_once(now + timedelta(hours=2)).delivered
        assert wb(written) == [f"writeback:{back.assessment_id}"]
    assert fake.field_writes(44) == [round((back.risk or 0) * 100)]
