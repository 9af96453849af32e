"""Freshdesk's formats in the project's terms (docs/helpdesks/freshdesk.md): the JSON an automation rule's
"Trigger webhook" sends with the documented template (`freshdesk_webhook`, the shape of Freshdesk's "simple"
content), and a history export of the API's tickets and conversations."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from core.enums import AuthorRole, Channel, EventType, Priority, TicketStatus
from core.settings import HelpdeskWebhook
from core.tickets import Event, Ticket
from helpdesks.common import (
    Mapped,
    Vendor,
    build_event,
    build_ticket,
    event_id,
    extras,
    hashed_event_id,
    is_own_note,
    lookup,
    message_text,
    team_of,
    ticket_id,
    vendor_name,
)
from helpdesks.exports import Imported, Record, by_ticket, of_kind, orphans
from helpdesks.payload import Node

# Freshdesk names (the placeholders' words) and numbers (the API's) of its built-in values
STATUSES = {"open": TicketStatus.OPEN, "2": TicketStatus.OPEN, "pending": TicketStatus.PENDING,
            "3": TicketStatus.PENDING, "resolved": TicketStatus.SOLVED, "4": TicketStatus.SOLVED,
            "closed": TicketStatus.CLOSED, "5": TicketStatus.CLOSED,
            "waiting on customer": TicketStatus.PENDING, "6": TicketStatus.PENDING,
            "waiting on third party": TicketStatus.ON_HOLD, "7": TicketStatus.ON_HOLD}
PRIORITIES = {"low": Priority.LOW, "1": Priority.LOW, "medium": Priority.NORMAL, "2": Priority.NORMAL,
              "high": Priority.HIGH, "3": Priority.HIGH, "urgent": Priority.URGENT, "4": Priority.URGENT}
CHANNELS = {"email": Channel.EMAIL, "1": Channel.EMAIL, "portal": Channel.WEB, "2": Channel.WEB,
            "phone": Channel.PHONE, "3": Channel.PHONE, "forum": Channel.WEB, "4": Channel.WEB,
            "twitter": Channel.TWITTER, "5": Channel.TWITTER, "facebook": Channel.FACEBOOK,
            "6": Channel.FACEBOOK, "chat": Channel.CHAT, "7": Channel.CHAT, "mobihelp": Channel.CHAT,
            "8": Channel.CHAT, "feedback widget": Channel.WEB, "9": Channel.WEB,
            "outbound email": Channel.EMAIL, "10": Channel.EMAIL, "ecommerce": Channel.WEB, "11": Channel.WEB,
            "bot": Channel.CHAT, "12": Channel.CHAT, "whatsapp": Channel.CHAT, "13": Channel.CHAT}
# the ticket's SLA fields stay behind: the helpdesk's own SLA policies are not imported (and is_escalated
# would hand the model its answer)
# (and, as later facts, the update time and statistics: a ticket is as known at creation)
MAPPED = {"id", "subject", "description", "description_text", "status", "priority", "source", "requester_id",
          "responder_id", "group_id", "created_at", "updated_at", "due_by", "fr_due_by", "nr_due_by",
          "is_escalated", "fr_escalated", "nr_escalated", "sla_policy_id", "custom_fields", "attachments",
          "stats", "spam", "deleted"}
HOOK_MAPPED = {f"ticket_{f}" for f in (
    "id", "subject", "description", "status", "priority", "source", "group_name", "agent_email", "agent_name",
    "requester_email", "created_at", "updated_at", "latest_public_comment", "latest_private_comment",
    "due_by_time", "due_by_hrs", "fr_due_by_time")} | {"triggered_event"}
# the sources of a ticket an agent starts: its description is the agent's message to the customer
OUTBOUND = {"outbound email", "10"}
SETTINGS = "ESCALATION_HELPDESKS__FRESHDESK__"
UNDATED = ("it dates the reply, note or change (the creation time would date it when the ticket was "
           "created); put the rule's update time placeholder in the template: docs/helpdesks/freshdesk.md")
_TRIGGER = re.compile(r"^\{\s*([A-Za-z_ ]+?)\s*:\s*(.*?)\s*\}$", re.S)
CUSTOMER_REPLY = {"customer_reply", "reply_received", "requester_reply", "customer_replied"}
AGENT_REPLY = {"reply_sent", "agent_reply", "agent_replied"}
NOTE = {"note_type", "note_added", "note"}
REASSIGNED = {"responder_id", "agent", "agent_id", "group_id", "group"}
# what a `{ticket_action:…}` names besides `created` (a rule on "Ticket is deleted / marked as spam" sends it
# as a creation rule does): a deleted or spam ticket is withdrawn, as in an export; restored, it takes its
# status again. Another action is taken as `created`: the description, stored once whenever it comes
WITHDRAWN_ACTIONS = {"deleted", "spam", "marked_as_spam", "marked_spam"}
RESTORED_ACTIONS = {"restored", "undeleted", "unspam", "not_spam", "restored_from_spam"}


def webhook(payload: Any, config: HelpdeskWebhook, body_max: int) -> Mapped:
    """One automation-rule webhook: `triggered_event` tells what happened ({ticket_action:created},
    {status:{from:Open,to:Pending}}, {reply_sent:sent}, {note_type:private} …); the ticket's fields say what
    it is now. A trigger we do not map carries the ticket only."""
    hook = Node(payload)["freshdesk_webhook"].required(
        "send the documented template as the rule's Advanced content: docs/helpdesks/freshdesk.md")
    ticket = _ticket(hook, config, webhook_fields=True)
    tid = ticket.ticket_id
    updated = hook["ticket_updated_at"]
    stamp = updated if not updated.missing else hook["ticket_created_at"]
    at = max(stamp.instant(), ticket.created_at)
    trigger, action = _trigger(hook["triggered_event"])
    base: dict[str, Any] = {"ticket_id": tid, "at": at, "author_role": AuthorRole.AGENT}
    made: dict[str, Any] | None = None
    written: str | None = None  # a comment as Freshdesk sent it, before our clipping and plain-text mapping
    paths = {"at": stamp.path}
    # a rule under "Ticket creation" has no triggered event: what it sends is a new ticket; a blank
    # description is one with no text (an attachment or a screenshot only: the template sends no attachments)
    if trigger == "ticket_action" and action in WITHDRAWN_ACTIONS:
        made = {"type": EventType.STATUS_CHANGE, "status": TicketStatus.WITHDRAWN}
    elif trigger == "ticket_action" and action in RESTORED_ACTIONS:
        made = {"type": EventType.STATUS_CHANGE, "status": _status(hook["ticket_status"], config)}
    elif trigger in ("ticket_action", "") and isinstance(hook["ticket_description"].value, str):
        made = {**_description(hook["ticket_source"], ticket, ticket.assignee),
                "at": ticket.created_at, "body": _body(hook["ticket_description"], body_max),
                "event_id": event_id(tid, "description", "0")}
        paths["body"] = hook["ticket_description"].path
    elif trigger == "status":
        made = {"type": EventType.STATUS_CHANGE, "status": _status(hook["ticket_status"], config)}
    elif trigger == "priority":
        made = {"type": EventType.PRIORITY_CHANGE, "priority": ticket.priority}
    elif trigger in REASSIGNED:
        made = {"type": EventType.REASSIGNMENT, "team": ticket.team, "assignee": ticket.assignee or ""}
    elif trigger in CUSTOMER_REPLY | AGENT_REPLY | NOTE:
        private = trigger in NOTE and "private" in str(hook["triggered_event"].value).lower()
        source = hook["ticket_latest_private_comment" if private else "ticket_latest_public_comment"]
        if is_own_note(private, source.value):
            return Mapped(tid, ticket, ignored="the note is write-back's own")
        kind = EventType.INTERNAL_NOTE if private else (
            EventType.CUSTOMER_MESSAGE if trigger in CUSTOMER_REPLY else EventType.AGENT_REPLY)
        customer = kind is EventType.CUSTOMER_MESSAGE
        written = "" if isinstance(source.value, str) and not source.value.strip() else source.text()
        made = {"type": kind, "body": _body(source, body_max),
                "author_role": AuthorRole.CUSTOMER if customer else AuthorRole.AGENT}
        paths["body"] = source.path
    if made is None:
        return Mapped(tid, ticket, ignored=f"triggered event {vendor_name(trigger) if trigger else 'none'} "
                      "maps to no event")
    if "event_id" not in made:  # Freshdesk's webhook names no comment or change: the identifying fields do
        # and the update's time dates it: the creation time would put a reply days later at the creation
        updated.required(UNDATED)
        # a comment by its text as sent, not as mapped: a retry mapped by a later release (or with another
        # `max_text_chars`) must get the same id, or the comment would be stored twice
        made["event_id"] = hashed_event_id(tid, str(made["type"].value), at.isoformat(),
                                           written if written is not None else str(
                                               made.get("status") or made.get("priority")
                                               or f"{made.get('team')}/{made.get('assignee')}"))
    return Mapped(tid, ticket, [build_event(base | made, paths)])


def history(records: Sequence[Record], config: HelpdeskWebhook, body_max: int) -> Imported:
    """Tickets (GET /api/v2/tickets) and their conversations (GET /api/v2/tickets/{id}/conversations): the
    description is the first customer message, then each conversation; Freshdesk keeps no status history, so
    a ticket no longer open gets one status change at its `updated_at` (`withdrawn` when spam or deleted)."""
    out = Imported()
    conversations = by_ticket(of_kind(records, "conversations"), "ticket_id", out)
    known: set[str] = set()
    for record in of_kind(records, "tickets"):
        ticket = out.attempt(record, partial(_ticket, record.node, config, webhook_fields=False))
        if ticket is None:
            continue
        vendor_id = str(record.node["id"].value)
        known.add(vendor_id)
        out.tickets.append(ticket)
        made = out.attempt(record, partial(_exported_events, record.node, ticket, config, body_max))
        out.events.extend(made or [])
        for conversation in conversations.get(vendor_id, []):
            event = out.attempt(conversation, partial(_conversation, conversation.node, ticket, body_max))
            if event is not None:
                out.events.append(event)
    orphans(conversations, known, "ticket_id", out)
    return out


def _ticket(node: Node, config: HelpdeskWebhook, *, webhook_fields: bool) -> Ticket:
    """The ticket from the webhook template's `ticket_*` fields or from an API ticket."""
    name = (lambda f: f"ticket_{f}") if webhook_fields else (lambda f: f)
    customer = node[name("requester_email")] if webhook_fields else node["requester_id"]
    group = node[name("group_name")] if webhook_fields else node["group_id"]
    agent = node["responder_id"]
    if webhook_fields:
        email = node["ticket_agent_email"]
        agent = email if not email.missing else node["ticket_agent_name"]
    values = {
        "ticket_id": ticket_id(Vendor.FRESHDESK, node[name("id")].ticket_number()),
        "created_at": node[name("created_at")].instant(),
        "channel": lookup(node[name("source")], CHANNELS, config.channels, "Freshdesk source",
                          SETTINGS + "CHANNELS"),
        "priority": _priority(node[name("priority")]),
        "customer_id": customer.text(),
        "customer_tier": config.customer_tier, "product": config.product, "category": config.category,
        "team": team_of(group.optional_text(), config),
        "language": config.language,
        "subject": node[name("subject")].optional_text() or "",
        "assignee": agent.optional_text(),
    }
    paths = {"ticket_id": node[name("id")].path, "customer_id": customer.path, "team": group.path,
             "assignee": agent.path, "created_at": node[name("created_at")].path}
    kept = extras(node.value, HOOK_MAPPED if webhook_fields else MAPPED)
    return build_ticket(values, paths, kept)


