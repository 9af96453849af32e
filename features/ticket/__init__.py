"""Point-in-time ticket features: a ticket's events up to t (and other tickets as of t) -> one row.

`build_features` is the one code path for training and serving; `build_feature_frame` calls it at
every example time of a history. The columns, their meaning and encoding: `FeatureSpec`
(docs/features.md)."""

from features.ticket.build import FeatureRow, build_features, ticket_column_features
from features.ticket.catalogue import FEATURES, Feature
from features.ticket.context import CustomerFacts, EmptyContext, FeatureContext
from features.ticket.frame import build_feature_frame, build_feature_rows, example_times, history_pairs
from features.ticket.history_context import CustomerHistory, HistoryContext, TicketSummary, summarise
from features.ticket.spec import DEFAULT_SPEC, FeatureSpec

__all__ = [
    "DEFAULT_SPEC",
    "FEATURES",
    "CustomerFacts",
    "CustomerHistory",
    "EmptyContext",
    "Feature",
    "FeatureContext",
    "FeatureRow",
    "FeatureSpec",
    "HistoryContext",
    "TicketSummary",
    "build_feature_frame",
    "build_feature_rows",
    "build_features",
    "example_times",
    "history_pairs",
    "summarise",
    "ticket_column_features",
]
