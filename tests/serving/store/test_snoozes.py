"""Snoozed warnings in the store, on SQLite and PostgreSQL: who and until when is recorded, a snoozed ticket
goes to the end of the list (whatever the sort), and it comes back when the snooze ends or when its situation
gets worse (a new breach, a higher escalation level, a higher band). The search on the list, too. The
history keeps every snooze with when, by whom and why it ended."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.enums import Band
from core.errors import NotFoundError
from serving.store import OpenTicketsQuery, Store
from serving.store.snoozes import EndReason, PastSnooze, Snooze, SnoozeEnd, end_if_worse
from serving.store.tables import TicketRow
from tests.serving.store.test_work_order import EXPECTED, NOW, SOON, _seed


def _order(store: Store, **query: object) -> list[str]:
    listed = store.early_warning(OpenTicketsQuery(**({"now": NOW, "due_soon": SOON, "limit": 50} | query)))  # type: ignore[arg-type]
    return [i.ticket_id for i in listed.items]


def _worsen(store: Store, ticket_id: str, **state: object) -> None:
    with store.db.session() as s:
        row = s.get(TicketRow, ticket_id)
        assert row is not None
        for name, value in state.items():
            setattr(row, name, value)


def test_a_snooze_records_who_until_when_and_the_situation(store: Store) -> None:
    _seed(store)
    recorded = store.snooze("breached-level-2", NOW + timedelta(hours=4), "ops-lead", NOW)
    assert recorded == Snooze("breached-level-2", NOW + timedelta(hours=4), "ops-lead", NOW, True, 2,
                              Band.CRITICAL.rank)
    assert store.snooze_of("breached-level-2", NOW) == recorded
    # a second snooze replaces the first
    again = store.snooze("breached-level-2", NOW + timedelta(hours=1), "other", NOW)
    assert store.snooze_of("breached-level-2", NOW) == again
    with pytest.raises(NotFoundError, match="'nope' is not known"):
        store.snooze("nope", NOW + timedelta(hours=1), "ops-lead", NOW)


def test_a_snoozed_ticket_goes_to_the_end_until_it_ends(store: Store) -> None:
    _seed(store)
    store.snooze("breached-level-2", NOW + timedelta(hours=1), "ops-lead", NOW)
    assert _order(store) == [*EXPECTED[1:], "breached-level-2"]
    items = store.early_warning(OpenTicketsQuery(now=NOW, due_soon=SOON, limit=50)).items
    assert items[-1].snooze.who == "ops-lead"
    assert all(i.snooze is None for i in items[:-1])
    # every sort puts it last; the count is unchanged (it is set aside, not hidden)
    assert _order(store, sort="level")[-1] == "breached-level-2"
    listed = store.early_warning(OpenTicketsQuery(now=NOW, due_soon=SOON, limit=50))
    assert listed.total == len(EXPECTED)
    assert listed.snoozed == 1
    assert store.early_warning(OpenTicketsQuery(now=NOW, breached_only=False, band="high")).snoozed == 0
    # at `until` the snooze has ended: back in its place
    assert _order(store, now=NOW + timedelta(hours=1)) == EXPECTED
    assert store.early_warning(OpenTicketsQuery(now=NOW + timedelta(hours=1))).snoozed == 0
    assert store.snooze_of("breached-level-2", NOW + timedelta(hours=1)) is None


@pytest.mark.parametrize(
    ("ticket_id", "state"),
    [
        ("high-risk", {"breached": True}),  # a new breach
        ("breached-level-1", {"escalation_level": 2}),  # a higher escalation level
        ("watch-medium", {"band": Band.HIGH.value, "band_rank": Band.HIGH.rank}),  # a higher band
    ],
)
def test_a_snoozed_ticket_comes_back_when_its_situation_gets_worse(
    store: Store, ticket_id: str, state: dict[str, object]
) -> None:
    _seed(store)
    store.snooze(ticket_id, NOW + timedelta(hours=4), "ops-lead", NOW)
    assert _order(store)[-1] == ticket_id
    _worsen(store, ticket_id, **state)
    assert _order(store)[-1] != ticket_id
    assert store.snooze_of(ticket_id, NOW) is None


def test_a_better_or_unchanged_situation_keeps_the_snooze(store: Store) -> None:
    _seed(store)
    store.snooze("breached-level-1", NOW + timedelta(hours=4), "ops-lead", NOW)
    _worsen(store, "breached-level-1", risk=0.5, band=Band.MEDIUM.value, band_rank=Band.MEDIUM.rank)
    assert _order(store)[-1] == "breached-level-1"


def test_unsnooze_brings_the_ticket_back(store: Store) -> None:
    _seed(store)
    store.snooze("breached-level-2", NOW + timedelta(hours=4), "ops-lead", NOW)
    assert store.unsnooze("breached-level-2", "ops-lead", NOW) is True
    assert store.unsnooze("breached-level-2", "ops-lead", NOW) is False
    assert _order(store) == EXPECTED
    with pytest.raises(NotFoundError):
        store.unsnooze("nope", "ops-lead", NOW)


def test_the_search_matches_ticket_id_customer_and_subject(store: Store) -> None:
    _seed(store)
    _worsen(store, "calm-low-risk", customer_id="ACME-7", fields={"subject": "Refund 100% NOT received"})
    assert _order(store, search="LEVEL-1") == ["breached-level-1-risky", "breached-level-1"]
    assert _order(store, search="acme") == ["calm-low-risk"]
    assert _order(store, search="refund 100%") == ["calm-low-risk"]
    # LIKE's wildcards are taken literally
    assert _order(store, search="%") == ["calm-low-risk"]
    assert _order(store, search="_") == []
    # combined with the filters
    assert _order(store, search="level", breached_only=True) == ["breached-level-2", "breached-level-1-risky",
                                                                "breached-level-1"]
    assert _order(store, search="acme", band="critical") == []


@pytest.mark.parametrize(("subject", "search"), [
    ("Überweisung fehlt", "Überweisung"),  # SQLite's lower() knows only A-Z: the very text did not match
    ("Überweisung fehlt", "überweisung"),
    ("ÄRGER mit der Rechnung", "ärger"),
    ("Faktura fra Ø-avdelingen", "ø-avd"),
    ("O'Brien wants a refund", "o'brien"),
    ("Path C:\\Temp\\x", "c:\\temp"),
])
def test_the_search_ignores_case_beyond_ascii(store: Store, subject: str, search: str) -> None:
    _seed(store)
    _worsen(store, "calm-low-risk", fields={"subject": subject})
    assert _order(store, search=search) == ["calm-low-risk"]


@pytest.mark.parametrize(
    ("now", "situation", "holds"),
    [
        (NOW, {"breached": True, "escalation_level": 1, "band_rank": 2}, True),  # the same
        (NOW, {"breached": True, "escalation_level": 1, "band_rank": 1}, True),  # calmer
        (NOW + timedelta(hours=1), {"breached": True, "escalation_level": 1, "band_rank": 2}, False),  # ended
        (NOW, {"breached": True, "escalation_level": 2, "band_rank": 2}, False),
        (NOW, {"breached": True, "escalation_level": 1, "band_rank": 3}, False),
    ],
)
def test_the_domain_object_says_what_the_query_says(
    now: object, situation: dict[str, int], holds: bool
) -> None:
    snooze = Snooze("T", NOW + timedelta(hours=1), "ops-lead", NOW, True, 1, 2)
    assert snooze.holds(now=now, **situation) is holds  # type: ignore[arg-type]
    new_breach = Snooze("T", NOW + timedelta(hours=1), "ops-lead", NOW, False, 0, 1)
    assert not new_breach.holds(now=NOW, breached=True, escalation_level=0, band_rank=1)


def _ends(store: Store, ticket_id: str, now: datetime) -> list[tuple[str, str | None, str | None]]:
    """The ticket's snooze history, latest first: (who snoozed, why it ended, who ended it)."""
    return [(p.who, p.end.reason.value if p.end else None, p.end.by if p.end else None)
            for p in store.snooze_history(ticket_id, now)]


