"""Ingest and scoring: POST /v1/tickets/{id}/events, POST /v1/score, GET /v1/tickets/{id}."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from core.assessment import Ingested, TicketAssessment
from core.bounds import BIGINT_END, Id
from serving.deps import ClockDep, Integration, Manager, ServiceDep, SettingsDep
from serving.schemas import (
    ErrorOut,
    EventsRequest,
    PageOut,
    PastSnoozeOut,
    RootCauseOut,
    RootCauseRequest,
    RootCausesOut,
    ScoreRequest,
    SnoozeHistoryOut,
    SnoozeOut,
    SnoozeRequest,
    TicketHistoryOut,
    UnsnoozeOut,
)

router = APIRouter(prefix="/v1", tags=["tickets"])
ERRORS: dict[int | str, dict[str, Any]] = {c: {"model": ErrorOut} for c in (401, 403, 404, 409, 413, 422)}
TicketId = Annotated[Id, Path(examples=["T-1"])]
# the page of a ticket's alerts, root causes or snoozes: its size (at most, and by default,
# serving.max_page_size) and the latest to skip
PageLimit = Annotated[int | None, Query(ge=1, lt=BIGINT_END, description="items on the page; at most (and by "
                                        "default) serving.max_page_size")]
Skip = Annotated[int, Query(ge=0, lt=BIGINT_END, description="latest items to skip")]


@router.post("/tickets/{ticket_id}/events", response_model=Ingested, responses=ERRORS)
async def post_events(
    ticket_id: TicketId, request: EventsRequest, service: ServiceDep, caller: Integration
) -> Ingested:
    """Append one or more events (the first request creates the ticket from `ticket`); returns the ticket's
    assessment. An event id sent again with the same content is stored once."""
    ticket, events = request.to_domain(ticket_id)
    return await run_in_threadpool(service.ingest, ticket_id, ticket, events)


@router.post("/score", response_model=TicketAssessment, responses=ERRORS)
async def score(request: ScoreRequest, service: ServiceDep, caller: Integration) -> TicketAssessment:
    """Stateless scoring of a ticket supplied whole; nothing is stored."""
    return await run_in_threadpool(service.score, request.ticket, request.to_domain(), request.at)


@router.get("/tickets/{ticket_id}", response_model=TicketHistoryOut, responses=ERRORS)
async def get_ticket(
    ticket_id: TicketId,
    service: ServiceDep,
    caller: Manager,
    clock: ClockDep,
    limit: Annotated[
        int | None,
        Query(ge=1, lt=BIGINT_END, description="assessments on the page; at most (and by default) "
              "serving.max_page_size"),
    ] = None,
    offset: Annotated[int, Query(ge=0, lt=BIGINT_END, description="latest assessments to skip")] = 0,
    events_limit: Annotated[
        int | None,
        Query(ge=1, lt=BIGINT_END, description="events on the page; at most (and by default) "
              "serving.max_page_size"),
    ] = None,
    events_offset: Annotated[int, Query(ge=0, lt=BIGINT_END, description="latest events to skip")] = 0,
    alerts_limit: PageLimit = None,
    alerts_offset: Skip = 0,
    root_causes_limit: PageLimit = None,
    root_causes_offset: Skip = 0,
    snoozes_limit: PageLimit = None,
    snoozes_offset: Skip = 0,
) -> dict[str, Any]:
    """The ticket, a page of its events with their text analysis, a page of its assessments, and a page each
    of its alerts, root causes and snooze history: the `limit` (`events_limit`, `alerts_limit`, …) latest
    after skipping the `offset` (`events_offset`, `alerts_offset`, …) latest, in the order made (events in
    time order, snoozes latest first); each `…_page.next_offset` asks for the older ones (its snooze as in
    force by the app's clock, as the early-warning list reads it)."""
    history = await run_in_threadpool(
        partial(service.ticket_history, alerts_limit=alerts_limit, alerts_offset=alerts_offset,
                root_causes_limit=root_causes_limit, root_causes_offset=root_causes_offset,
                snoozes_limit=snoozes_limit, snoozes_offset=snoozes_offset),
        ticket_id, clock(), limit, offset, events_limit, events_offset,
    )
    return history.to_json()


@router.post(
    "/tickets/{ticket_id}/root-cause", response_model=RootCauseOut, status_code=201, responses=ERRORS
)
async def post_root_cause(
    ticket_id: TicketId, request: RootCauseRequest, service: ServiceDep, caller: Manager
) -> dict[str, Any]:
    """Record the root cause of the ticket's escalation and the team that owns the fix (409 when the ticket
    has not been escalated). Recording again corrects it: the latest counts in the KPIs."""
    recorded = await run_in_threadpool(
        service.root_cause, ticket_id, request.cause, request.owning_team, request.note, caller.name
    )
    return recorded.to_json()


@router.post("/tickets/{ticket_id}/snooze", response_model=SnoozeOut, status_code=201, responses=ERRORS)
async def post_snooze(
    ticket_id: TicketId, request: SnoozeRequest, service: ServiceDep, caller: Manager, clock: ClockDep
) -> dict[str, Any]:
    """Set the ticket's warning aside until `until`: it goes to the end of the early-warning list and comes
    back by itself when `until` passes or its situation gets worse (a new SLA breach, a higher escalation
    level or band than now). Snoozing again replaces the snooze."""
    now = clock()  # the app's clock, as the list's (create_app)
    snooze = await run_in_threadpool(service.snooze, ticket_id, request.until, caller.name, now)
    return snooze.to_json()


@router.delete("/tickets/{ticket_id}/snooze", response_model=UnsnoozeOut, responses=ERRORS)
async def delete_snooze(
    ticket_id: TicketId, service: ServiceDep, caller: Manager, clock: ClockDep
) -> dict[str, Any]:
    """Un-snooze: the ticket's warning is back in its place in the list at once (kept in its snooze history
    as un-snoozed by the caller)."""
    cleared = await run_in_threadpool(service.unsnooze, ticket_id, caller.name, clock())
    return {"ticket_id": ticket_id, "unsnoozed": cleared}


@router.get("/tickets/{ticket_id}/snoozes", response_model=SnoozeHistoryOut, responses=ERRORS)
async def snooze_history(
    ticket_id: TicketId, service: ServiceDep, caller: Manager, clock: ClockDep, limit: PageLimit = None,
    offset: Skip = 0,
) -> SnoozeHistoryOut:
    """A page of the snoozes of the ticket's warning (the `limit` latest after skipping the `offset` latest),
    latest first: who set it when and until when, and when, by whom and why it ended (`time_passed`,
    `new_breach`, `higher_level`, `higher_band`, `unsnoozed`, `replaced`; `ended_by` is null when it ended by
    itself); `page.next_offset` asks for the older ones."""
    history, page = await run_in_threadpool(service.snooze_history, ticket_id, clock(), limit, offset)
    return SnoozeHistoryOut(ticket_id=ticket_id, snoozes=[PastSnoozeOut(**p.to_json()) for p in history],
                            page=PageOut(**page.to_json()))


@router.get("/root-causes", response_model=RootCausesOut, responses=ERRORS)
async def root_causes(settings: SettingsDep, caller: Manager) -> dict[str, Any]:
    """The root causes a manager can record (settings: serving.root_causes)."""
    return {"causes": settings.serving.root_causes}
