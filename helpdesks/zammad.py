"""Zammad's formats in the project's terms (docs/helpdesks/zammad.md): a trigger's webhook with the default
payload (`ticket` as it is now and the triggering `article`), and a history export of tickets, articles and
ticket history."""

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
    Snapshot,
    TicketState,
    Vendor,
    build_event,
    build_ticket,
    event_id,
    extras,
    is_own_note,
    lookup,
    message_text,
    team_of,
    ticket_id,
)
from helpdesks.exports import Imported, Record, by_ticket, of_kind, orphans
from helpdesks.payload import Node

STATUSES = {"new": TicketStatus.NEW, "open": TicketStatus.OPEN, "pending reminder": TicketStatus.PENDING,
            "pending close": TicketStatus.PENDING, "closed": TicketStatus.CLOSED,
            "merged": TicketStatus.WITHDRAWN, "removed": TicketStatus.WITHDRAWN}
# a merged duplicate (its messages live on in the ticket it went into) or a removed ticket was never solved:
# the import leaves it out and counts it, as Zendesk's deleted tickets; a webhook withdraws it (as above)
LEFT_OUT = {"merged": "merged tickets", "removed": "removed tickets"}
PRIORITIES = {p.value: p for p in Priority}
CHANNELS = {"email": Channel.EMAIL, "fax": Channel.EMAIL, "phone": Channel.PHONE, "web": Channel.WEB,
            "note": Channel.WEB, "chat": Channel.CHAT, "sms": Channel.CHAT,
            "telegram personal-message": Channel.CHAT, "whatsapp message": Channel.CHAT,
            "twitter status": Channel.TWITTER, "twitter direct-message": Channel.TWITTER,
            "facebook feed post": Channel.FACEBOOK, "facebook feed comment": Channel.FACEBOOK}
SENDERS = {"customer": AuthorRole.CUSTOMER, "agent": AuthorRole.AGENT, "system": AuthorRole.SYSTEM}
# nested objects (users, group, organization) and the ticket's SLA times stay behind: the helpdesk's own SLA
# policies are not imported; nor are facts known only later (a ticket is as known at creation: its article
# count or close time kept as a column would hand a model its answer)
MAPPED = {"id", "created_at", "create_article_type", "priority", "state", "customer", "customer_id", "group",
          "title", "owner", "updated_at", "first_response_escalation_at", "close_escalation_at",
          "update_escalation_at", "escalation_at", "first_response_in_min", "close_in_min", "update_in_min",
          "first_response_diff_in_min", "close_diff_in_min", "update_diff_in_min", "sla_id",
          "article_count", "article_ids", "updated_by", "updated_by_id", "last_contact_at",
          "last_contact_agent_at", "last_contact_customer_at", "last_owner_update_at", "first_response_at",
          "close_at", "last_close_at", "pending_time", "time_unit", "state_id", "priority_id", "owner_id",
          "group_id", "ticket_time_accounting", "ticket_time_accounting_ids", "escalation_reason"}
SETTINGS = "ESCALATION_HELPDESKS__ZAMMAD__"
HISTORY = {"state": "status", "priority": "priority", "owner": "assignee", "group": "team"}
_LEADING_NUMBER = re.compile(r"^\d+\s+")  # "2 normal" -> "normal"


def webhook(payload: Any, config: HelpdeskWebhook, body_max: int) -> Mapped:
    """One trigger's webhook: its article (if any) is a message or note; the ticket's state, priority, group
    and owner are a snapshot, compared with what is stored (Mapped.with_changes_since)."""
    root = Node(payload)
    raw = root["ticket"].required(
        "keep the webhook's default payload (no custom payload): docs/helpdesks/zammad.md")
    ticket = _ticket(raw, config, {})
    tid = ticket.ticket_id
    snapshot = Snapshot(raw["updated_at"].instant(), TicketState(
        status=_status(_named(raw["state"]), config), priority=_priority(_named(raw["priority"]), config),
        team=_team(raw, config), assignee=_owner(raw["owner"])), raw["updated_at"].path)
    article = root["article"]
    made = None if not article.is_object() or article["id"].missing else _article(article, ticket, body_max)
    return Mapped(tid, ticket, [made] if made is not None else [], snapshot)


