"""The KPI figures, typed once: what `compute_kpis` returns, GET /v1/kpis answers (these models are its
schema) and the KPI page draws. A report is its scope, totals and one row per (period, team)."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

Period = Literal["day", "week", "month"]
PERIODS: tuple[Period, ...] = ("day", "week", "month")


class TargetFigures(BaseModel):
    """SLA compliance of one target (first response, next response, resolution)."""

    model_config = ConfigDict(frozen=True)

    judged: int = Field(description="cycles of this target with a verdict")
    met: int
    compliance: float | None = Field(description="met / judged; null when none was judged")


class KpiFigures(BaseModel):
    """The figures of a group of tickets; the rates are derived from the counts (compute.with_rates)."""

    model_config = ConfigDict(frozen=True)

    tickets: int = Field(description="tickets created in the range, the withdrawn ones left out")
    escalated: int
    escalation_rate: float | None = Field(description="escalated / tickets; null when there are no tickets")
    solved: int
    first_contact_resolved: int
    first_contact_resolution_rate: float | None = Field(description="first_contact_resolved / solved")
    reopened: int = Field(description="solved tickets reopened after their first solve")
    reopen_rate: float | None = Field(description="reopened / solved")
    sla_targets_judged: int
    sla_targets_met: int
    sla_compliance: float | None = Field(description="sla_targets_met / sla_targets_judged")
    sla_by_target: dict[str, TargetFigures] = Field(
        description="sla_compliance of each target, its cycles adding up to sla_targets_judged and _met"
    )
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
    """The figures of one team's tickets created in one period (its fields after the figures' in JSON)."""

    period_start: str = Field(examples=["2026-05-04"])
    team: str


class KpiReport(BaseModel):
    """The figures for the tickets created in [from, to) (of one team, or all): totals and the rows, ordered
    by period then team."""

    model_config = ConfigDict(frozen=True)

    period: Period
    # "from" in JSON, both ways; `from_` in Python, where `from` is a keyword
    from_: str | None = Field(validation_alias=AliasChoices("from", "from_"), serialization_alias="from")
    to: str | None
    team: str | None
    time_zone: str = Field(description="the IANA zone whose days, weeks and months the periods are")
    totals: KpiFigures
    rows: list[KpiRow]
