"""The store read out as a history (`escalation export-history`): its tickets, their events and the
managers' feedback, in batches of tickets, each batch in one transaction, the events streamed — memory is
bounded by the batch size, not by the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from core.bounds import STORED
from core.feedback import Feedback, Verdict
from core.tickets import Event, Ticket
from serving.store.database import Database
from serving.store.tables import AlertRow, EventRow, FeedbackRow, TicketRow

BATCH_TICKETS = 500  # tickets read (and held) at a time
STREAM_ROWS = 1_000  # events and feedback rows fetched from the cursor at a time


class HistorySink(Protocol):
    """Where the exported rows go (features.history.writer.HistoryWriter)."""

    def tickets(self, tickets: Iterable[Ticket]) -> None: ...

    def events(self, events: Iterable[Event]) -> None: ...

    def feedback(self, feedback: Iterable[Feedback]) -> None: ...


@dataclass(frozen=True, slots=True)
class Window:
    """The tickets created in [since, until); of those, the events and feedback before `until`. A fixed
    `until` makes the export the history as of that instant even while the API keeps writing."""

    until: datetime
    since: datetime | None = None


def tickets_in(db: Database, window: Window) -> int:
    """How many tickets the window holds (for the progress line)."""
    with db.session() as s:
        query = select(func.count()).select_from(TicketRow).where(*_created_in(window))
        return int(s.execute(query).scalar_one())


def export_history(
    db: Database,
    sink: HistorySink,
    window: Window,
    *,
    batch_tickets: int = BATCH_TICKETS,
    on_batch: Callable[[int], None] | None = None,
) -> None:
    """Every ticket of the window with its events and feedback into `sink`, by ticket id, `batch_tickets`
    tickets at a time; `on_batch(n)` after each batch of n tickets."""
    after: str | None = None
    while True:
        with db.session() as s:
            query = select(TicketRow.ticket_id, TicketRow.fields).where(*_created_in(window))
            if after is not None:
                query = query.where(TicketRow.ticket_id > after)
            rows = s.execute(query.order_by(TicketRow.ticket_id).limit(batch_tickets)).all()
            if not rows:
                return
            ids = [tid for tid, _ in rows]
            sink.tickets(Ticket.model_validate(fields, context=STORED) for _, fields in rows)
            sink.events(_events(s, ids, window.until))
            sink.feedback(_feedback(s, ids, window.until))
        after = ids[-1]
        if on_batch is not None:
            on_batch(len(ids))


def _created_in(window: Window) -> list[ColumnElement[bool]]:
    where = [TicketRow.created_at < window.until]
    if window.since is not None:
        where.append(TicketRow.created_at >= window.since)
    return where


def _events(s: Session, ids: list[str], until: datetime) -> Iterator[Event]:
    # in the order they arrived: events at the same instant keep it in the file (the loader's tie-break)
    query = (
        select(EventRow.payload)
        .where(EventRow.ticket_id.in_(ids), EventRow.at < until)
        .order_by(EventRow.ticket_id, EventRow.seq)
        .execution_options(yield_per=STREAM_ROWS)
    )
    for payload in s.execute(query).scalars():
        yield Event.model_validate(payload, context=STORED)


def _feedback(s: Session, ids: list[str], until: datetime) -> Iterator[Feedback]:
    # the team an alert counted for (its budget's team); without an alert, the ticket's current team
    query = (
        select(FeedbackRow, func.coalesce(AlertRow.team, TicketRow.team))
        .join(TicketRow, TicketRow.ticket_id == FeedbackRow.ticket_id)
        .outerjoin(AlertRow, AlertRow.id == FeedbackRow.alert_id)
        .where(FeedbackRow.ticket_id.in_(ids), FeedbackRow.at < until)
        .order_by(FeedbackRow.id)
        .execution_options(yield_per=STREAM_ROWS)
    )
    for row, team in s.execute(query):
        yield Feedback.model_validate(
            {
                "feedback_id": row.id,
                "ticket_id": row.ticket_id,
                "team": team,
                "verdict": Verdict(row.verdict),
                "at": row.at,
                "alert_id": row.alert_id,
                "assessment_id": row.assessment_id,
                "comment": row.comment,
            },
            context=STORED,
        )
