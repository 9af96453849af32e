"""The store on SQLite AND PostgreSQL: migrations from empty, idempotent append, conflicts, assessments
recorded once per basis, actions fired once, alerts deduplicated with a cool-down."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from core.errors import NotFoundError
from core.tickets import Event, Ticket
from serving.errors import ConflictError
from serving.store import AlertCandidate, Database, Store, migrate

NOW = datetime(2026, 5, 4, 12, tzinfo=UTC)
TABLES = {
    "tickets",
    "events",
    "message_analyses",
    "assessments",
    "actions",
    "alerts",
    "deliveries",
    "feedback",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    base: str = request.getfixturevalue("postgres_url")
    return base


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    migrate(url)
    database = Database(url)
    yield Store(database)
    from serving.store.tables import Base

    Base.metadata.drop_all(database.engine)  # the PostgreSQL database is shared by this run's tests
    with database.engine.begin() as c:
        c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    database.dispose()


def ticket(tid: str = "T-1") -> Ticket:
    return Ticket.model_validate(
        {
            "ticket_id": tid,
            "created_at": "2026-05-04T09:00:00Z",
            "channel": "email",
            "priority": "normal",
            "customer_id": "C-1",
            "customer_tier": "gold",
            "product": "p",
            "category": "billing_payment",
            "team": "billing",
            "language": "en",
            "assignee": "a-1",
        }
    )


def event(eid: str, body: str = "Hi", tid: str = "T-1", at: str = "2026-05-04T09:00:00Z") -> Event:
    return Event.model_validate(
        {
            "event_id": eid,
            "ticket_id": tid,
            "at": at,
            "type": "customer_message",
            "author_role": "customer",
            "body": body,
        }
    )


def test_migrations_upgrade_from_empty(url: str, store: Store) -> None:
    names = set(inspect(store.db.engine).get_table_names())
    assert names >= TABLES | {"alembic_version"}
    migrate(url)  # a second upgrade is a no-op


def test_append_is_idempotent_and_conflicts_are_refused(store: Store) -> None:
    first = store.append("T-1", ticket(), [event("e1"), event("e2")], NOW)
    assert first.created and first.stored == ("e1", "e2")
    again = store.append("T-1", ticket(), [event("e1"), event("e3")], NOW)
    assert not again.created and again.stored == ("e3",) and again.duplicates == ("e1",)
    with pytest.raises(ConflictError, match="event id 'e2' was already stored with different content"):
        store.append("T-1", None, [event("e4"), event("e2", body="changed")], NOW)
    # the refused request stored nothing, e4 included
    assert [e.event_id for e in store.load("T-1").events] == ["e1", "e2", "e3"]
    with pytest.raises(NotFoundError, match="ticket 'T-9' is not known"):
        store.append("T-9", None, [event("x", tid="T-9")], NOW)


def test_same_instant_in_another_offset_is_the_same_event(store: Store) -> None:
    store.append("T-1", ticket(), [event("e1")], NOW)
    same = event("e1", at="2026-05-04T11:00:00+02:00")
    assert store.append("T-1", None, [same], NOW).duplicates == ("e1",)


def _body(band: str = "high") -> dict[str, object]:
    return {
        "ticket_id": "T-1",
        "assessed_at": NOW.isoformat(),
        "risk": 0.7,
        "band": band,
        "model_version": "m",
        "policy_version": "p",
        "sla": {"targets": [{"breached": False}], "next_due_at": None, "actions_due": []},
    }


def test_record_once_per_basis_fires_actions_and_alerts_once(store: Store) -> None:
    store.append("T-1", ticket(), [event("e1")], NOW)
    action = {
        "action_id": "a1",
        "kind": "escalate",
        "at": NOW.isoformat(),
        "level": 1,
        "escalation_type": "hierarchical",
    }
    alert = AlertCandidate("risk:T-1:high:x", "risk", "high", 0.7, "entered high")
    kwargs = {
        "events_seen": 1,
        "state": {"status": "open"},
        "actions": [action],
        "alerts": [alert],
        "now": NOW,
        "cooldown": timedelta(hours=4),
    }
    first = store.record("T-1", _body(), basis="b1", **kwargs)  # type: ignore[arg-type]
    assert first.fresh and first.new_actions == ("a1",) and first.alerts == ("risk:T-1:high:x",)
    again = store.record("T-1", _body(), basis="b1", **kwargs)  # type: ignore[arg-type]
    assert not again.fresh and again.assessment_id == first.assessment_id
    other = AlertCandidate("risk:T-1:high:y", "risk", "high", 0.8, "entered high again")
    later = store.record("T-1", _body(), basis="b2", **{**kwargs, "alerts": [other]})  # type: ignore[arg-type]
    assert later.fresh and later.new_actions == () and later.alerts == ()  # fired before; in cool-down
    assert store.count("actions") == 1 and store.count("alerts") == 1 and store.count("deliveries") == 2
    assert store.count("assessments") == 2
