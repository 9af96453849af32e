"""`ListedTicket`: one open ticket as the early-warning query lists it — the ticket's stored state, its latest
assessment as stored, and the snooze that holds now; `ListedPage`: a page of them with the query's counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from serving.store.snoozes import Snooze
from serving.store.tables import TicketRow


@dataclass(frozen=True, slots=True)
class ListedTicket:
    ticket_id: str
    risk: float | None
    band: str | None  # None: stored before bands were kept, until its next assessment
    status: str
    team: str
    channel: str
    priority: str
    assignee: str | None
    customer_tier: str | None
    breached: bool
    escalation_level: int
    sla_due_at: datetime | None  # the soonest running SLA deadline, kept current by `record`
    # the latest assessment's JSON as stored (a TicketAssessment's); the service reads it into its typed item
    assessment: Mapping[str, Any]
    snooze: Snooze | None  # None: no snooze holds now


@dataclass(frozen=True, slots=True)
class ListedPage:
    total: int  # open tickets the query's filters select
    snoozed: int  # of them, those whose snooze holds now (listed after the others)
    items: list[ListedTicket]  # the query's page, in its order


def listed_ticket(row: TicketRow, assessment: Mapping[str, Any], snooze: Snooze | None) -> ListedTicket:
    tier = row.fields.get("customer_tier")
    return ListedTicket(
        ticket_id=row.ticket_id,
        risk=row.risk,
        band=row.band,
        status=row.status,
        team=row.team,
        channel=row.channel,
        priority=row.priority,
        assignee=row.assignee,
        customer_tier=str(tier) if tier is not None else None,
        breached=row.breached,
        escalation_level=row.escalation_level,
        sla_due_at=row.sla_due_at,
        assessment=assessment,
        snooze=snooze,
    )