def _exported_events(node: Node, ticket: Ticket, config: HelpdeskWebhook, body_max: int) -> list[Event]:
    tid, made = ticket.ticket_id, []
    text = node["description_text"] if not node["description_text"].missing else node["description"]
    files = node["attachments"]  # the description's
    if not text.missing or (isinstance(files.value, list) and files.value):
        made.append(build_event({
            "event_id": event_id(tid, "description", "0"), "ticket_id": tid, "at": ticket.created_at,
            **_description(node["source"], ticket, node["responder_id"].optional_text()),
            "body": _body(text, body_max, files)}, {"body": text.path}))
    # a ticket marked as spam or deleted keeps its status beside the flag: never solved, whatever that says
    withdrawn = node["spam"].flag() or node["deleted"].flag()
    status = TicketStatus.WITHDRAWN if withdrawn else _status(node["status"], config)
    if status is not TicketStatus.OPEN:
        at = max(node["updated_at"].instant(), ticket.created_at)
        made.append(build_event({
            "event_id": event_id(tid, "status", at.isoformat()), "ticket_id": tid, "at": at,
            "type": EventType.STATUS_CHANGE, "author_role": AuthorRole.AGENT, "status": status},
            {"at": node["updated_at"].path}))
    return made


def _conversation(node: Node, ticket: Ticket, body_max: int) -> Event | None:
    """The conversation's event; None for write-back's own note."""
    incoming, private = node["incoming"].flag(), node["private"].flag()
    if is_own_note(private, node["body"].value) or is_own_note(private, node["body_text"].value):
        return None
    kind = EventType.INTERNAL_NOTE if private else (
        EventType.CUSTOMER_MESSAGE if incoming else EventType.AGENT_REPLY)
    text = node["body_text"] if not node["body_text"].missing else node["body"]
    return build_event({
        "event_id": event_id(ticket.ticket_id, "conversation", node["id"].ident()),
        "ticket_id": ticket.ticket_id, "at": max(node["created_at"].instant(), ticket.created_at),
        "type": kind, "author_role": AuthorRole.CUSTOMER if incoming else AuthorRole.AGENT,
        "author_id": node["user_id"].optional_text(), "body": _body(text, body_max, node["attachments"]),
    }, {"body": text.path, "author_id": node["user_id"].path})


