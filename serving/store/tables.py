"""The store's tables: tickets, events (append-only), message analyses, assessments, actions,
alerts and their daily budgets, deliveries (the outbox), feedback, root causes, the dashboard's sessions
and failed logins, snoozed warnings and their history. Instants are stored as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import text
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the store; pass an aware one")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime(), dict[str, Any]: JSON}


# SQLite autoincrements only an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class TicketRow(Base):
    __tablename__ = "tickets"

    ticket_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime]
    customer_id: Mapped[str] = mapped_column(String(200), index=True)
    fields: Mapped[dict[str, Any]]  # the Ticket as sent with its first event (JSON)
    # current state, refreshed by each assessment: what the early-warning list filters on
    status: Mapped[str] = mapped_column(String(20), default="new")
    channel: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(20))
    team: Mapped[str] = mapped_column(String(200), index=True)  # the KPI page's team choice (migration 0009)
    assignee: Mapped[str | None] = mapped_column(String(200), index=True)
    risk: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(20))
    band_rank: Mapped[int] = mapped_column(default=-1)  # low 0 … critical 3: the list sorts on it
    breached: Mapped[bool] = mapped_column(default=False)
    next_due_at: Mapped[datetime | None]
    # the early-warning list sorts on these in the query (migration 0004): the current escalation level and
    # the soonest due (or most overdue) running or breached SLA target
    escalation_level: Mapped[int] = mapped_column(default=0, server_default="0")
    sla_due_at: Mapped[datetime | None]
    events_seen: Mapped[int] = mapped_column(default=0)  # events behind the latest assessment
    last_assessment_id: Mapped[int | None] = mapped_column(BigId)
    policy_version: Mapped[str] = mapped_column(String(40), default="")
    calendar_version: Mapped[str] = mapped_column(String(40), default="")

    # the sweeper's wake-up query: the earliest next_due_at among open tickets (migration 0002)
    __table_args__ = (
        Index(
            "ix_tickets_open_next_due",
            "next_due_at",
            sqlite_where=text("status IN ('new', 'open', 'pending', 'on_hold')"),
            postgresql_where=text("status IN ('new', 'open', 'pending', 'on_hold')"),
        ),
    )


class EventRow(Base):
    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id"), index=True)
    at: Mapped[datetime]
    type: Mapped[str] = mapped_column(String(30))
    author_role: Mapped[str] = mapped_column(String(20))
    body: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]  # the whole event as accepted (JSON): the 409 check compares it
    received_at: Mapped[datetime]

    # a page of a ticket's events, the latest first, walked in this order rather than sorted (migration 0011);
    # the index on ticket_id alone stays: on SQLite it ends in seq (the rowid), so the events a cached view of
    # the ticket lacks (seq above its newest) are one range of it
    __table_args__ = (Index("ix_events_ticket_at_seq", "ticket_id", "at", "seq"),)


class AnalysisRow(Base):
    """Text analysis of one customer message, computed once when it arrives."""

    __tablename__ = "message_analyses"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    analysis: Mapped[dict[str, Any]]
    sentiment_version: Mapped[str | None] = mapped_column(String(200))


class KeptAnalysisRow(Base):
    """A /v1/score message's analysis, kept for every server process: keyed by a digest of the analyser's
    version and the message as read; no text (the signals' evidence is kept as character spans)."""

    __tablename__ = "kept_analyses"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    analysis: Mapped[dict[str, Any]]
    kept_at: Mapped[datetime] = mapped_column(index=True)


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_ticket_basis", "ticket_id", "basis", unique=True),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id"), index=True)
    assessed_at: Mapped[datetime]
    # hash of (events, model, policies): the same inputs are assessed once, whatever the batch split
    basis: Mapped[str] = mapped_column(String(64))
    events_seen: Mapped[int]
    risk: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(20))
    model_version: Mapped[str | None] = mapped_column(String(200))
    policy_version: Mapped[str] = mapped_column(String(40))
    body: Mapped[dict[str, Any]]  # the whole assessment as returned (SLA state, signals, contributions …)
    created_at: Mapped[datetime]


