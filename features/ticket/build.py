"""`build_features`: THE function that turns a ticket at time t into its feature row.

Training calls it at every example time and serving at every event; nothing else computes a feature
value. It sees only events with `at <= t` (it cuts them itself), other tickets only through the
`FeatureContext` (as of t), and text only through the analyses of the customer messages it kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from core.enums import TicketStatus
from core.text import MessageAnalysis
from core.tickets import Event, Ticket
from features.ticket.catalogue import FEATURES
from features.ticket.context import CustomerFacts, FeatureContext
from features.ticket.messages import message_features
from features.ticket.sla import business_hours, sla_features, sla_state
from features.ticket.spec import TICKET_COLUMN_PREFIX, FeatureSpec
from features.ticket.timeline import TicketState, events_until, replay
from rules import BusinessCalendar, PolicySet, SlaEvaluation

HOUR = timedelta(hours=1)
_BUILT = frozenset(f.name for f in FEATURES)  # what build_features itself computes
NAN = math.nan
FeatureRow = dict[str, float | str | None]


def build_features(
    ticket: Ticket,
    events: Sequence[Event],
    at: datetime,
    context: FeatureContext,
    analyses: Mapping[str, MessageAnalysis],
    policies: PolicySet,
    sla: SlaEvaluation | None = None,
) -> FeatureRow:
    """The feature row of `ticket` at `at` (aware). `events`: the ticket's events in any order;
    those after `at` are ignored. `analyses`: text analysis by event id (missing ones give NaN).
    `sla`: the caller's SLA evaluation of the same ticket, events and instant, when it has one."""
    if at.tzinfo is None:
        raise ValueError(f"at={at.isoformat()} has no time zone; pass an aware datetime (e.g. tzinfo=UTC)")
    known = events_until(events, at)
    state = replay(ticket, known)
    result, calendar = sla_state(policies, ticket, known, at, sla)
    customer = context.customer_facts(ticket.customer_id, at, exclude=ticket.ticket_id)
    load = context.assignee_open_tickets(state.assignee, at, ticket.ticket_id) if state.assignee else None

    row: FeatureRow = {}
    row.update(_ticket_features(state, at, calendar))
    row.update(sla_features(result))
    row.update(_customer_features(customer, len(state.customer_message_ids)))
    row["assignee_open_tickets"] = float(load) if load is not None else NAN
    row.update(message_features(state.customer_message_ids, analyses))
    return row


def ticket_column_features(ticket: Ticket, spec: FeatureSpec) -> FeatureRow:
    """The `ticket_<column>` features of a model trained with `--ticket-feature`: the ticket's own extra
    columns, as training reads them from the tickets file; a column the ticket lacks is missing."""
    extras = ticket.model_extra or {}
    return {
        f.name: extras.get(f.name.removeprefix(TICKET_COLUMN_PREFIX))
        for f in spec.features
        if f.name.startswith(TICKET_COLUMN_PREFIX) and f.name not in _BUILT
    }


def _ticket_features(state: TicketState, at: datetime, calendar: BusinessCalendar | None) -> FeatureRow:
    t = state.ticket
    created = t.created_at
    age_end = max(at, created)

    def business(start: datetime) -> float:
        return business_hours(calendar, start, age_end)

    waiting = bool(state.unanswered)
    local = at.astimezone(calendar.tz if calendar is not None else UTC)
    pending = on_hold = 0.0
    for status, start, end in state.status_spans(age_end):
        if status is TicketStatus.PENDING:
            pending += business_hours(calendar, start, end)
        elif status is TicketStatus.ON_HOLD:
            on_hold += business_hours(calendar, start, end)
    return {
        "age_hours": (age_end - created) / HOUR,
        "age_business_hours": business(created),
        "wait_business_hours": business(state.unanswered[-1]) if waiting else 0.0,
        "wait_run_business_hours": business(state.unanswered[0]) if waiting else 0.0,
        "first_response_business_hours": business_hours(calendar, created, state.first_reply_at or age_end),
        "first_response_given": float(state.first_reply_at is not None),
        "customer_messages": float(len(state.customer_message_ids)),
        "unanswered_messages": float(len(state.unanswered)),
        "human_replies": float(state.human_replies),
        "bot_replies": float(state.bot_replies),
        "internal_notes": float(state.internal_notes),
        "reassignments": float(state.reassignments),
        "team_transfers": float(state.team_transfers),
        "reopens": float(state.reopens),
        "priority_changes": float(state.priority_changes),
        "priority_rank": float(state.priority.rank),
        "priority_raised": float(state.priority.rank - t.priority.rank),
        "escalations": float(state.escalations),
        "max_escalation_level": float(state.max_escalation_level),
        "pending_business_hours": pending,
        "on_hold_business_hours": on_hold,
        "hours_since_last_event": (age_end - (state.last_event_at or created)) / HOUR,
        "customer_value": t.customer_value if t.customer_value is not None else NAN,
        "hour_of_day": float(local.hour),
        "weekday": float(local.weekday()),
        "in_business_hours": float(calendar.is_open(at)) if calendar is not None else NAN,
        "channel": t.channel.value,
        "priority": state.priority.value,
        "status": state.status.value,
        "category": t.category,
        "product": t.product,
        "team": state.team,
        "language": t.language,
        "customer_tier": t.customer_tier,
    }


def _customer_features(facts: CustomerFacts, messages: int) -> FeatureRow:
    median = facts.median_messages
    return {
        "customer_prior_tickets": float(facts.tickets),
        "customer_prior_escalated": float(facts.escalated),
        "customer_prior_escalation_rate": facts.escalated / facts.tickets if facts.tickets else NAN,
        "customer_open_tickets": float(facts.open_tickets),
        "customer_last_csat": facts.last_csat if facts.last_csat is not None else NAN,
        "customer_median_messages": median if median is not None else NAN,
        "customer_days_since_last_ticket": (
            facts.days_since_last_ticket if facts.days_since_last_ticket is not None else NAN
        ),
        "messages_vs_customer_median": messages / median if median else NAN,
    }
