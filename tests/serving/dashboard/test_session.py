"""Dashboard sessions in the store, on SQLite and PostgreSQL, with an injected clock: what the cookie holds,
expiry, logout seen by another server instance, key removal and replacement, and the failed-login throttle."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import Settings
from serving.auth import KeyRing
from serving.dashboard.session import DashboardSessions, LoggedIn, LoginRefused, SessionSigner
from serving.store import Database, migrate
from serving.store.sessions import SessionRows
from serving.store.tables import DashboardSessionRow

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
KEYS = [{"name": "ops-manager", "role": "manager", "key": "manager-key-one-2026"},
        {"name": "ops-admin", "role": "admin", "key": "admin-key-one-2026"},
        {"name": "crm", "role": "integration", "key": "integration-key-one"}]


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def settings(keys: list[dict[str, str]] = KEYS, **dashboard: Any) -> Settings:
    return Settings.model_validate({"serving": {"api_keys": keys},
                                    "dashboard": {"secret": "a-shared-secret-of-the-dashboard", **dashboard}})


@pytest.fixture
def instance(url: str) -> Iterator[Callable[..., DashboardSessions]]:
    """`instance(settings, clock)`: a server instance's sessions over the one store (its own engine)."""
    migrate(url)
    made: list[Database] = []

    def make(config: Settings | None = None, clock: Clock | None = None) -> DashboardSessions:
        config = config or settings()
        made.append(Database(url))
        return DashboardSessions(SessionRows(made[-1]), KeyRing(config), SessionSigner(config), config,
                                 clock=clock or Clock())

    yield make
    for database in made:
        database.dispose()


def logged_in(outcome: LoggedIn | LoginRefused) -> LoggedIn:
    assert isinstance(outcome, LoggedIn), outcome
    return outcome


def refused(outcome: LoggedIn | LoginRefused) -> LoginRefused:
    assert isinstance(outcome, LoginRefused), outcome
    return outcome


def test_the_cookie_holds_a_signed_random_id_and_the_store_only_its_hash(
    instance: Callable[..., DashboardSessions],
) -> None:
    sessions = instance()
    first = logged_in(sessions.login("manager-key-one-2026", "10.0.0.1"))
    second = logged_in(sessions.login("manager-key-one-2026", "10.0.0.1"))
    assert first.caller.name == "ops-manager" and sessions.caller(first.cookie) == first.caller
    assert first.cookie != second.cookie  # random, not derived from the key
    digest = hashlib.sha256(b"manager-key-one-2026").hexdigest()
    session_id = first.cookie.split(".")[0]
    for held in (first.cookie, *stored_columns(sessions)):
        assert "manager-key-one-2026" not in held and digest not in held
    assert session_id not in stored_columns(sessions)
    assert hashlib.sha256(session_id.encode()).hexdigest() in stored_columns(sessions)


def stored_columns(sessions: DashboardSessions) -> list[str]:
    with sessions.rows.db.session() as s:
        rows = s.execute(select(DashboardSessionRow)).scalars().all()
    return [str(v) for r in rows for v in (r.id_sha256, r.key_name, r.key_binding)]


def test_forged_and_tampered_cookies_are_refused(instance: Callable[..., DashboardSessions]) -> None:
    sessions = instance()
    cookie = logged_in(sessions.login("admin-key-one-2026", "10.0.0.1")).cookie
    session_id, signature = cookie.split(".")
    # a server with another secret signed nothing of it
    other = instance(settings(secret="another-secret-of-the-dashboard!"))
    assert other.caller(cookie) is None
    changed = "B" if session_id.endswith("A") else "A"  # one character of the id, never left as it was
    assert sessions.caller(f"{session_id[:-1]}{changed}.{signature}") is None
    assert sessions.caller(other.signer.sign("made-up-id")) is None
    assert sessions.caller(sessions.signer.sign("made-up-id")) is None  # signed, but no such session
    assert sessions.caller("") is None and sessions.caller("a.b.c") is None


Instance = Callable[..., DashboardSessions]