def _description(source: Node, ticket: Ticket, agent: str | None) -> dict[str, Any]:
    """Who wrote the ticket's description: the customer, or for an outbound e-mail the agent who sent it."""
    if str(source.value).strip().lower() in OUTBOUND:
        return {"type": EventType.AGENT_REPLY, "author_role": AuthorRole.AGENT, "author_id": agent}
    return {"type": EventType.CUSTOMER_MESSAGE, "author_role": AuthorRole.CUSTOMER,
            "author_id": ticket.customer_id}


def _trigger(node: Node) -> tuple[str, str]:
    """'{status:{from:Open,to:Pending}}' -> ('status', '{from:open,to:pending}'), '{ticket_action:Marked as
    spam}' -> ('ticket_action', 'marked_as_spam'); a bare word is taken as it is, with no value."""
    text = node.optional_text() or ""
    found = _TRIGGER.match(text)
    key, value = (found.group(1), found.group(2)) if found else (text, "")
    return _word(key), _word(value)


def _word(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def _body(node: Node, body_max: int, attachments: Node | None = None) -> str:
    return message_text(node, body_max, attachments=attachments)


def _status(node: Node, config: HelpdeskWebhook) -> TicketStatus:
    found: TicketStatus = lookup(node, STATUSES, config.statuses, "Freshdesk status", SETTINGS + "STATUSES")
    return found


def _priority(node: Node) -> Priority:
    if node.missing:
        return Priority.NORMAL
    found: Priority = lookup(node, PRIORITIES, {}, "Freshdesk priority")
    return found