def test_the_history_keeps_every_snooze_and_how_it_ended(store: Store) -> None:
    _seed(store)
    assert store.snooze_history("high-risk", NOW) == []
    store.snooze("high-risk", NOW + timedelta(hours=4), "ops-lead", NOW)
    [only] = store.snooze_history("high-risk", NOW)
    assert only == PastSnooze("high-risk", "ops-lead", NOW, NOW + timedelta(hours=4), None)
    # snoozed again by someone else: the first ended, replaced by them
    store.snooze("high-risk", NOW + timedelta(hours=8), "night-lead", NOW + timedelta(minutes=10))
    # un-snoozed by hand
    assert store.unsnooze("high-risk", "day-lead", NOW + timedelta(hours=1)) is True
    history = store.snooze_history("high-risk", NOW + timedelta(hours=2))
    assert [(p.who, p.at, p.until) for p in history] == [
        ("night-lead", NOW + timedelta(minutes=10), NOW + timedelta(hours=8)),
        ("ops-lead", NOW, NOW + timedelta(hours=4)),
    ]
    assert [p.end for p in history] == [
        SnoozeEnd(NOW + timedelta(hours=1), EndReason.UNSNOOZED, "day-lead"),
        SnoozeEnd(NOW + timedelta(minutes=10), EndReason.REPLACED, "night-lead"),
    ]
    # nothing to un-snooze any more: nothing recorded
    assert store.unsnooze("high-risk", "day-lead", NOW + timedelta(hours=3)) is False
    assert len(store.snooze_history("high-risk", NOW + timedelta(hours=3))) == 2
    assert history[0].to_json() == {
        "snoozed_by": "night-lead", "snoozed_at": (NOW + timedelta(minutes=10)).isoformat(),
        "snoozed_until": (NOW + timedelta(hours=8)).isoformat(),
        "ended_at": (NOW + timedelta(hours=1)).isoformat(),
        "ended_by": "day-lead", "end_reason": "unsnoozed",
    }
    with pytest.raises(NotFoundError, match="'nope' is not known"):
        store.snooze_history("nope", NOW)


