"""Snoozed warnings in the store, on SQLite and PostgreSQL: who and until when is recorded, a snoozed ticket
goes to the end of the list (whatever the sort), and it comes back when the snooze ends or when its situation
gets worse (a new breach, a higher escalation level, a higher band). The search on the list, too."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.enums import Band
from core.errors import NotFoundError
from serving.store import OpenTicketsQuery, Store
from serving.store.snoozes import Snooze
from serving.store.tables import TicketRow
from tests.serving.store.test_work_order import EXPECTED, NOW, SOON, _seed


def _order(store: Store, **query: object) -> list[str]:
    _, items = store.early_warning(OpenTicketsQuery(**({"now": NOW, "due_soon": SOON, "limit": 50} | query)))  # type: ignore[arg-type]
    return [i["ticket"].ticket_id for i in items]


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
    _, items = store.early_warning(OpenTicketsQuery(now=NOW, due_soon=SOON, limit=50))
    assert items[-1]["snooze"].who == "ops-lead"
    assert all(i["snooze"] is None for i in items[:-1])
    # every sort puts it last; the count is unchanged (it is set aside, not hidden)
    assert _order(store, sort="level")[-1] == "breached-level-2"
    total, _ = store.early_warning(OpenTicketsQuery(now=NOW, due_soon=SOON, limit=50))
    assert total == len(EXPECTED)
    assert store.count_snoozed(OpenTicketsQuery(now=NOW)) == 1
    assert store.count_snoozed(OpenTicketsQuery(now=NOW, breached_only=False, band="high")) == 0
    # at `until` the snooze has ended: back in its place
    assert _order(store, now=NOW + timedelta(hours=1)) == EXPECTED
    assert store.count_snoozed(OpenTicketsQuery(now=NOW + timedelta(hours=1))) == 0
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
    assert store.unsnooze("breached-level-2") is True
    assert store.unsnooze("breached-level-2") is False
    assert _order(store) == EXPECTED
    with pytest.raises(NotFoundError):
        store.unsnooze("nope")


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
