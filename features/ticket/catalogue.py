"""Every ticket feature: its name, kind, unit and a sentence that explains a value in words.

The order here is the column order of every feature frame. Serving fills the templates to explain a
score's top contributions ("customer waited 6.5 business hours since their last message").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.enums import Channel, Priority, TicketStatus
from core.sla import TargetKind
from core.text import SignalName

Kind = Literal["numeric", "categorical"]


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    kind: Kind
    unit: str  # "business hours", "count", "0/1", "" for categoricals …
    template: str  # `{value}` is the value, already formatted
    # Closed vocabularies fix their categories here; open ones (product, team …) learn them once from
    # training data (FeatureSpec.with_categories_from) and keep them with the model.
    categories: tuple[str, ...] | None = None


def _num(name: str, unit: str, template: str) -> Feature:
    return Feature(name, "numeric", unit, template)


def _cat(name: str, template: str, categories: tuple[str, ...] | None = None) -> Feature:
    return Feature(name, "categorical", "category", template, categories)


def _values(enum: type[Channel] | type[Priority] | type[TicketStatus]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


SENTIMENT_WINDOW = 5  # the trend is the slope over the last this many analysed customer messages

TICKET = [
    _num("age_hours", "hours", "ticket open for {value} hours"),
    _num("age_business_hours", "business hours", "ticket open for {value} business hours"),
    _num("wait_business_hours", "business hours",
         "customer waited {value} business hours since their last unanswered message"),
    _num("wait_run_business_hours", "business hours",
         "customer waited {value} business hours since their first unanswered message"),
    _num("first_response_business_hours", "business hours",
         "{value} business hours to the first human reply (so far, if none yet)"),
    _num("first_response_given", "0/1", "first human reply given: {value}"),
    _num("customer_messages", "count", "{value} customer messages so far"),
    _num("unanswered_messages", "count", "{value} customer messages in a row without an answer"),
    _num("human_replies", "count", "{value} replies by agents"),
    _num("bot_replies", "count", "{value} auto-replies by bots"),
    _num("internal_notes", "count", "{value} internal notes"),
    _num("reassignments", "count", "reassigned {value} times"),
    _num("team_transfers", "count", "transferred to another team {value} times"),
    _num("reopens", "count", "reopened {value} times"),
    _num("priority_changes", "count", "priority changed {value} times"),
    _num("priority_rank", "0-3", "priority rank {value} (0 low … 3 urgent)"),
    _num("priority_raised", "ranks", "priority raised by {value} ranks since creation"),
    _num("escalations", "count", "{value} escalations so far"),
    _num("max_escalation_level", "level 0-4", "highest escalation level so far: {value}"),
    _num("pending_business_hours", "business hours", "{value} business hours pending on the customer"),
    _num("on_hold_business_hours", "business hours", "{value} business hours on hold"),
    _num("hours_since_last_event", "hours", "{value} hours since anything happened on the ticket"),
    _num("customer_value", "EUR a year", "customer value {value}"),
    _num("hour_of_day", "hour 0-23", "at {value} o'clock in the team's time zone"),
    _num("weekday", "0 Mon … 6 Sun", "on weekday {value} (0 = Monday)"),
    _num("in_business_hours", "0/1", "within business hours: {value}"),
    _cat("channel", "channel {value}", _values(Channel)),
    _cat("priority", "priority {value}", _values(Priority)),
    _cat("status", "status {value}", _values(TicketStatus)),
    _cat("category", "category {value}"),
    _cat("product", "product {value}"),
    _cat("team", "team {value}"),
    _cat("language", "language {value}"),
    _cat("customer_tier", "customer tier {value}"),
    _cat("sla_policy", "SLA policy {value}"),
]

def _target_features(kind: TargetKind) -> tuple[Feature, ...]:
    words, prefix = kind.value.replace("_", " "), f"sla_{kind.value}"
    return (
        _num(f"{prefix}_remaining_business_hours", "business hours",
             f"{{value}} business hours left on the {words} target (negative: overdue)"),
        _num(f"{prefix}_used_share", "share", f"{{value}} of the {words} target used"),
        _num(f"{prefix}_breached", "0/1", f"{words} target breached: {{value}}"),
    )


SLA = [
    *(feature for kind in TargetKind for feature in _target_features(kind)),
    _num("sla_escalation_level", "level 0-4", "SLA escalation level {value}"),
]

CUSTOMER = [
    _num("customer_prior_tickets", "count", "customer has {value} other tickets so far"),
    _num("customer_prior_escalated", "count", "{value} of the customer's other tickets were escalated"),
    _num("customer_prior_escalation_rate", "share", "{value} of the customer's other tickets escalated"),
    _num("customer_open_tickets", "count", "customer has {value} other open tickets"),
    _num("customer_last_csat", "1-5", "customer's last satisfaction rating: {value}"),
    _num("customer_median_messages", "count", "customer usually writes {value} messages a ticket"),
    _num("customer_days_since_last_ticket", "days", "customer's previous ticket was {value} days earlier"),
    _num("messages_vs_customer_median", "ratio", "{value} times the customer's usual number of messages"),
    _num("assignee_open_tickets", "count", "assignee has {value} other open tickets"),
]

TEXT = [
    _num("sentiment_last", "polarity -1…1", "last customer message sentiment {value}"),
    _num("sentiment_min", "polarity -1…1", "most negative customer message sentiment {value}"),
    _num("sentiment_mean", "polarity -1…1", "mean customer sentiment {value}"),
    _num("sentiment_trend", "polarity a message",
         f"sentiment changes by {{value}} a message over the last {SENTIMENT_WINDOW} messages"),
    _num("sentiment_drop", "polarity", "sentiment dropped by {value} since the first message"),
    _num("negative_share", "share", "{value} of customer messages negative"),
    _num("analysed_messages", "count", "{value} customer messages analysed"),
    _num("signals_last_message", "count", "{value} conflict signals in the last customer message"),
    *(
        _num(f"signal_{name.value}", "messages", f"{name.value.replace('_', ' ')} in {{value}} messages")
        for name in SignalName
    ),
    *(
        _num(f"signal_{name.value}_last", "0/1",
             f"{name.value.replace('_', ' ')} in the last message: {{value}}")
        for name in SignalName
    ),
]

FEATURES: tuple[Feature, ...] = (*TICKET, *SLA, *CUSTOMER, *TEXT)
