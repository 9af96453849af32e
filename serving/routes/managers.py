"""Managers' reads and feedback: GET /v1/early-warning, POST /v1/feedback."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from core.bounds import BIGINT_END, Name, text_bound
from core.enums import Band, Channel, Priority
from serving.deps import Manager, ServiceDep, SettingsDep
from serving.early_warning import EarlyWarningPage
from serving.routes.tickets import ERRORS
from serving.schemas import FeedbackOut, FeedbackRequest
from serving.store import OpenTicketsQuery, Sort
from serving.store.paging import page_size

router = APIRouter(prefix="/v1", tags=["managers"])
# no NUL: PostgreSQL refuses it in a LIKE's pattern (a 500), and SQLite ends the pattern there (every ticket)
SearchText = Annotated[str, text_bound(200)]


@router.get("/early-warning", response_model=EarlyWarningPage, responses=ERRORS)
async def early_warning(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    caller: Manager,
    team: Annotated[Name | None, Query()] = None,
    channel: Channel | None = None,
    priority: Priority | None = None,
    min_risk: Annotated[float | None, Query(ge=0, le=1)] = None,
    breached_only: bool = False,
    band: Band | None = None,
    search: Annotated[
        SearchText | None,
        Query(description="a text in the ticket id, the customer id or the subject "
              "(case-insensitive; message bodies are not searched)"),
    ] = None,
    sort: Annotated[
        Sort,
        Query(description="work: the order of work — act now (SLA breached or escalating), about to breach "
              "(a deadline within serving.due_soon_minutes), high predicted risk, the rest by risk; "
              "risk: band, then risk, then next due action; due: soonest SLA deadline first; "
              "level: highest escalation level first; ticket: by id"),
    ] = Sort.WORK,
    limit: Annotated[int, Query(ge=1, lt=BIGINT_END, description="at most serving.max_page_size")] = 50,
    offset: Annotated[int, Query(ge=0, lt=BIGINT_END)] = 0,
) -> EarlyWarningPage:
    """Open tickets in the order of work (or another `sort`), with each one's step, reasons and next step.
    A snoozed ticket comes after all others, with `snoozed_until` and `snoozed_by` (null when not snoozed)."""
    limit = page_size("limit", limit, settings.serving.max_page_size)
    query = OpenTicketsQuery(
        team=team,
        channel=channel.value if channel else None,
        priority=priority.value if priority else None,
        band=band,
        min_risk=min_risk,
        breached_only=breached_only,
        sort=sort,
        limit=limit,
        offset=offset,
        now=request.app.state.clock(),  # the app's clock, as the board's (create_app)
        due_soon=timedelta(minutes=settings.serving.due_soon_minutes),
        search=search.strip() or None if search else None,
    )
    return await run_in_threadpool(service.early_warning, query)


@router.post("/feedback", response_model=FeedbackOut, status_code=201, responses=ERRORS)
async def feedback(request: FeedbackRequest, service: ServiceDep, caller: Manager) -> FeedbackOut:
    """Mark an alert (or an assessment) as useful or a false alarm; stored for retraining."""
    feedback_id = await run_in_threadpool(
        service.feedback,
        request.ticket_id,
        request.alert_id,
        request.assessment_id,
        request.verdict,
        request.comment,
        caller.name,
    )
    return FeedbackOut(feedback_id=feedback_id)