def test_a_session_ends_at_its_expiry_and_is_deleted_later(instance: Instance) -> None:
    clock = Clock()
    sessions = instance(settings(session_hours=2), clock)
    cookie = logged_in(sessions.login("manager-key-one-2026", "10.0.0.1")).cookie
    clock.now = T0 + timedelta(hours=2) - timedelta(seconds=1)
    assert sessions.caller(cookie) is not None
    clock.now = T0 + timedelta(hours=2)
    assert sessions.caller(cookie) is None
    logged_in(sessions.login("manager-key-one-2026", "10.0.0.1"))  # a login deletes the expired
    assert sessions.rows.count_sessions() == 1


def test_logout_on_one_instance_ends_the_session_on_another(instance: Instance) -> None:
    one, two = instance(), instance()
    cookie = logged_in(one.login("manager-key-one-2026", "10.0.0.1")).cookie
    kept = logged_in(one.login("manager-key-one-2026", "10.0.0.2")).cookie
    assert two.caller(cookie) is not None
    two.logout(cookie)
    assert one.caller(cookie) is None and two.caller(cookie) is None
    assert one.caller(kept) is not None  # the same key's other session is another session


def test_removing_replacing_or_demoting_the_key_ends_its_sessions(
    instance: Callable[..., DashboardSessions],
) -> None:
    cookie = logged_in(instance().login("manager-key-one-2026", "10.0.0.1")).cookie
    assert instance(settings(KEYS[1:])).caller(cookie) is None  # removed
    replaced = [{"name": "ops-manager", "role": "manager", "key": "manager-key-two-2026"}, *KEYS[1:]]
    assert instance(settings(replaced)).caller(cookie) is None
    demoted = [{"name": "ops-manager", "role": "integration", "key": "manager-key-one-2026"}, *KEYS[1:]]
    assert instance(settings(demoted)).caller(cookie) is None
    hashed = [{"name": "ops-manager", "role": "manager",
               "key_sha256": hashlib.sha256(b"manager-key-one-2026").hexdigest()}, *KEYS[1:]]
    assert instance(settings(hashed)).caller(cookie) is not None  # the same key, given by its digest


def test_failed_logins_are_throttled_per_client_until_the_window_passes(
    instance: Callable[..., DashboardSessions],
) -> None:
    clock = Clock()
    sessions = instance(settings(max_failed_logins=3, failed_login_window_minutes=10), clock)
    for minute in (0, 1, 2):
        clock.now = T0 + timedelta(minutes=minute)
        assert refused(sessions.login("", "10.0.0.9")).status == 401  # an empty form: no guess, not counted
        assert refused(sessions.login("guess", "10.0.0.9")).status == 401
    clock.now = T0 + timedelta(minutes=3)
    throttled = refused(sessions.login("manager-key-one-2026", "10.0.0.9"))  # even the right key: no oracle
    assert throttled.status == 429 and throttled.retry_after_s == 7 * 60
    assert "try again in 7 minutes" in throttled.message
    assert logged_in(sessions.login("manager-key-one-2026", "10.0.0.10")).caller.name == "ops-manager"
    for _ in range(5):  # attempts while throttled are not counted: they do not push the end further
        assert refused(sessions.login("guess", "10.0.0.9")).status == 429
    clock.now = T0 + timedelta(minutes=10)  # the first failure has left the window
    assert logged_in(sessions.login("manager-key-one-2026", "10.0.0.9")).caller.name == "ops-manager"


def test_the_throttle_counts_across_instances_and_a_success_resets_no_one(
    instance: Callable[..., DashboardSessions],
) -> None:
    clock = Clock()
    config = settings(max_failed_logins=2)
    one, two = instance(config, clock), instance(config, clock)
    refused(one.login("guess", "10.0.0.9"))
    logged_in(two.login("admin-key-one-2026", "10.0.0.8"))
    refused(two.login("guess", "10.0.0.9"))
    assert refused(one.login("admin-key-one-2026", "10.0.0.9")).status == 429


def test_an_overlong_client_address_is_cut_to_the_column(instance: Instance) -> None:
    sessions = instance(settings(max_failed_logins=1))
    long = "203.0.113.1, " * 30  # what a misconfigured proxy could forward
    assert refused(sessions.login("guess", long)).status == 401
    assert refused(sessions.login("guess", long)).status == 429
