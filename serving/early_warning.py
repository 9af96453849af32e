"""The managers' early-warning list, typed: `EarlyWarningItem` (one open ticket with its step in the order of
work, its latest assessment's reasons and next step, and its snooze) and `EarlyWarningPage`. The service
builds them from the store's `ListedTicket` rows; the API answers them as they are and the board and its CSV
put them in words."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.assessment import Iso, Reason, RecommendedAction, SignalOut, TargetOut
from core.enums import Band, Channel, Priority, TicketStatus
from serving.store import ListedTicket, OpenTicketsQuery
from serving.store.work_order import work_step

StepName = Literal["act_now", "about_to_breach", "high_risk", "watch"]


class EarlyWarningItem(BaseModel):
    """One open ticket of the list."""

    model_config = ConfigDict(frozen=True)

    ticket_id: str = Field(description="the ticket's id")
    risk: float | None = Field(description="calibrated escalation risk 0..1; null: rules-only (no model)")
    band: Band | None = Field(
        description="the higher of model_band and sla_band; null: a ticket stored before bands were kept, "
        "until its next assessment"
    )
    model_band: Band | None = Field(description="the model's early warning; null: rules-only")
    sla_band: Band | None = Field(description="the SLA state's own urgency")
    status: TicketStatus = Field(description="the ticket's status as its latest assessment left it")
    team: str = Field(description="the team the ticket is with")
    channel: Channel = Field(description="the channel the customer wrote through")
    priority: Priority = Field(description="the ticket's priority as its latest assessment left it")
    assignee: str | None = Field(description="the agent the ticket is assigned to; null: unassigned")
    customer_tier: str | None = Field(description="the customer's tier as sent with the ticket")
    breached: bool = Field(description="an SLA target of the ticket is breached")
    escalation_level: int = Field(description="the SLA policy's escalation level reached (0: none)")
    next_due_at: Iso | None = Field(description="the next instant a reminder or escalation becomes due")
    sla_due_at: Iso | None = Field(description="the soonest running SLA deadline; null: none running")
    targets: list[TargetOut] = Field(description="the SLA targets and their state")
    recommended_action: RecommendedAction = Field(description="the next step, in words and as an action")
    reasons: list[Reason] = Field(description="the model's top contributions to the risk")
    signals: list[SignalOut] = Field(description="conflict signals found in the messages, with the words")
    assessed_at: Iso = Field(description="the instant of the latest assessment")
    model_version: str | None = Field(description="the model version that made it; null: rules-only")
    work_step: int | None = Field(
        ge=1, le=4, description="the step in the order of work: 1 act now, 2 about to breach, 3 high risk, "
        "4 watch; null: the list was read without an instant"
    )
    work_step_name: StepName | None = Field(description="`work_step` in words")
    snoozed_until: Iso | None = Field(description="when the snooze ends; null: not snoozed")
    snoozed_by: str | None = Field(description="the manager who snoozed the warning; null: not snoozed")


class EarlyWarningPage(BaseModel):
    """One page of the list: the tickets the filters select, in the query's order, snoozed ones last."""

    model_config = ConfigDict(frozen=True)

    total: int = Field(description="how many open tickets the filters select")
    snoozed: int = Field(description="how many of the `total` are snoozed (they come last)")
    limit: int = Field(description="the page size asked for")
    offset: int = Field(description="how many tickets come before this page")
    items: list[EarlyWarningItem]


def early_warning_item(t: ListedTicket, query: OpenTicketsQuery) -> EarlyWarningItem:
    """The listed ticket as the list shows it; its step needs the query's instant (none without one)."""
    a = t.assessment
    sla = a["sla"]
    step = work_step(
        breached=t.breached, escalation_level=t.escalation_level, sla_due_at=_aware(t.sla_due_at),
        band=t.band, now=query.now, due_soon=query.due_soon,
    ) if query.now is not None else None
    return EarlyWarningItem(
        ticket_id=t.ticket_id,
        risk=t.risk,
        band=Band(t.band) if t.band is not None else None,
        # the band is the higher of these two: the model's early warning and the SLA state's own urgency
        model_band=a.get("model_band"),
        sla_band=a.get("sla_band"),
        status=TicketStatus(t.status),
        team=t.team,
        channel=Channel(t.channel),
        priority=Priority(t.priority),
        assignee=t.assignee,
        customer_tier=t.customer_tier,
        breached=t.breached,
        escalation_level=sla["escalation_level"],
        next_due_at=sla["next_due_at"],
        sla_due_at=t.sla_due_at,
        targets=[TargetOut.model_validate(x) for x in sla["targets"]],
        recommended_action=RecommendedAction.model_validate(a["recommended_action"]),
        reasons=[Reason.model_validate(r) for r in a["reasons"]],
        signals=[SignalOut.model_validate(s) for s in a["signals"]],
        assessed_at=a["assessed_at"],
        model_version=a["model_version"],
        work_step=int(step) if step is not None else None,
        work_step_name=step.name.lower() if step is not None else None,  # type: ignore[arg-type]
        snoozed_until=t.snooze.until if t.snooze else None,
        snoozed_by=t.snooze.who if t.snooze else None,
    )


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at