def test_a_snooze_whose_time_passed_ends_at_its_until_by_itself(store: Store) -> None:
    _seed(store)
    until = NOW + timedelta(hours=1)
    store.snooze("watch-medium", until, "ops-lead", NOW)
    assert _ends(store, "watch-medium", NOW + timedelta(minutes=59)) == [("ops-lead", None, None)]
    [ended] = store.snooze_history("watch-medium", NOW + timedelta(hours=2))
    assert ended.end == SnoozeEnd(until, EndReason.TIME_PASSED, None)
    # an un-snooze after that records the time passing, not a manager's un-snooze
    assert store.unsnooze("watch-medium", "ops-lead", NOW + timedelta(hours=2)) is False
    assert store.snooze_history("watch-medium", NOW + timedelta(hours=3)) == [ended]


@pytest.mark.parametrize(
    ("ticket_id", "state", "reason"),
    [
        ("high-risk", {"breached": True}, EndReason.NEW_BREACH),
        ("breached-level-1", {"escalation_level": 2}, EndReason.HIGHER_LEVEL),
        ("watch-medium", {"band": Band.HIGH.value, "band_rank": Band.HIGH.rank}, EndReason.HIGHER_BAND),
    ],
)
def test_an_assessment_that_makes_the_ticket_worse_ends_its_snooze_for_good(
    store: Store, ticket_id: str, state: dict[str, object], reason: EndReason
) -> None:
    _seed(store)
    store.snooze(ticket_id, NOW + timedelta(hours=4), "ops-lead", NOW)
    later = NOW + timedelta(minutes=30)
    # what recording an assessment does in its transaction: the ticket's new state, then the check
    with store.db.session() as s:
        row = s.get(TicketRow, ticket_id)
        assert row is not None
        for name, value in state.items():
            setattr(row, name, value)
        s.flush()
        end_if_worse(s, ticket_id, later)
    assert store.snooze_history(ticket_id, NOW + timedelta(hours=1))[0].end == SnoozeEnd(later, reason, None)
    # the situation improves again: the snooze stays ended, the ticket stays in its place
    _worsen(store, ticket_id, breached=False, escalation_level=0, band="low", band_rank=Band.LOW.rank)
    assert store.snooze_of(ticket_id, NOW + timedelta(hours=1)) is None
    assert _order(store)[-1] != ticket_id


def test_an_assessment_that_changes_nothing_keeps_the_snooze(store: Store) -> None:
    _seed(store)
    store.snooze("high-risk", NOW + timedelta(hours=4), "ops-lead", NOW)
    with store.db.session() as s:
        end_if_worse(s, "high-risk", NOW + timedelta(minutes=30))
        end_if_worse(s, "calm-low-risk", NOW + timedelta(minutes=30))  # no snooze: nothing to do
    assert store.snooze_of("high-risk", NOW + timedelta(hours=1)) is not None
    assert _ends(store, "high-risk", NOW + timedelta(hours=1)) == [("ops-lead", None, None)]
