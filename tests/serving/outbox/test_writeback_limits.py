"""A helpdesk's rate limit of one ticket through the outbox: Zendesk limits how often one user updates the
same ticket (a 429 naming that ticket), and only that ticket's write-backs wait for it; the helpdesk's
other tickets are written back in the same pass."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tests.helpdesks.fake_helpdesk import RETRY_AFTER_S, TICKET_LIMITED, serve, writeback_config

from .desk import ANGRY, FIRST, Desk, message, ticket, wb


def test_a_tickets_update_limit_holds_back_that_tickets_write_backs_only(desk: Callable[..., Desk]) -> None:
    """Zendesk's 429 for one ticket's updates held back every write-back to Zendesk for its Retry-After:
    one busy ticket delayed the risk of all the others."""
    with serve("zendesk") as fake:
        d = desk(writeback_config("zendesk", fake.url))
        for n in (1, 2, 3):
            tid = f"zendesk-{n}"
            d.service.ingest(tid, ticket(tid), [message(tid, 1, 0, FIRST)])
        d.service.ingest("zendesk-1", None, [message("zendesk-1", 2, 65, ANGRY)])  # a second write-back of 1
        fake.fail(1, 429, body=TICKET_LIMITED)
        now = datetime.now(UTC) + timedelta(seconds=1)
        passed = d.worker.deliver_once(now)
        rows = d.writebacks()
        by_ticket = {f"zendesk-{n}": [r for r in rows if r.ticket_id == f"zendesk-{n}"] for n in (1, 2, 3)}
        assert sorted(wb(passed.delivered)) == sorted(r.ref for t in ("zendesk-2", "zendesk-3")
                                                      for r in by_ticket[t])
        assert sorted(wb(passed.retrying)) == sorted(r.ref for r in by_ticket["zendesk-1"])
        assert [c.ticket for c in fake.calls].count(1) == 1  # its second write-back waited without a call
        for row in by_ticket["zendesk-1"]:  # waiting as asked spends no attempt
            assert (row.status, row.attempts) == ("pending", 0)
            assert row.next_attempt_at >= now + timedelta(seconds=RETRY_AFTER_S)
        assert by_ticket["zendesk-1"][0].sinks["writeback:zendesk"]["rate_limited"] == 1
        later = d.worker.deliver_once(now + timedelta(seconds=RETRY_AFTER_S + 60))
        assert sorted(wb(later.delivered)) == sorted(r.ref for r in by_ticket["zendesk-1"])
    assert {t: len(fake.field_writes(t)) for t in (1, 2, 3)} == {1: 2, 2: 1, 3: 1}  # one per assessment
    assert len(fake.private_notes(1)) == 1
