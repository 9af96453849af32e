"""The per-team daily alert budget on SQLite AND PostgreSQL: at most k model-driven alerts stand raised per
team and day, the highest-risk ones (a higher-risk alert displaces the lowest, whose pending delivery is
withdrawn); rule triggers are exempt; a new day starts a new budget; concurrent requests do not overshoot."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from core.tickets import Event, Ticket
from serving.store import AlertBudget, AlertCandidate, Database, Recorded, Recording, Store
from serving.store.tables import AlertBudgetRow, AlertRow, Base, DeliveryRow
from tests.serving.store.test_repository import assessment

NOW = datetime(2026, 5, 4, 12, tzinfo=UTC)


def open_tickets(store: Store, *ids: str, team: str = "billing") -> None:
    for tid in ids:
        ticket = Ticket.model_validate({
            "ticket_id": tid, "created_at": "2026-05-04T09:00:00Z", "channel": "email", "priority": "normal",
            "customer_id": f"C-{tid}", "customer_tier": "gold", "product": "p", "category": "c", "team": team,
            "language": "en", "assignee": "a-1"})
        event = Event.model_validate({"event_id": f"{tid}-e1", "ticket_id": tid, "at": "2026-05-04T09:00:00Z",
                                      "type": "customer_message", "author_role": "customer", "body": "Hi"})
        store.append(tid, ticket, [event], NOW)


def record(store: Store, tid: str, risk: float | None, budget: AlertBudget, *, now: datetime = NOW,
           kind: str = "risk", team: str | None = None) -> Recorded:
    key = f"{kind}:{tid}:high:{now.isoformat()}"
    body = assessment(tid, "high", risk, now)
    alert = AlertCandidate(key, kind, "high", risk, "entered high", bypass_cooldown=kind == "trigger")
    state = {"status": "open"} | ({"team": team} if team else {})
    recording = Recording(body, key, 1, state, timedelta(hours=4), alerts=[alert], budget=budget)
    return store.record(tid, recording, now)


def alerts(store: Store) -> dict[str, tuple[float | None, str]]:
    """ticket id -> (risk, status) of its alert (one each in these tests)"""
    return {a.ticket_id: (a.risk, a.status) for a in store.alerts()}


def deliveries(store: Store) -> dict[str, str]:
    with store.db.session() as s:
        rows = s.execute(select(DeliveryRow.ticket_id, DeliveryRow.status).where(DeliveryRow.kind == "alert"))
        return {tid: status for tid, status in rows}


def test_budget_keeps_the_top_k_by_risk(store: Store) -> None:
    budget = AlertBudget(per_day=2)
    open_tickets(store, "T-1", "T-2", "T-3", "T-4", "T-5")
    assert record(store, "T-1", 0.5, budget).alerts and record(store, "T-2", 0.6, budget).alerts
    low = record(store, "T-3", 0.4, budget)  # budget spent and not above the lowest (0.5): suppressed
    assert low.alerts == () and low.suppressed == ("risk:T-3:high:" + NOW.isoformat(),)
    high = record(store, "T-4", 0.7, budget)  # above the lowest: raised, and 0.5 is displaced
    assert len(high.alerts) == 1 and high.displaced == ("risk:T-1:high:" + NOW.isoformat(),)
    tie = record(store, "T-5", 0.6, budget)  # equal to the lowest raised is not higher
    assert tie.suppressed and not tie.alerts
    assert alerts(store) == {"T-1": (0.5, "suppressed"), "T-2": (0.6, "raised"), "T-3": (0.4, "suppressed"),
                             "T-4": (0.7, "raised"), "T-5": (0.6, "suppressed")}
    # suppressed alerts are kept for audit, with the reason; only the raised ones are delivered
    assert deliveries(store) == {"T-1": "suppressed", "T-2": "pending", "T-4": "pending"}
    reasons = {a.ticket_id: a.suppressed_reason for a in store.alerts()}
    assert reasons["T-1"].startswith("displaced by risk:T-4:")
    assert "budget of 2 alert(s) for 2026-05-04" in reasons["T-1"]
    assert "not above the lowest raised (0.5)" in reasons["T-3"] and reasons["T-2"] is None


def test_a_displaced_alert_already_delivered_stays_delivered(store: Store) -> None:
    budget = AlertBudget(per_day=1)
    open_tickets(store, "T-1", "T-2")
    record(store, "T-1", 0.5, budget)
    with store.db.session() as s:
        s.execute(update(DeliveryRow).values(status="delivered"))
    assert record(store, "T-2", 0.9, budget).displaced
    assert deliveries(store) == {"T-1": "delivered", "T-2": "pending"}
    assert alerts(store)["T-1"] == (0.5, "suppressed")


def test_rule_triggers_are_never_suppressed(store: Store) -> None:
    budget = AlertBudget(per_day=0)
    open_tickets(store, "T-1", "T-2")
    assert record(store, "T-1", 0.9, budget).suppressed  # a budget of 0: every model-driven alert
    trigger = record(store, "T-2", 0.1, budget, kind="trigger")
    assert trigger.alerts and not trigger.suppressed
    assert deliveries(store) == {"T-2": "pending"}


def test_the_next_day_starts_a_new_budget_per_team(store: Store) -> None:
    budget = AlertBudget(per_day=1, by_team={"vip": 2, "sales": None}, timezone="Europe/Oslo")
    open_tickets(store, "T-1", "T-2", "T-3", "T-4")
    open_tickets(store, "V-1", "V-2", "V-3", team="vip")
    open_tickets(store, "S-1", "S-2", team="sales")
    assert record(store, "T-1", 0.5, budget).alerts
    assert record(store, "T-2", 0.4, budget).suppressed
    # 23:30 UTC is already the next day in Oslo: a new budget
    assert record(store, "T-3", 0.3, budget, now=NOW.replace(hour=23, minute=30)).alerts
    assert record(store, "T-4", 0.2, budget, now=NOW.replace(hour=23, minute=40)).suppressed
    assert [bool(record(store, t, 0.3, budget).alerts) for t in ("V-1", "V-2", "V-3")] == [True, True, False]
    assert all(record(store, t, 0.3, budget).alerts for t in ("S-1", "S-2"))  # no budget for sales
    with store.db.session() as s:
        rows = s.execute(select(AlertBudgetRow.team, AlertBudgetRow.day, AlertBudgetRow.admitted)).all()
    assert sorted(tuple(r) for r in rows) == [("billing", "2026-05-04", 1), ("billing", "2026-05-05", 1),
                                              ("vip", "2026-05-04", 2)]


def test_the_team_comes_from_the_assessment_state(store: Store) -> None:
    budget = AlertBudget(per_day=1)
    open_tickets(store, "T-1", "T-2")
    record(store, "T-1", 0.5, budget)
    assert record(store, "T-2", 0.4, budget, team="returns").alerts  # re-routed: counts in its new team
    assert {a.team for a in store.alerts()} == {"billing", "returns"}


def test_concurrent_alerts_do_not_overshoot_the_budget(url: str, store: Store) -> None:
    budget, n = AlertBudget(per_day=3), 12
    tickets = [f"C-{i}" for i in range(n)]
    open_tickets(store, *tickets)
    risks = {t: round(0.05 + 0.07 * ((i * 5) % n), 2) for i, t in enumerate(tickets)}  # distinct, shuffled
    stores = [Store(Database(url)) for _ in range(4)]  # four instances: own engine and connections each
    barrier, errors = threading.Barrier(len(stores)), []

    def run(k: int) -> None:
        try:
            barrier.wait(timeout=30)
            for t in tickets[k :: len(stores)]:
                record(stores[k], t, risks[t], budget)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for other in stores:
        other.db.dispose()
    assert not errors, errors
    raised = {t for t, (_, status) in alerts(store).items() if status == "raised"}
    assert raised == set(sorted(tickets, key=risks.__getitem__)[-3:])  # exactly the top 3, whatever the order
    assert {t for t, status in deliveries(store).items() if status == "pending"} == raised
    with store.db.session() as s:
        assert s.execute(select(AlertBudgetRow.admitted)).scalar_one() == 3
        assert s.execute(select(AlertRow.id)).all().__len__() == n
    assert Base.metadata.tables["alert_budgets"] is AlertBudgetRow.__table__
