"""KPIs on a small history, hand-computed, on SQLite and PostgreSQL (policy: 24/7, first response 1 h,
resolution 1 d — tests/serving/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from core.errors import NotFoundError
from core.tickets import Event, Ticket
from serving.errors import ConflictError, InputError
from serving.kpis import TicketFacts, combine, compute_kpis, kpi_report, kpi_teams, load_facts
from serving.service import Service
from serving.sweeper import Sweeper


def ticket(tid: str, created: str, team: str) -> Ticket:
    return Ticket.model_validate(
        {
            "ticket_id": tid,
            "created_at": created,
            "channel": "email",
            "priority": "normal",
            "customer_id": "C-1",
            "customer_tier": "gold",
            "product": "p",
            "category": "c",
            "team": team,
            "language": "en",
        }
    )


def ev(tid: str, n: int, at: str, kind: str, role: str = "agent", **extra: Any) -> Event:
    body = {"body": f"message {n}"} if kind in ("customer_message", "agent_reply") else {}
    return Event.model_validate(
        {
            "event_id": f"{tid}-{n}",
            "ticket_id": tid,
            "at": at,
            "type": kind,
            "author_role": role,
            **body,
            **extra,
        }
    )


def history(service: Service) -> None:
    d = "2026-05-0"
    # A: replied in 30 min, solved: first-contact resolved, both targets met
    service.ingest(
        "A",
        ticket("A", f"{d}4T09:00:00Z", "billing"),
        [
            ev("A", 1, f"{d}4T09:00:00Z", "customer_message", "customer"),
            ev("A", 2, f"{d}4T09:30:00Z", "agent_reply"),
            ev("A", 3, f"{d}4T09:40:00Z", "status_change", status="solved"),
        ],
    )
    # B: first reply after 2 h (missed), a second reply, escalated by hand, solved: not first contact
    service.ingest(
        "B",
        ticket("B", f"{d}5T09:00:00Z", "billing"),
        [
            ev("B", 1, f"{d}5T09:00:00Z", "customer_message", "customer"),
            ev("B", 2, f"{d}5T10:30:00Z", "escalation", "manager", level=1, escalation_type="hierarchical"),
            ev("B", 3, f"{d}5T11:00:00Z", "agent_reply"),
            ev("B", 4, f"{d}5T11:30:00Z", "agent_reply"),
            ev("B", 5, f"{d}5T12:00:00Z", "status_change", status="solved"),
        ],
    )
    # C: one reply, solved, reopened, solved again: not first contact; targets (both resolution cycles) met
    service.ingest(
        "C",
        ticket("C", f"{d}6T09:00:00Z", "tech"),
        [
            ev("C", 1, f"{d}6T09:00:00Z", "customer_message", "customer"),
            ev("C", 2, f"{d}6T09:10:00Z", "agent_reply"),
            ev("C", 3, f"{d}6T09:20:00Z", "status_change", status="solved"),
            ev("C", 4, f"{d}6T10:00:00Z", "status_change", "customer", status="open"),
            ev("C", 5, f"{d}6T10:10:00Z", "agent_reply"),
            ev("C", 6, f"{d}6T10:30:00Z", "status_change", status="solved"),
        ],
    )
    # E: only a bot answered, then solved: solved, not first contact; resolution met, first response stopped
    service.ingest(
        "E",
        ticket("E", f"{d}4T10:00:00Z", "billing"),
        [
            ev("E", 1, f"{d}4T10:00:00Z", "customer_message", "customer"),
            ev("E", 2, f"{d}4T10:05:00Z", "agent_reply", "bot"),
            ev("E", 3, f"{d}4T10:06:00Z", "status_change", status="solved"),
        ],
    )
    # D (next week): nobody answers; the sweeper escalates at 10:31: escalated, first response breached
    service.ingest(
        "D",
        ticket("D", "2026-05-12T09:00:00Z", "tech"),
        [ev("D", 1, "2026-05-12T09:00:00Z", "customer_message", "customer")],
    )
    fired = Sweeper(service, clock=lambda: datetime(2026, 5, 12, 10, 31, tzinfo=UTC)).sweep_once().fired
    assert len(fired) == 2  # level 1 and level 2 at once (late wake-up)


def figures(
    tickets: int,
    escalated: int,
    solved: int,
    fcr: int,
    judged: int,
    met: int,
    types: dict[str, int] | None = None,
    causes: dict[str, int] | None = None,
    owners: dict[str, int] | None = None,
    unrecorded: int = 0,
    withdrawn: int = 0,
    reopened: int = 0,
    by_target: dict[str, tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """The figures of these counts; `by_target`: (met, judged) of each SLA target that has a verdict."""
    rate = lambda a, b: round(a / b, 6) if b else None  # noqa: E731
    return {
        "tickets": tickets,
        "escalated": escalated,
        "escalation_rate": rate(escalated, tickets),
        "solved": solved,
        "first_contact_resolved": fcr,
        "first_contact_resolution_rate": rate(fcr, solved),
        "reopened": reopened,
        "reopen_rate": rate(reopened, solved),
        "sla_targets_judged": judged,
        "sla_targets_met": met,
        "sla_compliance": rate(met, judged),
        "sla_by_target": {
            t: {"judged": j, "met": m, "compliance": rate(m, j)}
            for t in ("first_response", "next_response", "resolution")
            for m, j in [(by_target or {}).get(t, (0, 0))]
        },
        "escalations_by_type": {"functional": 0, "hierarchical": 0, "automatic": 0} | (types or {}),
        "root_causes": causes or {},
        "root_cause_owners": owners or {},
        "root_cause_unrecorded": unrecorded,
        "withdrawn": withdrawn,
    }


def test_the_team_choice_offers_a_team_whose_tickets_are_all_solved(
    make_service: Callable[[], Service],
) -> None:
    """billing's tickets (A, B, E) are all solved; its past KPIs are still what a manager looks up."""
    service = make_service()
    history(service)
    assert service.store.open_teams() == ["tech"]
    assert kpi_teams(service.store.db) == ["billing", "tech"]  # every team with tickets, by name


