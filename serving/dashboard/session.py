"""Dashboard sessions, kept in the store. The cookie holds a random session id, signed (HMAC-SHA256) with the
server secret so that a forged one is refused without a query; the store holds the id's SHA-256, the key's
name, a binding to the key (serving.auth.key_binding) and the expiry. The key and its digest never reach the
cookie. A session ends at its expiry, at logout, and when its key is removed or replaced — on every server
process and instance sharing the store. Failed logins are counted per client address in the store: after
settings.dashboard.max_failed_logins within the window, logins from that address are answered 429."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.settings import Settings
from serving.auth import Caller, KeyRing, key_binding, key_digest
from serving.store.sessions import SessionRows

COOKIE = "escalation_session"
DASHBOARD_ROLES = ("manager", "admin")


def utc_now() -> datetime:
    return datetime.now(UTC)


class SessionSigner:
    """Signs session ids with the server secret (settings.dashboard.secret; unset: random per process)."""

    def __init__(self, settings: Settings) -> None:
        given = settings.dashboard.secret
        self._secret = given.get_secret_value().encode() if given else secrets.token_bytes(32)

    def sign(self, session_id: str) -> str:
        return f"{session_id}.{self._mac(session_id)}"

    def session_id(self, cookie: str | None) -> str | None:
        """The session id of a cookie this server signed; None for anything else."""
        if not cookie or cookie.count(".") != 1:
            return None
        session_id, signature = cookie.split(".")
        return session_id if hmac.compare_digest(signature, self._mac(session_id)) else None

    def _mac(self, session_id: str) -> str:
        return hmac.new(self._secret, session_id.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class LoggedIn:
    caller: Caller
    cookie: str


@dataclass(frozen=True, slots=True)
class LoginRefused:
    status: int  # 401 no or wrong key, 403 not a manager key, 429 too many failures from this client
    message: str  # for the login page
    retry_after_s: int | None = None  # with 429


class DashboardSessions:
    def __init__(self, rows: SessionRows, keyring: KeyRing, signer: SessionSigner, settings: Settings,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.rows = rows
        self.keyring = keyring
        self.signer = signer
        self.ttl = timedelta(hours=settings.dashboard.session_hours)
        self.max_failures = settings.dashboard.max_failed_logins
        self.window = timedelta(minutes=settings.dashboard.failed_login_window_minutes)
        self.clock = clock

    @property
    def max_age_s(self) -> int:
        return int(self.ttl.total_seconds())

    def login(self, key: str, client: str) -> LoggedIn | LoginRefused:
        """A new session for a manager (or admin) key presented by `client` (its address), or why not."""
        now = self.clock()
        client = client[:100]  # an address; the column's width (a proxy's header could say anything)
        if (wait := self.throttled_for(client, now)) is not None:
            minutes = math.ceil(wait / 60)
            return LoginRefused(429, f"Too many failed logins from your address; try again in {minutes} "
                                     f"minute{'s' if minutes != 1 else ''}.", wait)
        caller = self.keyring.caller_for_digest(key_digest(key)) if key else None
        if caller is None:
            if key:  # a guess; an empty form is not
                self.rows.add_failure(client, now, forget_before=now - self.window)
                return LoginRefused(401, "That API key is not valid; check it and try again.")
            return LoginRefused(401, "Enter your manager API key.")
        if caller.role not in DASHBOARD_ROLES:
            return LoginRefused(
                403, f"The key {caller.name!r} has the {caller.role} role; the dashboard needs a manager key."
            )
        session_id = secrets.token_urlsafe(32)
        self.rows.add(_hashed(session_id), caller.name, key_binding(key_digest(key), session_id), now,
                      now + self.ttl)
        return LoggedIn(caller, self.signer.sign(session_id))

    def throttled_for(self, client: str, now: datetime) -> int | None:
        """Seconds until `client` may try again, or None when it may now. Failures while throttled are not
        counted (the table stays small), so the oldest of the last `max_failures` says when."""
        recent = self.rows.recent_failures(client, now - self.window, self.max_failures)
        if len(recent) < self.max_failures:
            return None
        return max(1, math.ceil((recent[-1] + self.window - now).total_seconds()))

    def caller(self, cookie: str | None) -> Caller | None:
        """The manager (or admin) of a live session; None: no, forged, expired, logged-out or unbound one."""
        session_id = self.signer.session_id(cookie)
        if session_id is None:
            return None
        stored = self.rows.find(_hashed(session_id), self.clock())
        if stored is None:
            return None
        caller = self.keyring.bound_caller(stored.key_name, session_id, stored.key_binding)
        return caller if caller is not None and caller.role in DASHBOARD_ROLES else None

    def logout(self, cookie: str | None) -> None:
        session_id = self.signer.session_id(cookie)
        if session_id is not None:
            self.rows.revoke(_hashed(session_id))


def _hashed(session_id: str) -> str:
    """What the store keeps of a session id: enough to find it, useless as a cookie."""
    return hashlib.sha256(session_id.encode()).hexdigest()
