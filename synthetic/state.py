"""The mutable state of one ticket while its story is simulated, and the shared context of a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.enums import AuthorRole, Channel, EventType, Priority
from synthetic.business_time import BusinessCalendar
from synthetic.compose import Composer, Said
from synthetic.dice import Dice
from synthetic.world import Agent, Customer, Team

MAX_ANGER = 3.99


@dataclass(slots=True)
class Context:
    dice: Dice
    composer: Composer
    calendars: dict[str, BusinessCalendar]  # per team
    teams: dict[str, Team]
    end: float  # the history stops here: later events are never written


@dataclass(slots=True)
class TicketState:
    ticket_id: str
    created: float
    customer: Customer
    channel: Channel
    category: str
    product: str
    priority: Priority
    team: str
    agent: Agent
    subject: str
    difficulty: float  # 0..1: how hard the fault is to fix; latent
    misrouted: bool  # routed to the wrong team first: a reassignment follows
    values: dict[str, str]  # placeholder values, fixed per ticket (order id, amount …)
    anger: float
    status: str = ""
    initial: dict[str, Any] = field(default_factory=dict)  # the ticket row as created
    events: list[dict[str, Any]] = field(default_factory=list)
    unread: list[Said] = field(default_factory=list)  # customer messages since the agent last acted
    agents_seen: list[Agent] = field(default_factory=list)
    last_agent_body: str = ""
    last_agent_at: float = 0.0
    first_reply_at: float | None = None
    waited_on_us: float = 0.0  # business seconds the ticket waited for Nimbus (resolution clock)
    agent_turns: int = 0
    asks: int = 0
    chasers: int = 0
    not_fixed: int = 0
    reopens: int = 0
    failed: bool = False  # the last proposed fix did not work
    repeat: bool = False  # the customer wrote about the same thing recently
    hier_level: int = 0
    func_level: int = 0
    auto_level: int = 0
    first_breach_checked: bool = False
    resolution_breached: bool = False
    sla_breached: bool = False
    hold_until: float = 0.0  # on hold (third party) until then
    managed: bool = False  # a manager took over after a hierarchical escalation
    solved_at: float | None = None
    csat: int | None = None

    @property
    def level(self) -> int:
        return int(self.anger)

    @property
    def escalated(self) -> bool:
        return bool(self.hier_level or self.func_level or self.auto_level)

    def calm(self, by: float) -> None:
        self.anger = min(MAX_ANGER, max(0.0, self.anger - by))

    def anger_up(self, by: float) -> None:
        self.calm(-by)

    def emit(
        self, at: float, type_: EventType, role: AuthorRole, author_id: str | None = None, **fields: Any
    ) -> None:
        self.events.append(
            {"at": at, "type": type_.value, "author_role": role.value, "author_id": author_id, **fields}
        )

    def say(self, at: float, said: Said) -> None:
        self.emit(
            at, EventType.CUSTOMER_MESSAGE, AuthorRole.CUSTOMER, self.customer.customer_id, body=said.body
        )
        self.unread.append(said)