def test_kpis_by_week_and_team(make_service: Callable[[], Service]) -> None:
    service = make_service()
    history(service)
    facts = {f.ticket_id: f for f in load_facts(service.store.db, None, None, None)}
    assert {t: (f.sla_met, f.sla_judged) for t, f in facts.items()} == {
        "A": (2, 2),
        "B": (1, 2),
        "C": (3, 3),  # resolution's first cycle (before the reopen) met too
        "E": (1, 1),
        "D": (0, 1),
    }
    # B by hand (hierarchical), D by the sweeper (automatic); only B has a root cause yet
    service.root_cause("B", "missing_knowledge", "billing", "refund rules", "dev-manager")
    hierarchical, automatic = {"hierarchical": 1}, {"automatic": 1}
    report = kpi_report(service.store.db, period="week", start=None, end=None, team=None)
    assert report.totals.model_dump() == figures(  # 40 % escalated, FCR 25 %, SLA 7 of 9, C reopened
        5, 2, 4, 1, 9, 7, hierarchical | automatic, {"missing_knowledge": 1}, {"billing": 1}, unrecorded=1,
        reopened=1, by_target={"first_response": (2, 4), "resolution": (5, 5)},  # first responses met: A C
    )
    assert [r.model_dump() for r in report.rows] == [
        {
            "period_start": "2026-05-04",
            "team": "billing",
            **figures(3, 1, 3, 1, 5, 4, hierarchical, {"missing_knowledge": 1}, {"billing": 1},
                      by_target={"first_response": (1, 2), "resolution": (3, 3)}),
        },
        {"period_start": "2026-05-04", "team": "tech", **figures(
            1, 0, 1, 0, 3, 3, reopened=1, by_target={"first_response": (1, 1), "resolution": (2, 2)})},
        {"period_start": "2026-05-11", "team": "tech", **figures(
            1, 1, 0, 0, 1, 0, automatic, unrecorded=1, by_target={"first_response": (0, 1)})},
    ]
    assert combine(report.rows) == report.totals  # the dashboard's sum over rows: the same figures
    # a correction replaces the cause in the KPIs; the first record stays in the ticket's history
    service.root_cause("D", "agent_workload", "tech", None, "dev-manager")
    service.root_cause("D", "target_too_tight", "service-desk", "1 h is too tight at night", "dev-manager")
    totals = kpi_report(service.store.db, period="week", start=None, end=None, team=None).totals
    assert totals.root_causes == {"missing_knowledge": 1, "target_too_tight": 1}
    assert totals.root_cause_owners == {"billing": 1, "service-desk": 1}
    assert totals.root_cause_unrecorded == 0
    history_d = service.ticket_history("D").root_causes
    assert [(r.cause, r.who) for r in history_d] == [
        ("agent_workload", "dev-manager"),
        ("target_too_tight", "dev-manager"),
    ]
    days = kpi_report(service.store.db, period="day", start=None, end=None, team=None)
    assert [(r.period_start, r.team, r.tickets) for r in days.rows] == [
        ("2026-05-04", "billing", 2),
        ("2026-05-05", "billing", 1),
        ("2026-05-06", "tech", 1),
        ("2026-05-12", "tech", 1),
    ]
    month = compute_kpis(facts.values(), "month")
    assert [r.period_start for r in month.rows] == ["2026-05-01", "2026-05-01"]

    filtered = kpi_report(
        service.store.db,
        period="month",
        start=datetime(2026, 5, 5, tzinfo=UTC),
        end=datetime(2026, 5, 12, tzinfo=UTC),
        team="billing",
    )
    assert (filtered.from_, filtered.to, filtered.team) == (
        "2026-05-05T00:00:00+00:00", "2026-05-12T00:00:00+00:00", "billing"
    )
    assert filtered.totals.model_dump() == figures(  # B only
        1, 1, 1, 0, 2, 1, hierarchical, {"missing_knowledge": 1}, {"billing": 1},
        by_target={"first_response": (0, 1), "resolution": (1, 1)},
    )
    with pytest.raises(InputError, match=r"^to: 2026-05-04T00:00:00\+00:00 is not after from"):
        kpi_report(
            service.store.db,
            period="day",
            start=datetime(2026, 5, 5, tzinfo=UTC),
            end=datetime(2026, 5, 4, tzinfo=UTC),
            team=None,
        )


