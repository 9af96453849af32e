"""The store on SQLite AND PostgreSQL: migrations from empty, idempotent append, conflicts, assessments
recorded once per basis, actions fired once, alerts deduplicated with a cool-down."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from core.assessment import DueAction, TicketAssessment
from core.errors import NotFoundError
from core.tickets import Event, Ticket
from serving.errors import ConflictError
from serving.store import AlertCandidate, Database, OpenTicketsQuery, Recording, Store, migrate

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
    "alert_budgets",
    "root_causes",
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


def test_migrations_build_the_schema_the_models_declare(store: Store) -> None:
    """Alembic's autogenerate finds nothing to add or drop: no table, column, index or nullability drift
    between the migrations and serving/store/tables.py (type details are not compared)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from serving.store.tables import Base

    with store.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


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


def test_stored_events_are_the_tickets_own_as_stored(store: Store) -> None:
    store.append("T-1", ticket(), [event("e1", body="As sent first"), event("e2")], NOW)
    store.append("T-2", ticket("T-2"), [event("x1", tid="T-2")], NOW)
    held = store.stored_events("T-1", ["e1", "x1", "e9"])  # x1 is T-2's, e9 was never sent
    assert list(held) == ["e1"] and held["e1"] == event("e1", body="As sent first")
    assert store.stored_events("T-1", []) == {} and store.stored_events("T-9", ["e1"]) == {}


def test_same_instant_in_another_offset_is_the_same_event(store: Store) -> None:
    store.append("T-1", ticket(), [event("e1")], NOW)
    same = event("e1", at="2026-05-04T11:00:00+02:00")
    assert store.append("T-1", None, [same], NOW).duplicates == ("e1",)


def assessment(
    tid: str = "T-1", band: str = "high", risk: float | None = 0.7, at: datetime = NOW
) -> TicketAssessment:
    """A small assessment as `assess` makes them: an open ticket with its first response target running."""
    return TicketAssessment.model_validate({
        "ticket_id": tid, "assessed_at": at, "risk": risk, "band": band, "model_band": band,
        "sla_band": "low", "thresholds": None, "rules_only": False, "escalation_type": None, "reasons": [],
        "signals": [],
        "sentiment": None, "sentiment_trend": None, "model_version": "m", "policy_version": "p",
        "sentiment_version": None,
        "recommended_action": {"kind": "none", "text": "no action needed", "escalation_type": None,
                               "level": None, "to": None, "source": "none", "action_ids": []},
        "sla": {"policy": "standard", "priority": "normal", "escalation_level": 0, "next_due_at": None,
                "targets": [{"target": "first_response", "state": "running", "due_at": at,
                             "remaining_s": 3600, "breached": False, "breached_by_s": None,
                             "escalation_level": 0}],
                "actions_due": [], "upcoming": []},
        "state": {"status": "open", "priority": "normal", "team": "billing", "assignee": "a-1"},
    })


def test_record_once_per_basis_fires_actions_and_alerts_once(store: Store) -> None:
    store.append("T-1", ticket(), [event("e1")], NOW)
    action = DueAction(action_id="a1", kind="escalate", at=NOW, to="team_lead billing", reason="breached",
                       level=1, escalation_type="hierarchical")
    alert = AlertCandidate("risk:T-1:high:x", "risk", "high", 0.7, "entered high")
    recording = Recording(assessment(), "b1", 1, {"status": "open"}, timedelta(hours=4), [action], [alert])
    first = store.record("T-1", recording, NOW)
    assert first.fresh and first.new_actions == ("a1",) and first.alerts == ("risk:T-1:high:x",)
    again = store.record("T-1", recording, NOW)
    assert not again.fresh and again.assessment_id == first.assessment_id
    other = AlertCandidate("risk:T-1:high:y", "risk", "high", 0.8, "entered high again")
    later = store.record("T-1", replace(recording, basis="b2", alerts=[other]), NOW)
    assert later.fresh and later.new_actions == () and later.alerts == ()  # fired before; in cool-down
    assert store.count("actions") == 1 and store.count("alerts") == 1 and store.count("deliveries") == 2
    assert store.count("assessments") == 2


