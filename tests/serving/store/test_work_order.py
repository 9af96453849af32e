"""The order of work in the query: act now (breached or escalating) → about to breach → high predicted risk
→ the rest, on SQLite and PostgreSQL, and the same steps as the Python `work_step` names on the board."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.enums import Band
from serving.store import OpenTicketsQuery, Store
from serving.store.tables import AssessmentRow, TicketRow
from serving.store.work_order import WorkStep, work_step

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SOON = timedelta(hours=1)

# id: (breached, escalation level, soonest SLA deadline from NOW, band, risk)
TICKETS = {
    "calm-low-risk": (False, 0, timedelta(days=2), Band.LOW, 0.03),
    "watch-medium": (False, 0, timedelta(hours=5), Band.MEDIUM, 0.20),
    "high-risk": (False, 0, timedelta(hours=6), Band.HIGH, 0.38),
    "higher-risk": (False, 0, None, Band.CRITICAL, 0.71),
    "due-in-50-min": (False, 0, timedelta(minutes=50), Band.LOW, 0.02),
    "due-in-10-min": (False, 0, timedelta(minutes=10), Band.MEDIUM, 0.10),
    # the example: a 5 % ticket breached at level 2 goes above a 38 % one nobody has to act on yet
    "breached-level-2": (True, 2, -timedelta(hours=30), Band.CRITICAL, 0.05),
    "breached-level-1-risky": (True, 1, -timedelta(hours=2), Band.HIGH, 0.40),
    "breached-level-1": (True, 1, -timedelta(hours=3), Band.HIGH, 0.10),
    "trigger-no-breach": (False, 1, timedelta(hours=7), Band.HIGH, 0.12),
}
EXPECTED = [
    "breached-level-2",
    "breached-level-1-risky",
    "breached-level-1",
    "trigger-no-breach",
    "due-in-10-min",
    "due-in-50-min",
    "higher-risk",
    "high-risk",
    "watch-medium",
    "calm-low-risk",
]


def _seed(store: Store) -> None:
    with store.db.session() as s:
        for n, (ticket_id, (breached, level, due, band, risk)) in enumerate(TICKETS.items()):
            s.add(TicketRow(
                ticket_id=ticket_id, created_at=NOW - timedelta(days=1), customer_id="C", fields={},
                status="open", channel="email", priority="normal", team="t", assignee=None, risk=risk,
                band=band.value, band_rank=band.rank, breached=breached, next_due_at=None,
                escalation_level=level, sla_due_at=NOW + due if due is not None else None,
            ))
            s.flush()
            row = AssessmentRow(
                ticket_id=ticket_id, assessed_at=NOW, basis=f"b{n}", events_seen=1, risk=risk,
                band=band.value,
                model_version=None, policy_version="p", created_at=NOW,
                body={"sla": {"escalation_level": level, "next_due_at": None, "targets": []},
                      "recommended_action": {}, "reasons": [], "signals": [], "assessed_at": NOW.isoformat(),
                      "model_version": None},
            )
            s.add(row)
            s.flush()
            s.get(TicketRow, ticket_id).last_assessment_id = row.id  # type: ignore[union-attr]


def test_the_query_lists_open_tickets_in_the_order_of_work(store: Store) -> None:
    _seed(store)
    total, items = store.early_warning(OpenTicketsQuery(sort="work", now=NOW, due_soon=SOON, limit=50))
    assert total == len(TICKETS)
    assert [i.ticket_id for i in items] == EXPECTED
    # paging walks the same order
    pages = [store.early_warning(OpenTicketsQuery(sort="work", now=NOW, due_soon=SOON, limit=3, offset=o))[1]
             for o in range(0, len(TICKETS), 3)]
    assert [i.ticket_id for page in pages for i in page] == EXPECTED


def test_the_board_names_the_same_steps_as_the_query_orders() -> None:
    steps = {
        ticket_id: work_step(
            breached=b, escalation_level=lvl, sla_due_at=NOW + due if due is not None else None,
            band=band.value, now=NOW, due_soon=SOON,
        )
        for ticket_id, (b, lvl, due, band, _) in TICKETS.items()
    }
    assert [steps[t] for t in EXPECTED] == sorted(steps[t] for t in EXPECTED)
    assert steps["breached-level-2"] is WorkStep.ACT_NOW and steps["trigger-no-breach"] is WorkStep.ACT_NOW
    assert steps["due-in-50-min"] is WorkStep.ABOUT_TO_BREACH and steps["high-risk"] is WorkStep.HIGH_RISK
    assert steps["watch-medium"] is WorkStep.WATCH
