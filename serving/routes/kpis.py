"""GET /v1/kpis (manager): escalation rate, first-contact resolution, SLA compliance, escalations by type and
by root cause, by period and team."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from core.bounds import Name
from core.settings.section import TimeZoneName
from core.tickets import Instant
from serving.deps import Manager, ServiceDep
from serving.kpis import KpiReport, Period, kpi_report
from serving.routes.tickets import ERRORS

router = APIRouter(prefix="/v1", tags=["managers"])


@router.get("/kpis", response_model=KpiReport, responses=ERRORS)
async def kpis(
    service: ServiceDep,
    caller: Manager,
    period: Period = "week",
    # the instants a ticket can be created at (1970 to 2099): year 1 or 9999 off UTC was a 500 in the query
    start: Annotated[Instant | None, Query(alias="from", description="created at or after")] = None,
    end: Annotated[Instant | None, Query(alias="to", description="tickets created before")] = None,
    team: Annotated[Name | None, Query()] = None,
    # a manager's months: 00:30 on 1 Nov in Berlin is November's there and October's in UTC
    time_zone: Annotated[TimeZoneName, Query(description="IANA zone of the periods' days")] = "UTC",
) -> KpiReport:
    """Figures for the tickets created in [from, to): totals and one row per period (days, weeks, months in
    `time_zone`) and team (docs/api.md)."""
    return await run_in_threadpool(
        lambda: kpi_report(service.store.db, period=period, start=start, end=end, team=team, zone=time_zone))
