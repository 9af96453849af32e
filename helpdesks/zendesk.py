"""Zendesk's formats in the project's terms (docs/helpdesks/zendesk.md): the ticket events of an
event-subscribed webhook (`zen:event-type:ticket.*`) and a history export (incremental ticket export and
ticket audits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from core.enums import AuthorRole, Channel, EventType, Priority, TicketStatus
from core.settings import HelpdeskWebhook
from core.tickets import Event, Ticket
from helpdesks.common import (
    PRIORITY_WORDS,
    Mapped,
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
    vendor_name,
)
from helpdesks.exports import Imported, Record, by_ticket, of_kind, orphans
from helpdesks.payload import Node

EVENT_PREFIX = "zen:event-type:ticket."
STATUSES = {"new": TicketStatus.NEW, "open": TicketStatus.OPEN, "pending": TicketStatus.PENDING,
            "hold": TicketStatus.ON_HOLD, "on-hold": TicketStatus.ON_HOLD, "on_hold": TicketStatus.ON_HOLD,
            "solved": TicketStatus.SOLVED, "closed": TicketStatus.CLOSED,
            "deleted": TicketStatus.WITHDRAWN}  # soft-deleted: out of the queue unsolved, as `soft_deleted`
# ticket events that take a ticket out of the queue unsolved — `merged`: the ticket merged away into another,
# which Zendesk also closes (its messages live on in the other) — `undeleted` brings one back with its status
WITHDRAWALS = {"soft_deleted", "permanently_deleted", "marked_as_spam", "merged"}
CHANNELS = {
    **{c: Channel.EMAIL for c in ("email", "mail")},
    **{c: Channel.WEB for c in ("web", "web_form", "web_widget", "web_service", "api", "mobile", "mobile_sdk",
                                "help_center", "any_channel", "sample_ticket", "rule", "closed_ticket",
                                "ticket_sharing", "side_conversation", "merge", "batch")},
    **{c: Channel.PHONE for c in ("voice", "phone", "phone_call_inbound", "phone_call_outbound",
                                  "voicemail")},
    **{c: Channel.CHAT for c in ("chat", "chat_transcript", "native_messaging", "messaging", "sms",
                                 "whatsapp", "line", "wechat", "telegram", "instagram_dm")},
    **{c: Channel.TWITTER for c in ("twitter", "twitter_dm", "twitter_favorite", "x_corp", "x")},
    **{c: Channel.FACEBOOK for c in ("facebook", "facebook_post", "facebook_message")},
}
# the ticket fields mapped to ours, or known only later (a ticket is as known at creation: a later fact kept
# as a column would hand a model its answer); the others are kept as extra fields. `description` is message
# text (the first comment carries it), `status` a change event
MAPPED = {"id", "created_at", "via", "priority", "requester_id", "group_id", "assignee_id", "subject",
          "description", "status", "raw_subject", "comment", "fields", "custom_fields", "updated_at",
          "due_at", "satisfaction_rating", "sla_policy", "metric_set", "is_public", "actor_id"}
SETTINGS = "ESCALATION_HELPDESKS__ZENDESK__"
DOCS = "docs/helpdesks/zendesk.md"


def webhook(payload: Any, config: HelpdeskWebhook, body_max: int) -> Mapped:
    """One `zen:event-type:ticket.*` webhook. A comment, status, priority, agent or group change is an event;
    other ticket events (tags, custom fields …) carry the ticket only."""
    root = Node(payload)
    kind = root["type"].required(
        "this is not one of Zendesk's event webhooks; create the webhook with Zendesk events subscribed to "
        f"{EVENT_PREFIX}* (not connected to a trigger or automation, whose JSON is your own): {DOCS}").text()
    if not kind.startswith(EVENT_PREFIX):
        raise root["type"].error(f"{kind!r} is no ticket event; subscribe the webhook to "
                                 f"{EVENT_PREFIX}* events only")
    ticket = _ticket(root["detail"], config, None)
    tid, at = ticket.ticket_id, root["time"].instant()
    event, name = root["event"], kind.removeprefix(EVENT_PREFIX)
    base: dict[str, Any] = {"ticket_id": tid, "at": at, "author_role": AuthorRole.AGENT,
                            "author_id": root["detail"]["actor_id"].optional_text()}
    paths = {"event_id": "id", "at": "time"}
    made: dict[str, Any] | None = None
    if name == "comment_added":
        comment = _comment(event["comment"], base, root["detail"], body_max, {})
        if comment is None:
            return Mapped(tid, ticket, ignored="the comment is write-back's own note")
        return Mapped(tid, ticket, [comment])
    if name == "status_changed":
        made = {"type": EventType.STATUS_CHANGE, "status": _status(event["current"], config)}
        paths["status"] = "event.current"
    elif name in WITHDRAWALS:
        made = {"type": EventType.STATUS_CHANGE, "status": TicketStatus.WITHDRAWN}
    elif name == "undeleted":
        made = {"type": EventType.STATUS_CHANGE, "status": _status(root["detail"]["status"], config)}
        paths["status"] = "detail.status"
    elif name == "priority_changed":
        made = {"type": EventType.PRIORITY_CHANGE, "priority": _priority(event["current"])}
        paths["priority"] = "event.current"
    elif name in ("agent_assignment_changed", "group_assignment_changed"):
        made = {"type": EventType.REASSIGNMENT, "team": ticket.team, "assignee": ticket.assignee or ""}
    if made is None:
        return Mapped(tid, ticket, ignored=f"event type ticket.{vendor_name(name)} maps to no event")
    vendor_event = root["id"].ident()
    made |= {"event_id": event_id(tid, name.removesuffix("_changed"), vendor_event)}
    return Mapped(tid, ticket, [build_event(base | made, paths)])


def history(records: Sequence[Record], config: HelpdeskWebhook, body_max: int) -> Imported:
    """Tickets of an incremental ticket export and their events from ticket audits (comments; status,
    priority, assignee and group changes); `users` records, when present, tell agents from end users."""
    out = Imported()
    roles = {str(u.node["id"].value): str(u.node["role"].value) for u in of_kind(records, "users")}
    audits = by_ticket(of_kind(records, "audits"), "ticket_id", out)
    known: set[str] = set()
    for record in of_kind(records, "tickets"):
        if str(record.node["status"].value).lower() == "deleted":
            out.skipped["deleted tickets"] += 1
            continue
        vendor_id = str(record.node["id"].value)
        usable = [a for a in audits.get(vendor_id, []) if out.attempt(a, partial(_events_of, a)) is not None]
        ticket_audits = sorted(usable, key=lambda r: str(r.node["created_at"].value))
        created = _created_values(ticket_audits)
        ticket = out.attempt(record, partial(_ticket, record.node, config, created))
        if ticket is None:
            continue
        known.add(vendor_id)
        out.tickets.append(ticket)
        for audit in ticket_audits:
            for item in audit.node["events"].items():
                made = out.attempt(audit, partial(_audit_event, audit.node, item, ticket, record.node, roles,
                                                  config, body_max))
                if made is not None:
                    out.events.append(made)
    orphans(audits, known, "ticket_id", out)
    return out


def _ticket(detail: Node, config: HelpdeskWebhook, created: dict[str, Any] | None) -> Ticket:
    """The ticket from a webhook's `detail` or an export's ticket; `created`: values an audit's Create events
    set at creation (the export holds the ticket as it is now)."""
    created = created or {}
    group = _some_id(created.get("group_id", detail["group_id"]))
    assignee = _some_id(created.get("assignee_id", detail["assignee_id"]))
    priority = created.get("priority", detail["priority"])
    values = {
        "ticket_id": ticket_id(Vendor.ZENDESK, detail["id"].ticket_number()),
        "created_at": detail["created_at"].instant(),
        "channel": lookup(detail["via"]["channel"], CHANNELS, config.channels, "channel",
                          SETTINGS + "CHANNELS"),
        "priority": _priority(priority),
        "customer_id": detail["requester_id"].text(),
        "customer_tier": config.customer_tier,
        "product": config.product,
        "category": config.category,
        "team": team_of(group, config),
        "language": config.language,
        "subject": detail["subject"].optional_text() or "",
        "assignee": assignee,
    }
    paths = {"ticket_id": detail["id"].path, "customer_id": detail["requester_id"].path,
             "team": detail["group_id"].path, "assignee": detail["assignee_id"].path,
             "subject": detail["subject"].path, "created_at": detail["created_at"].path}
    return build_ticket(values, paths, extras(detail.value, MAPPED))


def _comment(comment: Node, base: dict[str, Any], ticket: Node, body_max: int,
             roles: dict[str, str]) -> Event | None:
    """The comment's event; None for write-back's own note."""
    author = comment["author"]
    author_id = (author["id"] if author.is_object() else comment["author_id"]).optional_text()
    staff = author["is_staff"].flag() if author.is_object() else _is_staff(author_id, ticket, roles)
    public = comment["is_public"].flag(default=True) if comment["is_public"].value is not None \
        else comment["public"].flag(default=True)
    kind = (EventType.AGENT_REPLY if staff else EventType.CUSTOMER_MESSAGE) if public else \
        EventType.INTERNAL_NOTE
    if is_own_note(not public, comment["body"].value):
        return None
    values = base | {
        "event_id": event_id(base["ticket_id"], "comment", comment["id"].ident()),
        "type": kind, "author_role": AuthorRole.AGENT if staff else AuthorRole.CUSTOMER,
        "author_id": author_id,
        "body": message_text(comment["body"], body_max, attachments=comment["attachments"]),
    }
    return build_event(values, {"body": comment["body"].path, "author_id": comment["author_id"].path})


def _is_staff(author_id: str | None, ticket: Node, roles: dict[str, str]) -> bool:
    if author_id is None or author_id == str(ticket["requester_id"].value):
        return False
    return roles.get(author_id, "agent") != "end-user"


def _audit_event(audit: Node, item: Node, ticket: Ticket, raw: Node, roles: dict[str, str],
                 config: HelpdeskWebhook, body_max: int) -> Event | None:
    kind = item["type"].text()
    at: datetime = max(audit["created_at"].instant(), ticket.created_at)
    base: dict[str, Any] = {"ticket_id": ticket.ticket_id, "at": at, "author_role": AuthorRole.AGENT,
                            "author_id": audit["author_id"].optional_text()}
    if kind in ("Comment", "VoiceComment"):
        return _comment(item, base, raw, body_max, roles)
    field_name = item["field_name"].optional_text()
    if kind != "Change" or field_name not in ("status", "priority", "assignee_id", "group_id"):
        return None
    base["event_id"] = event_id(ticket.ticket_id, "audit", item["id"].ident())
    paths = {"event_id": item["id"].path}
    if field_name == "status":
        return build_event(base | {"type": EventType.STATUS_CHANGE, "status": _status(item["value"], config)},
                           paths)
    if field_name == "priority":
        return build_event(base | {"type": EventType.PRIORITY_CHANGE, "priority": _priority(item["value"])},
                           paths)
    value = _some_id(item["value"])
    if value is None:
        return None  # unassigned: no one to hand the ticket to, nothing the features count
    team, assignee = (team_of(value, config), "") if field_name == "group_id" else ("", value)
    return build_event(base | {"type": EventType.REASSIGNMENT, "team": team, "assignee": assignee}, paths)


def _events_of(audit: Record) -> list[Node]:
    """An audit's events; one that holds no list is a problem of that audit, not of the import."""
    return list(audit.node["events"].items())


def _created_values(audits: list[Record]) -> dict[str, Any]:
    """The values the first audit's Create events set: priority, group and assignee at creation."""
    if not audits:
        return {}
    wanted = ("priority", "group_id", "assignee_id")
    return {str(e["field_name"].value): e["value"] for e in audits[0].node["events"].items()
            if e["type"].value == "Create" and e["field_name"].value in wanted}


def _status(node: Node, config: HelpdeskWebhook) -> TicketStatus:
    found: TicketStatus = lookup(node, STATUSES, config.statuses, "Zendesk status", SETTINGS + "STATUSES")
    return found


def _priority(node: Node) -> Priority:
    if node.missing:
        return Priority.NORMAL  # Zendesk tickets may have none
    found: Priority = lookup(node, PRIORITY_WORDS, {}, "Zendesk priority")
    return found


def _some_id(node: Node) -> str | None:
    """An id, or None for none (Zendesk writes a missing group or assignee as null or "0")."""
    text = node.optional_text()
    return None if text in (None, "0") else text