def test_the_cool_down_holds_per_kind_and_band_until_it_ends(store: Store) -> None:
    """The cool-down check is part of the alert's insert: the same ticket, kind and band stay quiet until
    `cooldown_until` (exclusive); another band, or a trigger, is raised meanwhile."""
    store.append("T-1", ticket(), [event("e1")], NOW)
    cooldown = timedelta(hours=4)

    def raised(basis: str, key: str, band: str, at: datetime, kind: str = "risk") -> tuple[str, ...]:
        alert = AlertCandidate(key, kind, band, 0.7, "entered", bypass_cooldown=kind == "trigger")
        body = assessment(band=band, at=at)
        recording = Recording(body, basis, 1, {"status": "open"}, cooldown, [], [alert])
        return store.record("T-1", recording, at).alerts

    assert raised("b1", "risk:high:1", "high", NOW) == ("risk:high:1",)
    assert raised("b2", "risk:high:2", "high", NOW + cooldown - timedelta(seconds=1)) == ()
    assert raised("b3", "risk:critical:1", "critical", NOW + timedelta(minutes=1)) == ("risk:critical:1",)
    assert raised("b4", "trigger:a1", "high", NOW + timedelta(minutes=2), "trigger") == ("trigger:a1",)
    assert raised("b5", "risk:high:3", "high", NOW + cooldown) == ("risk:high:3",)
    assert raised("b6", "risk:high:3", "high", NOW + 2 * cooldown) == ()  # its key is taken: once per key


def test_migration_0004_fills_the_board_columns_of_open_tickets(url: str) -> None:
    """A store made before 0004 gets each open ticket's escalation level and soonest SLA due instant from its
    latest assessment, so the early-warning list sorts right at once."""
    import sqlalchemy as sa

    from serving.store.tables import Base

    migrate(url, "0003")
    database = Database(url)
    try:
        sla = {
            "escalation_level": 2,
            "targets": [
                {"due_at": "2026-05-04T14:00:00+02:00", "state": "breached"},
                {"due_at": "2026-05-04T11:00:00+00:00", "state": "running"},
                {"due_at": "2026-05-04T10:00:00+00:00", "state": "met"},
            ],
        }
        with database.engine.begin() as c:
            c.execute(
                sa.text(
                    "INSERT INTO tickets (ticket_id, created_at, customer_id, fields, status, channel, "
                    "priority, team, band_rank, breached, events_seen, last_assessment_id, policy_version, "
                    "calendar_version) VALUES ('T-1', :at, 'C-1', '{}', 'open', 'email', 'normal', "
                    "'billing', 3, true, 1, 1, 'p', 'c')"
                ),
                {"at": NOW},
            )
            c.execute(
                sa.text(
                    "INSERT INTO assessments (id, ticket_id, assessed_at, basis, events_seen, band, "
                    "policy_version, body, created_at) "
                    "VALUES (1, 'T-1', :at, 'b', 1, 'critical', 'p', :body, :at)"
                ),
                {"at": NOW, "body": json.dumps({"sla": sla})},
            )
        migrate(url)
        store = Store(database)
        listed = store.early_warning(OpenTicketsQuery(sort="due", limit=5))
        row = listed.items[0]
        assert listed.total == 1 and row.escalation_level == 2
        assert row.sla_due_at == datetime(2026, 5, 4, 11, tzinfo=UTC)  # the breached 12:00 UTC is later
    finally:
        Base.metadata.drop_all(database.engine)
        with database.engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        database.dispose()


class Ticking:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.s = 0.0

    def __call__(self) -> float:
        return self.s


