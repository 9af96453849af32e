"""The closed vocabularies of the ticket-history format (docs: data/README.md)."""

from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    WEB = "web"
    PHONE = "phone"
    CHAT = "chat"
    TWITTER = "twitter"
    FACEBOOK = "facebook"

    @property
    def is_social(self) -> bool:
        # Public complaints are seen by other customers: support teams give them short SLAs.
        return self in (Channel.TWITTER, Channel.FACEBOOK)


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class TicketStatus(StrEnum):
    """Zendesk-style statuses. A reopen is a change to `open` after `solved` (or `closed`). `withdrawn` is
    neither open nor solved: the ticket left the queue unworked (merged into another, deleted, spam)."""

    NEW = "new"
    OPEN = "open"
    PENDING = "pending"  # waiting on the customer: SLA clocks may pause
    ON_HOLD = "on_hold"  # waiting on a third party
    SOLVED = "solved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # merged into another ticket, deleted or spam: no solve; its clocks end unjudged


# the statuses in which a ticket is worked on: SLA clocks, the sweeper and the early-warning list see these
OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.ON_HOLD)
# the statuses that end a ticket by solving it: a resolution in the SLA clocks, the features and every KPI
SOLVED_STATUSES = (TicketStatus.SOLVED, TicketStatus.CLOSED)


def status_after(current: TicketStatus, new: TicketStatus) -> TicketStatus:
    """The status a change to `new` leaves: `new`, except that a withdrawn ticket solved or closed stays
    withdrawn. Zendesk closes the ticket it merges, in the same action as its `merged` event and in no fixed
    order; only a change to a working status (Zendesk's undelete) brings a withdrawn ticket back."""
    if current is TicketStatus.WITHDRAWN and new in SOLVED_STATUSES:
        return current
    return new


class Band(StrEnum):
    """An assessment's band, lowest first: the higher of the model's early warning and the SLA state's own
    urgency (serving/assess/decide.py)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _BAND_RANK[self]


_BAND_RANK = {b: i for i, b in enumerate(Band)}


class AuthorRole(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    MANAGER = "manager"
    BOT = "bot"  # auto-replies and chatbots: never fulfil a response target
    SYSTEM = "system"  # helpdesk automations, SLA engine


class EventType(StrEnum):
    CUSTOMER_MESSAGE = "customer_message"
    AGENT_REPLY = "agent_reply"  # public reply; by a bot it is an auto-reply
    INTERNAL_NOTE = "internal_note"
    STATUS_CHANGE = "status_change"
    PRIORITY_CHANGE = "priority_change"
    REASSIGNMENT = "reassignment"
    ESCALATION = "escalation"
    CSAT_RATING = "csat_rating"


class EscalationType(StrEnum):
    FUNCTIONAL = "functional"  # to the team with the expertise
    HIERARCHICAL = "hierarchical"  # to authority (manager, director)
    AUTOMATIC = "automatic"  # fired by the SLA engine on a breach


MAX_ESCALATION_LEVEL = 4
CSAT_RANGE = (1, 5)

# Which optional event fields each event type must carry. The one table both the pydantic model
# (serving) and the pandas validator (files) read, so the two can never disagree.
REQUIRED_EVENT_FIELDS: dict[EventType, tuple[str, ...]] = {
    EventType.CUSTOMER_MESSAGE: ("body",),
    EventType.AGENT_REPLY: ("body",),
    EventType.INTERNAL_NOTE: ("body",),
    EventType.STATUS_CHANGE: ("status",),
    EventType.PRIORITY_CHANGE: ("priority",),
    EventType.REASSIGNMENT: (),  # needs assignee *or* team: see ONE_OF_EVENT_FIELDS
    EventType.ESCALATION: ("level", "escalation_type"),
    EventType.CSAT_RATING: ("csat",),
}
ONE_OF_EVENT_FIELDS: dict[EventType, tuple[str, ...]] = {
    EventType.REASSIGNMENT: ("assignee", "team"),
}