def history(records: Sequence[Record], config: HelpdeskWebhook, body_max: int) -> Imported:
    """Tickets (GET /api/v1/tickets?expand=true), their articles (ticket_articles/by_ticket) and ticket
    history (ticket_history): articles are messages and notes, history entries of state, priority, owner
    and group are changes; the first change of each tells the value at creation. A merged or removed ticket
    is left out with its articles and history, and counted (`skipped`)."""
    out = Imported()
    articles = by_ticket(of_kind(records, "articles"), "ticket_id", out)
    changes = by_ticket([r for r in of_kind(records, "history") if _is_ticket_change(r.node)], "o_id", out)
    known: set[str] = set()
    for record in of_kind(records, "tickets"):
        vendor_id = str(record.node["id"].value)
        left_out = LEFT_OUT.get(str(_named(record.node["state"]).value).strip().lower())
        if left_out is not None:
            out.skipped[left_out] += 1
            articles.pop(vendor_id, None)
            changes.pop(vendor_id, None)
            continue
        ticket_changes = sorted(changes.get(vendor_id, []), key=lambda r: str(r.node["created_at"].value))
        ticket = out.attempt(record, partial(_ticket, record.node, config, _initial(ticket_changes)))
        if ticket is None:
            continue
        known.add(vendor_id)
        out.tickets.append(ticket)
        for article in articles.get(vendor_id, []):
            event = out.attempt(article, partial(_article, article.node, ticket, body_max))
            if event is not None:
                out.events.append(event)
        for change in ticket_changes:
            event = out.attempt(change, partial(_change, change.node, ticket, config))
            if event is not None:
                out.events.append(event)
    orphans(articles, known, "ticket_id", out)
    orphans(changes, known, "o_id", out)
    return out


def _ticket(raw: Node, config: HelpdeskWebhook, initial: dict[str, Node]) -> Ticket:
    customer = raw["customer"]
    customer_id = (customer["email"] if not customer["email"].missing else customer["login"]) \
        if customer.is_object() else (customer if not customer.missing else raw["customer_id"])
    values = {
        "ticket_id": ticket_id(Vendor.ZAMMAD, raw["id"].ticket_number()),
        "created_at": raw["created_at"].instant(),
        "channel": lookup(raw["create_article_type"], CHANNELS, config.channels, "Zammad article type",
                          SETTINGS + "CHANNELS"),
        "priority": _priority(initial.get("priority") or _named(raw["priority"]), config),
        "customer_id": customer_id.text(),
        "customer_tier": config.customer_tier, "product": config.product, "category": config.category,
        "team": team_of(_named(initial["group"]).optional_text(), config) if "group" in initial
        else _team(raw, config),
        "language": config.language,
        "subject": raw["title"].optional_text() or "",
        "assignee": _owner(initial["owner"]) if "owner" in initial else _owner(raw["owner"]),
    }
    paths = {"ticket_id": raw["id"].path, "customer_id": customer_id.path, "team": raw["group"].path,
             "assignee": raw["owner"].path, "subject": raw["title"].path,
             "created_at": raw["created_at"].path}
    return build_ticket(values, paths, extras(raw.value, MAPPED))