def test_actions_without_a_key_are_keyed_while_some_are_left_then_no_more_statements(store: Store) -> None:
    """Once every action row that can be keyed had its dedup key, each recording still ran an UPDATE that
    changed nothing, until the process restarted. Now a process asks at most once a minute whether rows
    without a key are left and keys only while some are: in its first hour any row (the first sweeps after
    the migration, a rolling upgrade), after it only rows fired within the hour (a process of the release
    before still running beside it: they are keyed too); once none are, it sends neither question nor UPDATE.
    A row whose action is never due again (a fulfilled target's) stays without a key and stops nothing."""
    from sqlalchemy import event as sa_event
    from sqlalchemy import update

    from serving.store.keying import UPGRADE_WINDOW_S
    from serving.store.tables import ActionRow

    store.append("T-1", ticket(), [event("e1")], NOW)
    long_ago = NOW - timedelta(days=2)
    gone = DueAction(action_id="a0", kind="reminder", at=long_ago, to="assignee", reason="due soon",
                     dedup_key="k0")
    first = DueAction(action_id="a1", kind="escalate", at=NOW, to="team_lead billing", reason="breached",
                      level=1, escalation_type="hierarchical", dedup_key="k1")
    second = first.model_copy(update={"action_id": "a2", "level": 2, "dedup_key": "k2"})
    third = first.model_copy(update={"action_id": "a3", "level": 3, "dedup_key": "k3"})
    recording = Recording(assessment(), "b0", 1, {"status": "open"}, timedelta(hours=4), [first])
    fired_long_ago = store.record("T-1", replace(recording, basis="gone", actions=[gone]), long_ago)
    assert fired_long_ago.new_actions == ("a0",)
    assert store.record("T-1", recording, NOW).new_actions == ("a1",)

    def unkey(*action_ids: str) -> None:  # the rows as a release before the dedup key writes them
        with store.db.session() as s:
            s.execute(update(ActionRow).where(ActionRow.action_id.in_(action_ids)).values(dedup_key=None))

    def keys() -> dict[str, str | None]:
        with store.db.session() as s:
            return {a: k for a, k in s.execute(select(ActionRow.action_id, ActionRow.dedup_key)).all()}

    def older_release_fires(action: DueAction) -> None:  # beside the upgraded process, during the upgrade
        store.record("T-1", replace(recording, basis=f"old-{action.action_id}", actions=[action]), NOW)
        unkey(action.action_id)

    unkey("a0", "a1")
    clock = Ticking()
    upgraded = Store(store.db, clock=clock)
    sent: list[str] = []

    def seen(_c: object, _cursor: object, statement: str, *_rest: object) -> None:
        if "dedup_key" in statement and not statement.lstrip().upper().startswith("INSERT"):
            sent.append("ask" if statement.lstrip().upper().startswith("SELECT") else "key")

    sa_event.listen(store.db.engine, "before_cursor_execute", seen)
    basis = iter(f"b{n}" for n in range(1, 100))

    def record(at_s: float, *actions: DueAction) -> list[str]:
        clock.s = at_s
        sent.clear()
        upgraded.record("T-1", replace(recording, basis=next(basis), actions=list(actions)), NOW)
        return list(sent)

    window = UPGRADE_WINDOW_S
    try:
        assert record(0, first) == ["ask", "key"] and keys() == {"a0": None, "a1": "k1"}
        assert record(10, first) == ["key"]  # rows were left at the last question, a minute ago at most
        assert record(61, first) == ["ask", "key"]  # in the first hour a0 counts
        older_release_fires(second)
        assert record(100, first, second) == ["key"] and keys()["a2"] == "k2"
        assert record(window + 10, first, second) == ["ask"]  # past the hour: a0 (two days old) does not
        assert record(window + 50, first, second) == []  # done: no question, no UPDATE any more
        unkey("a2")
        assert record(10 * window, first, second) == [] and keys() == {"a0": None, "a1": "k1", "a2": None}
    finally:
        sa_event.remove(store.db.engine, "before_cursor_execute", seen)

    # another process, where an older one still runs past the hour: its rows are keyed, then it stops
    unkey("a2")
    clock = Ticking()
    late = Store(store.db, clock=clock)
    upgraded = late
    sa_event.listen(store.db.engine, "before_cursor_execute", seen)
    try:
        assert record(0, first, second) == ["ask", "key"] and keys()["a2"] == "k2"
        older_release_fires(third)
        assert record(window, first, second, third) == ["ask", "key"] and keys()["a3"] == "k3"
        assert record(window + 30, first, second, third) == ["key"]
        assert record(window + 60, first, second, third) == ["ask"]
        assert record(window + 200, first, second, third) == []
    finally:
        sa_event.remove(store.db.engine, "before_cursor_execute", seen)

