"""The ticket page's pages of assessments and events: the history a link asks for (`offset`, `events_offset`,
as GET /v1/tickets/{id} names them; a page past the end shows the oldest one instead), and the links to the
older and newer pages of each, every link keeping the other's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

from serving.service import Service
from serving.ticket_history import TicketHistory, whole


def history_page(
    service: Service, ticket_id: str, now: datetime, offset: int, events_offset: int
) -> TicketHistory:
    """The ticket's history with the pages asked for (the latest of each at 0); a page past the end (the
    link was made for a ticket of more items) is the oldest one instead."""
    history = service.ticket_history(ticket_id, now, offset=offset, events_offset=events_offset)
    assessments, events = history.assessments_page, history.events_page
    if (assessments and assessments.past_end) or (events and events.past_end):
        offset = assessments.oldest_offset if assessments and assessments.past_end else offset
        events_offset = events.oldest_offset if events and events.past_end else events_offset
        history = service.ticket_history(ticket_id, now, offset=offset, events_offset=events_offset)
    return history


@dataclass(frozen=True, slots=True)
class PageLinks:
    """The ticket page's links to its other pages; None where there is none."""

    older_assessments: str | None
    newer_assessments: str | None
    older_events: str | None
    newer_events: str | None


def page_links(history: TicketHistory) -> PageLinks:
    assessments = history.assessments_page or whole(history.assessments)
    events = history.events_page or whole(history.events)
    path = f"/dashboard/tickets/{quote(history.ticket.ticket_id, safe='')}"

    def link(offset: int | None, events_offset: int | None) -> str | None:
        if offset is None or events_offset is None:
            return None
        asked = {k: v for k, v in (("offset", offset), ("events_offset", events_offset)) if v}
        return f"{path}?{urlencode(asked)}" if asked else path

    return PageLinks(
        older_assessments=link(assessments.next_offset, events.offset),
        newer_assessments=link(assessments.newer_offset, events.offset),
        older_events=link(assessments.offset, events.next_offset),
        newer_events=link(assessments.offset, events.newer_offset),
    )