def _article(article: Node, ticket: Ticket, body_max: int) -> Event | None:
    """The article's event; None for write-back's own note."""
    sender = _named(article["sender"])
    role: AuthorRole = lookup(sender, SENDERS, {}, "Zammad article sender")
    internal = article["internal"].flag()
    if is_own_note(internal, article["body"].value):
        return None
    kind = EventType.INTERNAL_NOTE if internal else (
        EventType.CUSTOMER_MESSAGE if role is AuthorRole.CUSTOMER else EventType.AGENT_REPLY)
    html = "html" in str(article["content_type"].value or "")
    # origin_by: whom an agent entered the article for (a phone call's customer); else who created it
    author = article["origin_by"] if not article["origin_by"].missing else article["created_by"]
    author_id = (author["login"] if author.is_object() else author) if not author.missing \
        else article["created_by_id"]
    return build_event({
        "event_id": event_id(ticket.ticket_id, "article", article["id"].ident()),
        "ticket_id": ticket.ticket_id, "at": max(article["created_at"].instant(), ticket.created_at),
        "type": kind, "author_role": role, "author_id": author_id.optional_text(),
        "body": message_text(article["body"], body_max, html, article["attachments"]),
    }, {"body": article["body"].path, "at": article["created_at"].path, "author_id": author_id.path})


def _change(entry: Node, ticket: Ticket, config: HelpdeskWebhook) -> Event | None:
    attribute = HISTORY[str(_field(entry, "attribute").value)]
    value = entry["value_to"]
    base: dict[str, Any] = {
        "event_id": event_id(ticket.ticket_id, "history", entry["id"].ident()), "ticket_id": ticket.ticket_id,
        "at": max(entry["created_at"].instant(), ticket.created_at), "author_role": AuthorRole.AGENT,
        "author_id": entry["created_by_id"].optional_text()}
    if attribute == "status":
        return build_event(base | {"type": EventType.STATUS_CHANGE, "status": _status(value, config)}, {})
    if attribute == "priority":
        priority = _priority(value, config)
        return build_event(base | {"type": EventType.PRIORITY_CHANGE, "priority": priority}, {})
    team = team_of(value.optional_text(), config) if attribute == "team" else ""
    assignee = (_owner(value) or "") if attribute == "assignee" else ""
    if not team and not assignee:
        return None  # unassigned: no one to hand the ticket to
    return build_event(base | {"type": EventType.REASSIGNMENT, "team": team, "assignee": assignee},
                       {"team": value.path, "assignee": value.path})


def _is_ticket_change(entry: Node) -> bool:
    return (str(_field(entry, "object").value) == "Ticket" and str(_field(entry, "type").value) == "updated"
            and str(_field(entry, "attribute").value) in HISTORY)


def _field(entry: Node, name: str) -> Node:
    """History entries name their fields `attribute` (the API) or `history_attribute` (the database)."""
    return entry[name] if not entry[name].missing else entry[f"history_{name}"]


def _initial(changes: list[Record]) -> dict[str, Node]:
    """The value before each attribute's first change: the ticket's value at creation."""
    initial: dict[str, Node] = {}
    for change in changes:
        attribute = str(_field(change.node, "attribute").value)
        initial.setdefault(attribute, change.node["value_from"])
    return initial


def _named(node: Node) -> Node:
    """Zammad sends a state, priority, group or sender as its name or as an object with `name`."""
    return node["name"] if node.is_object() else node


def _team(raw: Node, config: HelpdeskWebhook) -> str:
    return team_of(_named(raw["group"]).optional_text(), config)


def _owner(node: Node) -> str | None:
    """The owner's login (e-mail); Zammad's unassigned owner is user 1, shown as '-'."""
    named = (node["login"] if not node["login"].missing else node["email"]) if node.is_object() else node
    text = named.optional_text()
    return None if text in (None, "-") else text


def _status(node: Node, config: HelpdeskWebhook) -> TicketStatus:
    found: TicketStatus = lookup(node, STATUSES, config.statuses, "Zammad state", SETTINGS + "STATUSES")
    return found


def _priority(node: Node, config: HelpdeskWebhook) -> Priority:
    if node.missing:
        return Priority.NORMAL
    word = Node(_LEADING_NUMBER.sub("", node.text()), node.path)
    found: Priority = lookup(word, PRIORITIES, {}, "Zammad priority")
    return found