class ActionRow(Base):
    __tablename__ = "actions"

    action_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[int | None]
    escalation_type: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[dict[str, Any]]
    due_at: Mapped[datetime]
    fired_at: Mapped[datetime]
    # the action in substance, the same under every version of the policy file: an action fires once per id
    # and once per key (migration 0010; rows fired before it have none until their ticket is assessed again)
    dedup_key: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_actions_dedup_key", "dedup_key", unique=True),)


class AlertRow(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # risk | trigger
    band: Mapped[str] = mapped_column(String(20))
    risk: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    assessment_id: Mapped[int | None] = mapped_column(BigId)
    raised_at: Mapped[datetime]
    cooldown_until: Mapped[datetime]
    # the daily alert budget (migration 0003): the team and budget day the alert counts in; `suppressed`
    # alerts (over the budget, or displaced by a higher-risk one) are kept for audit and not delivered
    team: Mapped[str | None] = mapped_column(String(200))
    budget_day: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="raised", server_default="raised")
    suppressed_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_alerts_team_budget_day", "team", "budget_day"),)


class AlertBudgetRow(Base):
    """One row per team and budget day: the lock that serialises that team's budget decisions, and the
    number of model-driven alerts admitted (migration 0003)."""

    __tablename__ = "alert_budgets"

    team: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD in the budget's time zone
    admitted: Mapped[int] = mapped_column(default=0)


class DeliveryRow(Base):
    """The outbox: one row per thing to deliver (an action fired, an alert raised, an assessment written back
    to its helpdesk)."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))  # action | alert | writeback (to a helpdesk)
    ref: Mapped[str] = mapped_column(String(300), unique=True)  # action_id, alert key, writeback:{assessment}
    ticket_id: Mapped[str] = mapped_column(String(200), index=True)
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    sinks: Mapped[dict[str, Any] | None]  # per sink: status, attempts, last error (migration 0002)

    __table_args__ = (
        Index(
            "ix_deliveries_unsettled_due",
            "next_attempt_at",
            sqlite_where=text("status IN ('pending', 'sending')"),
            postgresql_where=text("status IN ('pending', 'sending')"),
        ),
    )


class FeedbackRow(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id"), index=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    verdict: Mapped[str] = mapped_column(String(20))  # useful | false_alarm
    comment: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]


class RootCauseRow(Base):
    """A manager's root cause for a ticket's escalation (migration 0004). Append-only: a correction is a new
    row, and the latest one per ticket is the ticket's root cause (what the KPIs count)."""

    __tablename__ = "root_causes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id"), index=True)
    cause: Mapped[str] = mapped_column(String(60))
    owning_team: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]


class DashboardSessionRow(Base):
    """A dashboard session (migration 0005). The cookie holds a random session id; the store keeps only its
    SHA-256, the key's name, and a binding to the key (HMAC-SHA256 of the id keyed with the key's digest), so
    that logging out, removing the key or replacing it ends the session on every server process."""

    __tablename__ = "dashboard_sessions"

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_name: Mapped[str] = mapped_column(String(200), index=True)
    key_binding: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class FailedLoginRow(Base):
    """One failed dashboard login (migration 0005): the client's address and when. Rows older than the
    throttle's window are deleted; they count nothing any more."""

    __tablename__ = "failed_logins"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (Index("ix_failed_logins_client_at", "client", "at"),)


class SnoozeRow(Base):
    """A manager's snooze of a ticket's warning (migration 0006): one row per ticket, replaced by a new snooze
    and deleted by an un-snooze. It keeps the ticket's situation at snooze time (breach, escalation level,
    band), so that the list can bring the ticket back as soon as that gets worse."""

    __tablename__ = "snoozes"

    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id"), primary_key=True)
    until: Mapped[datetime]
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]
    breached: Mapped[bool]
    escalation_level: Mapped[int]
    band_rank: Mapped[int]


class SnoozeHistoryRow(Base):
    """Every snooze of a ticket's warning (migration 0007): who set it when, until when, and when, by whom
    (None: by itself) and why it ended (`store.snoozes.EndReason`); the `ended_*` columns stay empty while it
    is the ticket's current snooze."""

    __tablename__ = "snooze_history"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.ticket_id"), index=True)
    who: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]
    until: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(200))
    end_reason: Mapped[str | None] = mapped_column(String(20))
