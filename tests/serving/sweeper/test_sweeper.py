"""The SLA sweeper on SQLite and PostgreSQL: wakes at the earliest due instant, fires a reminder, then a
level-1 and a level-2 escalation, each exactly once across restarts and with two sweepers at once. Time is
injected."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from core.settings import Settings
from core.tickets import Event, Ticket
from rules import load_policies, parse_policies
from serving.service import Service
from serving.store import Database, Store, migrate, policy_change
from serving.store.database import alembic_config
from serving.store.tables import ActionRow, DeliveryRow, TicketRow
from serving.sweeper import BackgroundLoop, Sweeper, SweepResult
from tests.serving.conftest import RULES_ONLY_POLICY

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def open_ticket(service: Service, tid: str) -> None:
    ticket = Ticket.model_validate({
        "ticket_id": tid, "created_at": T0.isoformat(), "channel": "email", "priority": "normal",
        "customer_id": f"C-{tid}", "customer_tier": "gold", "product": "p", "category": "c",
        "team": "billing", "language": "en", "assignee": "agent-1"})
    event = Event.model_validate({"event_id": f"{tid}-e1", "ticket_id": tid, "at": T0.isoformat(),
                                  "type": "customer_message", "author_role": "customer",
                                  "body": "Hello, where is my invoice for April?"})
    body = service.ingest(tid, ticket, [event])
    assert body.actions_fired == []


def fixed(when: datetime) -> Callable[[], datetime]:
    return lambda: when


def kinds(service: Service) -> list[tuple[str, int | None]]:
    with service.store.db.session() as s:
        rows = s.execute(select(ActionRow.kind, ActionRow.level).order_by(ActionRow.due_at)).all()
    return [(k, lv) for k, lv in rows]


def refs(service: Service) -> list[str]:
    with service.store.db.session() as s:
        return sorted(s.execute(select(DeliveryRow.ref).where(DeliveryRow.kind == "action")).scalars())


def test_reminder_then_level_1_then_level_2_exactly_once_across_restarts(
        make_service: Callable[[], Service]) -> None:
    service = make_service()
    open_ticket(service, "S-1")
    sweeper = Sweeper(service, clock=fixed(at(10)), max_sleep_s=3600)
    assert sweeper.earliest_due() == at(50)
    early = sweeper.sweep_once()
    assert early.assessed == [] and early.fired == []
    assert sweeper.step() == 40 * 60  # sleeps until the reminder is due

    reminder = Sweeper(service, clock=fixed(at(50))).sweep_once()
    assert reminder.assessed == ["S-1"] and len(reminder.fired) == 1
    assert reminder.next_due_at == at(60)

    restarted = make_service()  # a new process: nothing in memory, only the store
    level1 = Sweeper(restarted, clock=fixed(at(60))).sweep_once()
    assert len(level1.fired) == 1 and level1.next_due_at == at(90)
    again = Sweeper(make_service(), clock=fixed(at(60))).sweep_once()
    assert again.assessed == [] and again.fired == []  # not due any more

    level2 = Sweeper(make_service(), clock=fixed(at(95))).sweep_once()  # a late wake-up still fires it once
    assert len(level2.fired) == 1
    late = Sweeper(make_service(), clock=fixed(at(96)))

    again = late.service.reassess("S-1", at(96))
    # re-assessing when due again fires nothing new
    assert again is not None and (again.new_actions, again.alerts) == ((), ())

    assert kinds(service) == [("reminder", None), ("escalate", 1), ("escalate", 2)]
    assert refs(service) == sorted(reminder.fired + level1.fired + level2.fired)


def test_two_sweepers_at_once_fire_each_action_once(make_service: Callable[[], Service]) -> None:
    first, second = make_service(), make_service()  # two instances: own engine each, one database
    tickets = [f"C-{i}" for i in range(12)]
    for tid in tickets:
        open_ticket(first, tid)
    fired: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    for minutes in (50, 60, 90):
        barrier = threading.Barrier(2)

        def run(service: Service, minutes: float = minutes, barrier: threading.Barrier = barrier) -> None:
            try:
                sweeper = Sweeper(service, clock=fixed(at(minutes)), batch_size=5)
                barrier.wait(timeout=30)
                result = sweeper.sweep_once()
                with lock:
                    fired.extend(result.fired)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
    assert len(fired) == len(set(fired)) == 3 * len(tickets)  # reminder, level 1, level 2 per ticket
    assert refs(first) == sorted(fired)  # one outbox row per action


def test_in_process_loop_wakes_fires_and_stops(make_service: Callable[[], Service]) -> None:
    service = make_service()
    open_ticket(service, "L-1")
    sweeper = Sweeper(service, clock=fixed(at(50)), max_sleep_s=3600)
    done = threading.Event()
    results: list[SweepResult] = []

    def on_fired(result: SweepResult) -> None:
        results.append(result)
        done.set()

    sweeper.on_fired = on_fired
    loop = BackgroundLoop("sweeper-test", sweeper.step)
    loop.start()
    try:
        assert done.wait(timeout=60), "the sweeper did not fire the due reminder"
    finally:
        loop.stop(timeout=30)
    assert not loop.running
    assert [len(r.fired) for r in results] == [1]


# --- an edited policy file: the same action in substance fires once (docs/sla-semantics.md, "Ids") --------
HOLIDAY_ADDED = RULES_ONLY_POLICY.replace("hours: 24/7", "hours: 24/7\n    holidays: ['2026-12-25']")
LEVEL_3_ADDED = RULES_ONLY_POLICY + "        - {after: 1h, to: {group: duty-managers}}\n"
# the resolution clock with a level of its own: a reopen starts a new cycle, which escalates again
RESOLUTION_LADDER = RULES_ONLY_POLICY.replace("{urgent: 1d, high: 1d, normal: 1d, low: 1d}",
                                              "{urgent: 2h, high: 2h, normal: 2h, low: 2h}") + (
    "      resolution:\n        - {after: 0m, to: team_lead}\n")


def fired_rows(service: Service) -> list[tuple[str, int | None, str | None]]:
    with service.store.db.session() as s:
        rows = s.execute(select(ActionRow.kind, ActionRow.level, ActionRow.body["target"].as_string())
                         .order_by(ActionRow.due_at, ActionRow.level)).all()
    return [(k, lv, t) for k, lv, t in rows]


def sweep_all(make_service: Callable[..., Service], policy: str, *minutes: float) -> list[str]:
    fired = []
    for m in minutes:
        fired += Sweeper(make_service(policy), clock=fixed(at(m))).sweep_once().fired
    return fired


def test_an_edited_policy_file_fires_nothing_again(make_service: Callable[..., Service]) -> None:
    open_ticket(make_service(), "S-1")
    assert len(sweep_all(make_service, RULES_ONLY_POLICY, 50, 60, 95)) == 3  # reminder, level 1, level 2
    edited = make_service(HOLIDAY_ADDED)  # next year's holiday added, the server restarted
    assert parse_policies(HOLIDAY_ADDED).version != parse_policies(RULES_ONLY_POLICY).version  # a new version
    again = edited.reassess("S-1", at(96))
    assert again is not None and again.fresh and again.new_actions == ()
    assert [a.level for a in again.body.sla.actions_due] == [1, 2]  # still due, under new ids: not re-fired
    assert Sweeper(make_service(HOLIDAY_ADDED), clock=fixed(at(97))).sweep_once().fired == []
    assert fired_rows(edited) == [("reminder", None, "first_response"), ("escalate", 1, "first_response"),
                                  ("escalate", 2, "first_response")]
    assert len(refs(edited)) == 3  # nothing more in the outbox


def test_a_new_escalation_level_fires_only_that_level(make_service: Callable[..., Service]) -> None:
    open_ticket(make_service(), "S-1")
    assert len(sweep_all(make_service, RULES_ONLY_POLICY, 50, 60, 95)) == 3
    # (the ticket's stored next due instant is the old file's: an event, or this call, assesses it anew)
    recorded = make_service(LEVEL_3_ADDED).reassess("S-1", at(121))
    assert recorded is not None and len(recorded.new_actions) == 1
    assert fired_rows(make_service())[-1] == ("escalate", 3, "first_response")
    assert sweep_all(make_service, LEVEL_3_ADDED, 122, 200) == []


def test_a_reopened_ticket_fires_its_new_cycle(make_service: Callable[..., Service]) -> None:
    service = make_service(RESOLUTION_LADDER)
    open_ticket(service, "S-1")
    sweep_all(make_service, RESOLUTION_LADDER, 50, 60, 95, 120)  # first response: 3; resolution level 1
    assert fired_rows(service)[-1] == ("escalate", 1, "resolution") and len(refs(service)) == 4
    ticket = Ticket.model_validate({
        "ticket_id": "S-1", "created_at": T0.isoformat(), "channel": "email", "priority": "normal",
        "customer_id": "C-S-1", "customer_tier": "gold", "product": "p", "category": "c",
        "team": "billing", "language": "en", "assignee": "agent-1"})
    events = [Event.model_validate({"event_id": f"S-1-{n}", "ticket_id": "S-1", "at": at(m).isoformat(),
                                    "type": "status_change", "author_role": "agent", "status": status})
              for n, (m, status) in enumerate([(130, "solved"), (140, "open")], start=2)]
    holiday = "hours: 24/7\n    holidays: ['2026-12-25']"
    edited = make_service(RESOLUTION_LADDER.replace("hours: 24/7", holiday))
    assert edited.ingest("S-1", ticket, events).actions_fired == []
    # the new resolution cycle (from the reopen at 140) is breached at 260: its level 1 fires, once
    swept = Sweeper(edited, clock=fixed(at(260))).sweep_once()
    assert len(swept.fired) == 1 and fired_rows(edited)[-1] == ("escalate", 1, "resolution")
    assert Sweeper(make_service(RESOLUTION_LADDER), clock=fixed(at(300))).sweep_once().fired == []


def test_an_upgraded_store_keys_the_actions_fired_before_at_its_first_sweep(
        make_service: Callable[..., Service], url: str) -> None:
    service = make_service()
    open_ticket(service, "S-1")
    assert len(sweep_all(make_service, RULES_ONLY_POLICY, 50, 60)) == 2
    pending = Event.model_validate({"event_id": "S-1-2", "ticket_id": "S-1", "at": at(65).isoformat(),
                                    "type": "status_change", "author_role": "agent", "status": "pending"})
    assert service.ingest("S-1", None, [pending]).actions_fired == []  # paused: nothing due until it resumes
    command.downgrade(alembic_config(url), "0009")  # the store as the release before left it
    migrate(url)
    with service.store.db.session() as s:
        assert s.execute(select(ActionRow.dedup_key)).scalars().all() == [None, None]
        due = s.execute(select(TicketRow.next_due_at)).scalar_one()
    now = datetime.now(UTC)
    assert due is not None and due <= now  # due at once: the first pass keys its actions
    swept = Sweeper(make_service(), clock=fixed(now)).sweep_once()
    assert swept.assessed == ["S-1"] and swept.fired == []
    with service.store.db.session() as s:
        assert s.execute(select(ActionRow.dedup_key).where(ActionRow.level == 1)).scalar_one() is not None
    edited = make_service(HOLIDAY_ADDED).reassess("S-1", now)
    assert edited is not None and [a.level for a in edited.body.sla.actions_due] == [1]
    assert edited.new_actions == ()


def test_actions_fired_before_the_upgrade_are_not_fired_again_after_a_policy_edit(
        make_service: Callable[..., Service]) -> None:
    open_ticket(make_service(), "S-1")
    assert len(sweep_all(make_service, RULES_ONLY_POLICY, 50, 60)) == 2
    with make_service().store.db.session() as s:  # rows as a release before the dedup key stored them
        s.execute(update(ActionRow).values(dedup_key=None))
    # the first assessment after the upgrade, with the same file, recognises them by id and keys them
    assert make_service().reassess("S-1", at(61)) is not None
    assert sweep_all(make_service, HOLIDAY_ADDED, 95) != []  # only level 2 is new
    assert [lv for _, lv, _ in fired_rows(make_service())] == [None, 1, 2]


# --- a service started with an edited policy file re-assesses at once (docs/sla-semantics.md, "Ids") --------
RESOLUTION_IN_3_DAYS = RESOLUTION_LADDER.replace("{urgent: 2h, high: 2h, normal: 2h, low: 2h}",
                                                 "{urgent: 3d, high: 3d, normal: 3d, low: 3d}")


def started(make_service: Callable[..., Service], policy: str, now: datetime) -> tuple[Service, int]:
    service = make_service(policy)
    return service, service.adopt_policy_file(now)  # what build_service does at start-up


def due_at(service: Service) -> datetime | None:
    with service.store.db.session() as s:
        return s.execute(select(TicketRow.next_due_at)).scalar_one()


def test_a_target_shortened_into_a_breach_fires_at_the_first_sweep_after_the_restart(
        make_service: Callable[..., Service]) -> None:
    service, _ = started(make_service, RESOLUTION_IN_3_DAYS, at(0))
    open_ticket(service, "S-1")
    assert len(sweep_all(make_service, RESOLUTION_IN_3_DAYS, 50, 60, 95)) == 3  # the first response's
    assert due_at(service) == at(3 * 24 * 60)  # the resolution deadline, three days away
    edited, moved = started(make_service, RESOLUTION_LADDER, at(150))  # resolution 2h: breached since 120
    assert moved == 1 and due_at(edited) == at(150)
    swept = Sweeper(edited, clock=fixed(at(150))).sweep_once()
    assert swept.assessed == ["S-1"] and len(swept.fired) == 1
    assert fired_rows(edited)[-1] == ("escalate", 1, "resolution")
    # started again with the same file: nothing moves, nothing is assessed again, nothing fires again
    again, moved = started(make_service, RESOLUTION_LADDER, at(151))
    assert moved == 0 and Sweeper(again, clock=fixed(at(151))).sweep_once().assessed == []
    assert sweep_all(make_service, RESOLUTION_LADDER, 200, 3 * 24 * 60 + 1) == []


def test_a_level_added_fires_at_the_first_sweep_after_the_restart(
        make_service: Callable[..., Service]) -> None:
    open_ticket(make_service(), "S-1")
    assert len(sweep_all(make_service, RULES_ONLY_POLICY, 50, 60, 95)) == 3
    assert due_at(make_service()) == at(24 * 60)  # nothing before the resolution deadline
    edited, moved = started(make_service, LEVEL_3_ADDED, at(121))
    assert moved == 1 and Sweeper(edited, clock=fixed(at(121))).sweep_once().fired != []
    assert fired_rows(edited)[-1] == ("escalate", 3, "first_response") and len(refs(edited)) == 4


def test_processes_starting_together_with_an_edited_file_move_each_ticket_once(
        make_service: Callable[..., Service]) -> None:
    for tid in ("S-1", "S-2", "S-3"):
        open_ticket(make_service(), tid)
    sweep_all(make_service, RULES_ONLY_POLICY, 50, 60, 95)
    services = [make_service(LEVEL_3_ADDED) for _ in range(4)]
    gate = threading.Barrier(len(services))
    moved: list[int] = []
    errors: list[BaseException] = []

    def start(service: Service) -> None:
        gate.wait()
        try:
            moved.append(service.adopt_policy_file(at(121)))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and sorted(moved) == [0, 0, 0, 3]
    swept = Sweeper(services[0], clock=fixed(at(121))).sweep_once()
    assert sorted(swept.assessed) == ["S-1", "S-2", "S-3"] and len(swept.fired) == 3


# --- `escalation sweep` on its own notices an edited policy file (docs/sla-semantics.md) -------------------
def watching(url: str, tmp_path: Path, policy: str) -> tuple[Service, Path]:
    """A service started as `escalation sweep` starts: on the policy file `tmp_path/policies.yaml`."""
    migrate(url)
    policy_file = tmp_path / "policies.yaml"
    policy_file.write_text(policy)
    settings = Settings.model_validate({"database_url": url, "paths": {"models_dir": tmp_path / "no-models",
                                                                        "policy_file": policy_file},
                                        "serving": {"sentiment": False}})
    database = Database(url)
    return Service(settings, Store(database), load_policies(policy_file), None), policy_file


def test_a_separate_sweeper_judges_by_the_edited_policy_file_at_its_next_pass(
        url: str, tmp_path: Path,
        log_output: Callable[..., StringIO]) -> None:
    service, policy_file = watching(url, tmp_path, RESOLUTION_IN_3_DAYS)
    try:
        open_ticket(service, "S-1")
        sweeper = Sweeper(service, clock=fixed(at(150)), watch_policy_file=True)
        assert len(sweeper.sweep_once().fired) == 2  # first response levels 1, 2; resolution: three days away
        assert sweeper.sweep_once().assessed == []
        logs = log_output()
        policy_file.write_text(RESOLUTION_LADDER.replace("{urgent: 1h,", "{urgent: 1 hour,"))  # a problem
        assert sweeper.sweep_once().assessed == []  # refused: still the three-day target
        assert service.scorers.policies.version == parse_policies(RESOLUTION_IN_3_DAYS).version
        assert service.policy_loads.failing
        lines = logs.getvalue().splitlines()
        assert len(lines) == 1 and "line 10, at policies[0].targets.first_response.urgent" in lines[0]
        assert "first_response: {urgent: 1 hour" not in lines[0]  # the problem and its line, not the file's
        sweeper.sweep_once()
        assert len(logs.getvalue().splitlines()) == 1  # an edit is judged once, not at every pass
        policy_file.write_text(RESOLUTION_LADDER)  # mended: resolution 2h, breached since 120
        swept = sweeper.sweep_once()
        assert swept.assessed == ["S-1"] and len(swept.fired) == 1
        assert fired_rows(service)[-1] == ("escalate", 1, "resolution")
        assert service.scorers.policies.version == parse_policies(RESOLUTION_LADDER).version
        assert not service.policy_loads.failing
        assert sweeper.sweep_once().assessed == []  # the same file: nothing moves, nothing fires again
    finally:
        service.store.db.dispose()


def test_a_sweeper_not_watching_keeps_the_file_it_started_with(url: str, tmp_path: Path) -> None:
    service, policy_file = watching(url, tmp_path, RESOLUTION_IN_3_DAYS)
    try:
        policy_file.write_text(RESOLUTION_LADDER)  # the API's own sweeper: POST /v1/admin/reload swaps it
        Sweeper(service, clock=fixed(at(150))).sweep_once()
        assert service.scorers.policies.version == parse_policies(RESOLUTION_IN_3_DAYS).version
    finally:
        service.store.db.dispose()


def test_a_store_away_while_taking_up_an_edited_file_moves_the_tickets_at_the_next_pass(
        url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    service, policy_file = watching(url, tmp_path, RESOLUTION_IN_3_DAYS)
    try:
        open_ticket(service, "S-1")
        sweeper = Sweeper(service, clock=fixed(at(150)), watch_policy_file=True)
        sweeper.sweep_once()
        policy_file.write_text(RESOLUTION_LADDER)
        moving = policy_change.due_under_new_policy_file

        def away(*args: object) -> int:  # the database restarting just then
            raise OperationalError("UPDATE tickets", {}, Exception("connection refused"))

        monkeypatch.setattr("serving.service.due_under_new_policy_file", away)
        with pytest.raises(OperationalError):  # the loop logs it and retries the pass
            sweeper.sweep_once()
        monkeypatch.setattr("serving.service.due_under_new_policy_file", moving)
        swept = sweeper.sweep_once()  # the file is read already: the tickets are moved now all the same
        assert swept.assessed == ["S-1"] and len(swept.fired) == 1
    finally:
        service.store.db.dispose()


def test_a_sweep_racing_an_ingest_of_the_same_ticket_assesses_the_events_it_stored(
        make_service: Callable[[], Service], monkeypatch: pytest.MonkeyPatch) -> None:
    # the sweep read the ticket (its customer message unanswered at 61 min), an agent reply stamped at 55 min
    # was stored by another instance meanwhile, and the sweep still recorded its view: the level-1 escalation
    # of a first response that had been met went to the team lead
    sweeping, ingesting = make_service(), make_service()
    open_ticket(ingesting, "S-R")
    reply = Event.model_validate({"event_id": "S-R-e2", "ticket_id": "S-R", "at": at(55).isoformat(),
                                  "type": "agent_reply", "author_role": "agent", "body": "Attached, sorry."})
    load = sweeping.store.load
    ingested: list[object] = []

    def load_then_another_instance_stores_the_reply(ticket_id: str):  # type: ignore[no-untyped-def]
        view = load(ticket_id)
        if not ingested:  # once: between the sweep's read and its write, as another request would
            worker = threading.Thread(target=lambda: ingested.append(ingesting.ingest("S-R", None, [reply])))
            worker.start()
            worker.join(timeout=60)
        return view

    monkeypatch.setattr(sweeping.store, "load", load_then_another_instance_stores_the_reply)
    result = Sweeper(sweeping, clock=fixed(at(61))).sweep_once()
    assert len(ingested) == 1  # the reply was stored while the sweep was under way
    assert result.fired == [] and kinds(sweeping) == [] and refs(sweeping) == []
    with sweeping.store.db.session() as s:
        ticket = s.get(TicketRow, "S-R")
        assert ticket is not None and ticket.events_seen == 2 and ticket.escalation_level == 0
