"""A small, realistic history: three tickets (en, de, no) and their event logs, writable in every format.

Hand-computed figures (test_summary.py): 2 of 3 tickets escalated (T-1002 hierarchical level 1,
T-1003 automatic level 2); T-1002 was reopened; T-1001 and T-1003 were solved at first contact
(T-1001's bot auto-reply does not count); CSAT ratings 5 and 1. E-09's body holds a line break, so
in events.csv the event at index i is on line i + 2 up to E-09 and on line i + 3 after it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

TICKET_FIELDS = ["ticket_id", "created_at", "channel", "priority", "customer_id", "customer_tier",
                 "customer_value", "product", "category", "team", "language", "subject", "sla_breached",
                 "region"]
EVENT_FIELDS = ["event_id", "ticket_id", "at", "type", "author_role", "author_id", "body", "status",
                "priority", "assignee", "team", "level", "escalation_type", "reason", "csat"]

_TICKETS = [
    ("T-1001", "2024-03-04T08:15:00+01:00", "email", "high", "C-17", "gold", "12000", "Invoicing",
     "billing", "billing-l1", "en", "Charged twice for March", "true", "EMEA"),
    ("T-1002", "2024-03-04T09:02:00+01:00", "chat", "normal", "C-23", "standard", "800", "Router X2",
     "outage", "network", "de", "Internet fällt ständig aus", "false", "EMEA"),
    ("T-1003", "2024-03-05T14:40:00+01:00", "twitter", "high", "C-31", "enterprise", "250000.5",
     "Mobilabonnement", "refund", "mobile", "no", "Refusjon for feil faktura", "true", "Nordics"),
]
# event_id, ticket_id, at, type, author_role, author_id, body, status, priority, assignee, team, level,
# escalation_type, reason, csat
_EVENTS = [
    ("E-01", "T-1001", "2024-03-04T08:15:00+01:00", "customer_message", "customer", "C-17",
     "I was charged twice for March, please refund one.", "", "", "", "", "", "", "", ""),
    ("E-02", "T-1001", "2024-03-04T08:16:00+01:00", "agent_reply", "bot", "autoreply",
     "Thanks, we received your request.", "", "", "", "", "", "", "", ""),
    ("E-03", "T-1001", "2024-03-04T10:30:00+01:00", "agent_reply", "agent", "A-7",
     "Sorry about that! The refund is on its way.", "", "", "", "", "", "", "", ""),
    ("E-04", "T-1001", "2024-03-04T10:31:00+01:00", "status_change", "agent", "A-7", "", "solved", "", "",
     "", "", "", "", ""),
    ("E-05", "T-1001", "2024-03-05T09:00:00Z", "csat_rating", "customer", "C-17", "", "", "", "", "", "",
     "", "", "5"),
    ("E-06", "T-1002", "2024-03-04T09:02:00+01:00", "customer_message", "customer", "C-23",
     "Mein Internet fällt seit Tagen aus.", "", "", "", "", "", "", "", ""),
    ("E-07", "T-1002", "2024-03-04T09:20:00+01:00", "agent_reply", "agent", "A-3", "Wir prüfen das.", "",
     "", "", "", "", "", "", ""),
    ("E-08", "T-1002", "2024-03-04T09:21:00+01:00", "status_change", "agent", "A-3", "", "pending", "", "",
     "", "", "", "waiting for the customer", ""),
    ("E-09", "T-1002", "2024-03-05T07:45:00+01:00", "customer_message", "customer", "C-23",
     "Immer noch kaputt!\nIch will sofort einen Vorgesetzten sprechen.", "", "", "", "", "", "", "", ""),
    ("E-10", "T-1002", "2024-03-05T08:00:00+01:00", "escalation", "manager", "M-1", "", "", "", "",
     "network-l2", "1", "hierarchical", "customer asked for a manager", ""),
    ("E-11", "T-1002", "2024-03-05T08:01:00+01:00", "reassignment", "system", "", "", "", "", "",
     "network-l2", "", "", "", ""),
    ("E-12", "T-1002", "2024-03-05T11:00:00+01:00", "agent_reply", "agent", "A-9",
     "Ein Techniker kommt morgen.", "", "", "", "", "", "", "", ""),
    ("E-13", "T-1002", "2024-03-05T11:01:00+01:00", "status_change", "agent", "A-9", "", "solved", "", "",
     "", "", "", "", ""),
    ("E-14", "T-1002", "2024-03-06T08:00:00+01:00", "status_change", "customer", "C-23", "", "open", "", "",
     "", "", "", "customer replied: still broken", ""),
    ("E-15", "T-1002", "2024-03-06T08:05:00+01:00", "csat_rating", "customer", "C-23", "", "", "", "", "",
     "", "", "", "1"),
    ("E-16", "T-1003", "2024-03-05T14:40:00+01:00", "customer_message", "customer", "C-31",
     "Dere har trukket meg to ganger! Svar nå.", "", "", "", "", "", "", "", ""),
    ("E-17", "T-1003", "2024-03-05T15:40:00+01:00", "escalation", "system", "sla-engine", "", "", "", "",
     "", "2", "automatic", "first response SLA breached", ""),
    ("E-18", "T-1003", "2024-03-05T15:41:00+01:00", "priority_change", "system", "sla-engine", "", "",
     "urgent", "", "", "", "", "", ""),
    ("E-19", "T-1003", "2024-03-05T15:50:00+01:00", "internal_note", "agent", "A-5",
     "Refund approved by finance.", "", "", "", "", "", "", "", ""),
    ("E-20", "T-1003", "2024-03-05T15:55:00+01:00", "agent_reply", "agent", "A-5",
     "Beklager! Refusjonen er på vei.", "", "", "", "", "", "", "", ""),
    ("E-21", "T-1003", "2024-03-05T15:56:00+01:00", "status_change", "agent", "A-5", "", "solved", "", "",
     "", "", "", "", ""),
]

Records = list[dict[str, str]]


def ticket_records() -> Records:
    return [dict(zip(TICKET_FIELDS, row, strict=True)) for row in _TICKETS]


def event_records() -> Records:
    return [dict(zip(EVENT_FIELDS, row, strict=True)) for row in _EVENTS]


def write_csv(path: Path, records: Records) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def write_parquet(path: Path, records: Records, kind: str) -> Path:
    """Typed the way a warehouse export would be: real timestamps, numbers, booleans."""
    frame = pd.DataFrame(records)
    stamp = "created_at" if kind == "tickets" else "at"
    frame[stamp] = pd.to_datetime(frame[stamp], format="ISO8601", utc=True)
    if kind == "tickets":
        frame["customer_value"] = frame["customer_value"].astype(float)
        frame["sla_breached"] = frame["sla_breached"].eq("true")
    else:
        for name in ("level", "csat"):
            frame[name] = pd.to_numeric(frame[name].replace("", None)).astype("Int64")
    frame.to_parquet(path, index=False)
    return path


@pytest.fixture
def tickets() -> Records:
    return ticket_records()


@pytest.fixture
def events() -> Records:
    return event_records()


WriteFile = Callable[[Path, Records], Path]


@pytest.fixture
def write_file() -> WriteFile:
    """write_file(path, records): CSV, JSONL or Parquet, by the suffix of the path."""

    def write(path: Path, records: Records) -> Path:
        if path.suffix == ".csv":
            return write_csv(path, records)
        if path.suffix == ".jsonl":
            return write_jsonl(path, list(records))
        return write_parquet(path, records, "tickets" if "ticket" in path.name else "events")

    return write


@pytest.fixture
def event_line() -> Callable[[int], int]:
    """The line of events.csv holding the event at this index (E-09's body spans two lines)."""
    return lambda index: index + 2 if index <= 8 else index + 3


WriteHistory = Callable[..., Path]


@pytest.fixture
def write_history(tmp_path: Path, tickets: Records, events: Records) -> WriteHistory:
    """write_history(fmt, tickets=..., events=...) -> the directory (or the nested JSONL file)."""

    def write(fmt: str = "csv", tickets: Records = tickets, events: Records | None = events,
              folder: str = "export") -> Path:
        out = tmp_path / folder
        out.mkdir(exist_ok=True)
        if fmt == "nested":
            nested = [{**t, "events": [{k: v for k, v in e.items() if k != "ticket_id"}
                                       for e in (events or []) if e["ticket_id"] == t["ticket_id"]]}
                      for t in tickets]
            return write_jsonl(out / "tickets.jsonl", nested)
        for kind, records in (("tickets", tickets), ("events", events)):
            if records is None:
                continue
            if fmt == "csv":
                write_csv(out / f"{kind}.csv", records)
            elif fmt == "jsonl":
                write_jsonl(out / f"{kind}.jsonl", records)
            else:
                write_parquet(out / f"{kind}.parquet", records, kind)
        return out

    return write