def test_root_cause_is_recorded_for_escalated_tickets_only(make_service: Callable[[], Service]) -> None:
    service = make_service()
    history(service)
    with pytest.raises(ConflictError, match=r"^ticket 'A' has not been escalated"):
        service.root_cause("A", "agent_workload", "billing", None, "dev-manager")
    with pytest.raises(NotFoundError, match=r"^ticket 'nope' is not known"):
        service.root_cause("nope", "agent_workload", "billing", None, "dev-manager")
    unknown = r"^cause: 'bad_luck' is not a configured root cause; one of agent_workload"
    with pytest.raises(InputError, match=unknown):
        service.root_cause("B", "bad_luck", "billing", None, "dev-manager")
    assert service.ticket_history("A").root_causes == []  # nothing was stored by the refusals
    recorded = service.root_cause("B", "product_defect", " billing ", "export bug", "dev-manager")
    assert (recorded.cause, recorded.owning_team) == ("product_defect", "billing")
    assert recorded.note == "export bug"
    assert recorded.root_cause_id is not None


@pytest.mark.parametrize(
    ("created", "period", "zone", "start"),
    [
        ("2026-11-30T23:30:00Z", "month", "UTC", "2026-11-01"),
        ("2026-11-30T23:30:00Z", "month", "Europe/Oslo", "2026-12-01"),  # 00:30 on 1 Dec in Oslo
        ("2026-12-01T03:00:00Z", "day", "America/New_York", "2026-11-30"),  # 22:00 the evening before
        ("2026-03-29T22:30:00Z", "week", "Europe/Oslo", "2026-03-30"),  # Mon 00:30 CEST, clocks just forward
        ("2026-10-25T23:30:00Z", "day", "Europe/Oslo", "2026-10-26"),  # Mon 00:30 CET, clocks just back
    ],
)
def test_a_ticket_counts_in_the_period_it_was_created_in_the_zone(
    created: str, period: str, zone: str, start: str
) -> None:
    facts = TicketFacts("T", datetime.fromisoformat(created), "billing", escalated=False, solved=False,
                        first_contact=False, sla_met=0, sla_judged=0)
    rows = compute_kpis([facts], period, zone).rows  # type: ignore[arg-type]
    assert [r.period_start for r in rows] == [start]


