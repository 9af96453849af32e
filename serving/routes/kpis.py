"""GET /v1/kpis (manager): escalation rate, first-contact resolution, SLA compliance, escalations by type and
by root cause, by period and team."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from core.bounds import Name
from core.tickets import Instant
from serving.deps import Manager, ServiceDep
from serving.kpis import kpi_report
from serving.kpis.compute import Period
from serving.routes.tickets import ERRORS

router = APIRouter(prefix="/v1", tags=["managers"])


class KpiFigures(BaseModel):
    tickets: int = Field(description="tickets created in the range, the withdrawn ones left out")
    escalated: int
    escalation_rate: float | None = Field(description="escalated / tickets; null when there are no tickets")
    solved: int
    first_contact_resolved: int
    first_contact_resolution_rate: float | None = Field(description="first_contact_resolved / solved")
    sla_targets_judged: int
    sla_targets_met: int
    sla_compliance: float | None = Field(description="sla_targets_met / sla_targets_judged")
    escalations_by_type: dict[str, int] = Field(
        description="escalated tickets with an escalation of each type (a ticket can count under two)",
        examples=[{"functional": 3, "hierarchical": 5, "automatic": 2}],
    )
    root_causes: dict[str, int] = Field(
        description="escalated tickets by their current root cause, most frequent first",
        examples=[{"missing_knowledge": 4, "agent_workload": 2}],
    )
    root_cause_owners: dict[str, int] = Field(description="escalated tickets by the team that owns the fix")
    root_cause_unrecorded: int = Field(description="escalated tickets without a recorded root cause yet")
    withdrawn: int = Field(
        description="tickets withdrawn now (merged into another ticket, deleted, spam): in no other figure"
    )


class KpiRow(KpiFigures):
    period_start: str = Field(examples=["2026-05-04"])
    team: str


class KpisOut(BaseModel):
    period: Period
    from_: str | None = Field(alias="from")
    to: str | None
    team: str | None
    totals: KpiFigures
    rows: list[KpiRow]


@router.get("/kpis", response_model=KpisOut, responses=ERRORS)
async def kpis(
    service: ServiceDep,
    caller: Manager,
    period: Period = "week",
    # the instants a ticket can be created at (1970 to 2099): year 1 or 9999 off UTC was a 500 in the query
    start: Annotated[Instant | None, Query(alias="from", description="created at or after")] = None,
    end: Annotated[Instant | None, Query(alias="to", description="tickets created before")] = None,
    team: Annotated[Name | None, Query()] = None,
) -> dict[str, Any]:
    """Figures for the tickets created in [from, to): totals and one row per period and team (docs/api.md)."""
    return await run_in_threadpool(
        lambda: kpi_report(service.store.db, period=period, start=start, end=end, team=team))
