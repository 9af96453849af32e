"""Ticket-history loading and validation: files (CSV, JSONL, Parquet) -> typed frames (data/README.md)."""

from features.history.convert import iter_tickets
from features.history.history import HistorySource, TicketHistory, history_from_records, load_history
from features.history.mapping import ColumnMapping, FileMapping, load_mapping, mapping_from_dict
from features.history.problems import problem_kind

__all__ = [
    "ColumnMapping",
    "FileMapping",
    "HistorySource",
    "TicketHistory",
    "history_from_records",
    "iter_tickets",
    "load_history",
    "load_mapping",
    "mapping_from_dict",
    "problem_kind",
]
