"""Write a history in the documented format (data/README.md): `tickets.jsonl`, `events.jsonl` and, when there
is feedback, `feedback.jsonl` — the files `escalation validate-data` and `escalation train` read. Rows are
written as they come (bounded memory); the files take their names only when the writer is closed without an
error, so a failed export leaves no half history behind for a training run to read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from core.errors import ConfigError
from core.feedback import Feedback
from core.tickets import Event, Ticket
from features.history.feedback import FEEDBACK_FILE
from features.history.readers import SUFFIXES

TICKETS_FILE, EVENTS_FILE = "tickets.jsonl", "events.jsonl"
_PARTIAL = ".partial"


def ticket_record(ticket: Ticket) -> dict[str, Any]:
    """A ticket as one line of the tickets file: every field it has, extras included, the instant in UTC."""
    record = ticket.model_dump(mode="json", exclude_none=True)
    record["created_at"] = ticket.created_at.astimezone(UTC).isoformat()
    return record


def event_record(event: Event) -> dict[str, Any]:
    record = event.model_dump(mode="json", exclude_none=True)
    record["at"] = event.at.astimezone(UTC).isoformat()
    return record


def feedback_record(feedback: Feedback) -> dict[str, Any]:
    record = feedback.model_dump(mode="json")
    record["at"] = feedback.at.astimezone(UTC).isoformat()
    return record


class HistoryWriter:
    """`with HistoryWriter(folder) as out: out.tickets(...); out.events(...); out.feedback(...)`; the counts
    in `written`. Refuses a folder that already holds a history's file: two tickets files would be ambiguous
    to the loader, and an export never overwrites one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written = {"tickets": 0, "events": 0, "feedback": 0}
        self._files: dict[str, IO[str]] = {}

    def __enter__(self) -> HistoryWriter:
        self.folder.mkdir(parents=True, exist_ok=True)
        present = sorted(p.name for p in self.folder.iterdir()
                         if p.name.startswith(("tickets", "events", "feedback"))
                         and p.name.endswith((*SUFFIXES, _PARTIAL)))
        if present:
            raise ConfigError(f"{self.folder} already holds {', '.join(present)}; export into an empty "
                              "folder or remove them")
        for name in (TICKETS_FILE, EVENTS_FILE, FEEDBACK_FILE):
            self._files[name] = (self.folder / (name + _PARTIAL)).open("w", encoding="utf-8", newline="\n")
        return self

    def tickets(self, tickets: Iterable[Ticket]) -> None:
        self.written["tickets"] += self._write(TICKETS_FILE, (ticket_record(t) for t in tickets))

    def events(self, events: Iterable[Event]) -> None:
        self.written["events"] += self._write(EVENTS_FILE, (event_record(e) for e in events))

    def feedback(self, feedback: Iterable[Feedback]) -> None:
        self.written["feedback"] += self._write(FEEDBACK_FILE, (feedback_record(f) for f in feedback))

    def _write(self, name: str, records: Iterable[dict[str, Any]]) -> int:
        handle, n = self._files[name], 0
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            n += 1
        return n

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for handle in self._files.values():
            handle.close()
        for name in self._files:
            partial = self.folder / (name + _PARTIAL)
            if kind is not None or (name == FEEDBACK_FILE and not self.written["feedback"]):
                partial.unlink(missing_ok=True)  # failed: nothing left behind; no feedback: no file
            else:
                partial.replace(self.folder / name)
