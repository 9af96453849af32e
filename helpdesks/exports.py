"""A helpdesk's history export as records, and what importing it made: the types the vendors' `history`
functions take and return (reading and writing the files is `helpdesks/cli.py`'s)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from core.errors import Problem
from core.tickets import Event, Ticket
from helpdesks.payload import Node, PayloadError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Record:
    """One record of an export: its kind (the file's: tickets, audits, conversations, articles, history,
    users), where it was read (file and 1-based row or line) and its JSON."""

    kind: str
    file: str
    row: int
    node: Node

    def problem(self, error: PayloadError) -> Problem:
        return Problem(self.file, error.problem, row=self.row, column=error.path)


@dataclass
class Imported:
    """Tickets and events in the project's history format, and every record that could not be used."""

    tickets: list[Ticket] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # records left out on purpose, by why

    def attempt(self, record: Record, make: Callable[[], T]) -> T | None:
        """`make()`, or None with the record's problem noted when it raises a PayloadError."""
        try:
            return make()
        except PayloadError as exc:
            self.problems.append(record.problem(exc))
            return None


def of_kind(records: Iterable[Record], kind: str) -> list[Record]:
    return [r for r in records if r.kind == kind]


def by_ticket(records: Iterable[Record], key: str, imported: Imported) -> dict[str, list[Record]]:
    """Records grouped by the vendor ticket id at `key`; a record without one is a problem."""
    grouped: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        vendor_id = imported.attempt(r, r.node[key].ident)
        if vendor_id is not None:
            grouped[vendor_id].append(r)
    return grouped


def orphans(grouped: dict[str, list[Record]], known: set[str], key: str, imported: Imported) -> None:
    """Records of tickets the export's tickets file does not hold are problems, named by record."""
    for vendor_id, records in grouped.items():
        if vendor_id not in known:
            for r in records:
                imported.problems.append(Problem(
                    r.file, f"ticket {vendor_id} is not in the export's tickets (or could not be imported)",
                    row=r.row, column=key))