def test_sla_compliance_keeps_the_verdict_of_a_cycle_before_a_reopen(
    make_service: Callable[[], Service],
) -> None:
    """Solved two days late (resolution 1 d: missed), then reopened and solved within the hour: the reopen's
    cycle is met, and the missed first cycle still counts — compliance does not improve by reopening."""
    service = make_service()
    service.ingest(
        "R",
        ticket("R", "2026-05-04T09:00:00Z", "billing"),
        [
            ev("R", 1, "2026-05-04T09:00:00Z", "customer_message", "customer"),
            ev("R", 2, "2026-05-04T09:30:00Z", "agent_reply"),
            ev("R", 3, "2026-05-06T09:00:00Z", "status_change", status="solved"),
        ],
    )
    before = kpi_report(service.store.db, period="week", start=None, end=None, team=None).totals
    assert (before.sla_targets_met, before.sla_targets_judged) == (1, 2)
    reopened = service.ingest(
        "R",
        None,
        [
            ev("R", 4, "2026-05-06T10:00:00Z", "status_change", "customer", status="open"),
            ev("R", 5, "2026-05-06T10:20:00Z", "status_change", status="solved"),
        ],
    )
    after = kpi_report(service.store.db, period="week", start=None, end=None, team=None).totals
    assert (after.sla_targets_met, after.sla_targets_judged) == (2, 3)  # was 2/2: the miss hidden
    targets = {t.target.value: t for t in reopened.sla.targets}  # what the API answers and the store keeps
    assert (targets["resolution"].earlier_met, targets["resolution"].earlier_failed) == (0, 1)


def test_withdrawn_tickets_leave_every_figure_and_are_counted_apart(
    make_service: Callable[[], Service],
) -> None:
    """G: answered and solved at first contact. M: answered, then merged into G (Zendesk then closes it): once
    a closed ticket resolved at first contact. S: spam after its first response breached (1 h) and a manager's
    escalation. R: deleted, then restored and still open. Only G and R count; M and S are `withdrawn`."""
    service = make_service()
    d = "2026-05-04T"
    service.ingest("G", ticket("G", f"{d}09:00:00Z", "billing"), [
        ev("G", 1, f"{d}09:00:00Z", "customer_message", "customer"),
        ev("G", 2, f"{d}09:20:00Z", "agent_reply"),
        ev("G", 3, f"{d}09:30:00Z", "status_change", status="solved")])
    service.ingest("M", ticket("M", f"{d}09:05:00Z", "billing"), [
        ev("M", 1, f"{d}09:05:00Z", "customer_message", "customer"),
        ev("M", 2, f"{d}09:25:00Z", "agent_reply"),
        ev("M", 3, f"{d}09:30:00Z", "status_change", status="withdrawn"),
        ev("M", 4, f"{d}09:30:00Z", "status_change", status="closed")])
    service.ingest("S", ticket("S", f"{d}10:00:00Z", "billing"), [
        ev("S", 1, f"{d}10:00:00Z", "customer_message", "customer"),
        ev("S", 2, f"{d}11:30:00Z", "escalation", "manager", level=1, escalation_type="hierarchical"),
        ev("S", 3, f"{d}12:00:00Z", "status_change", status="withdrawn")])
    service.ingest("R", ticket("R", f"{d}13:00:00Z", "billing"), [
        ev("R", 1, f"{d}13:00:00Z", "customer_message", "customer"),
        ev("R", 2, f"{d}13:10:00Z", "agent_reply"),
        ev("R", 3, f"{d}13:20:00Z", "status_change", status="withdrawn"),
        ev("R", 4, f"{d}13:30:00Z", "status_change", status="open")])
    facts = {f.ticket_id: f for f in load_facts(service.store.db, None, None, None)}
    assert {t: f.withdrawn for t, f in facts.items()} == {"G": False, "M": True, "S": True, "R": False}
    assert facts["M"].solved is False and facts["M"].first_contact is False
    report = kpi_report(service.store.db, period="week", start=None, end=None, team=None)
    # G: first response and resolution met; R: first response met, its resolution running again
    by_target = {"first_response": (2, 2), "resolution": (1, 1)}
    assert report.totals.model_dump() == figures(2, 0, 1, 1, 3, 3, withdrawn=2, by_target=by_target)
    row = {"period_start": "2026-05-04", "team": "billing", **figures(2, 0, 1, 1, 3, 3, withdrawn=2,
                                                                      by_target=by_target)}
    assert [r.model_dump() for r in report.rows] == [row]
