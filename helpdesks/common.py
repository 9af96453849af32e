"""What the three vendors' mappings share: ticket and event ids, the mapped result, building the project's own
Ticket and Event (core.tickets) with errors that name the vendor's path, and a ticket's snapshot for the
helpdesks whose webhooks carry the ticket as it is now rather than what changed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from core.bounds import EXTRA_TEXT_MAX, EXTRA_VALUES, NAME_MAX, SUBJECT_MAX
from core.enums import AuthorRole, Channel, EventType, Priority, TicketStatus
from core.settings import HelpdeskWebhook
from core.tickets import Event, Ticket
from helpdesks.payload import Node, PayloadError
from helpdesks.text import looks_like_html, plain_text


class Vendor(StrEnum):
    ZENDESK = "zendesk"
    FRESHDESK = "freshdesk"
    ZAMMAD = "zammad"


def ticket_id(vendor: Vendor, vendor_ticket_id: str) -> str:
    """A ticket's id here: `{vendor}-{the helpdesk's ticket id}`, e.g. zendesk-35436. Write-back to the
    helpdesk reads the vendor's id back from it: keep the convention."""
    return f"{vendor.value}-{vendor_ticket_id}"


def split_ticket_id(ticket: str) -> tuple[Vendor, str] | None:
    """The helpdesk and its own id of a ticket id made by `ticket_id` (zendesk-35436 -> zendesk, "35436");
    None for an id of another origin."""
    vendor, dash, own = ticket.partition("-")
    if not dash or not own or vendor not in {v.value for v in Vendor}:
        return None
    return Vendor(vendor), own


def event_id(ticket: str, kind: str, vendor_id: str) -> str:
    """An event's id from the helpdesk's own id of it (comment, article, audit event): a webhook sent again,
    or the same comment imported later, is the same event and is stored once."""
    return f"{ticket}:{kind}:{vendor_id}"


def hashed_event_id(ticket: str, kind: str, *identifying: str) -> str:
    """An event's id when the helpdesk gives the event none: a hash of the fields that identify it."""
    digest = hashlib.sha256("\x1f".join(identifying).encode()).hexdigest()[:24]
    return event_id(ticket, kind, digest)


@dataclass(frozen=True, slots=True)
class TicketState:
    """What a ticket's status, priority, team and assignee are: stored, or as a webhook shows them."""

    status: TicketStatus
    priority: Priority
    team: str
    assignee: str | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A ticket's state as a webhook shows it at `at` (Zammad sends the ticket, not what changed)."""

    at: datetime
    state: TicketState
    at_path: str = ""  # where `at` is in the payload, for an error


@dataclass(frozen=True, slots=True)
class Mapped:
    """One webhook in the project's terms: the ticket (sent with every webhook; stored with the first),
    its new events and, for snapshot helpdesks, the ticket's state to compare with what is stored."""

    ticket_id: str
    ticket: Ticket
    events: list[Event] = field(default_factory=list)
    snapshot: Snapshot | None = None
    # why the webhook maps to no event (an event type the mapping does not take, write-back's own note), in
    # fixed words and the vendor's own names: logged, so that an admin can tell why nothing was recorded
    ignored: str | None = None

    def with_changes_since(self, previous: TicketState | None) -> list[Event]:
        """The events plus one change event for each of the snapshot's status, priority, team and assignee
        that differs from `previous` (None: the ticket as created). A webhook sent again finds no change."""
        if self.snapshot is None:
            return list(self.events)
        s = self.snapshot.state
        was = previous or TicketState(TicketStatus.NEW, self.ticket.priority, self.ticket.team,
                                      self.ticket.assignee)
        at = max(self.snapshot.at, self.ticket.created_at)
        changes: list[dict[str, Any]] = []
        if s.status != was.status:
            changes.append({"type": EventType.STATUS_CHANGE, "status": s.status})
        if s.priority != was.priority:
            changes.append({"type": EventType.PRIORITY_CHANGE, "priority": s.priority})
        if s.team != was.team or (s.assignee or "") != (was.assignee or ""):
            changes.append({"type": EventType.REASSIGNMENT, "team": s.team, "assignee": s.assignee or ""})
        made = [
            build_event({
                **c, "ticket_id": self.ticket_id, "at": at, "author_role": AuthorRole.SYSTEM,
                "event_id": hashed_event_id(self.ticket_id, c["type"].value, at.isoformat(),
                                            str(c.get("status") or c.get("priority") or c.get("team")),
                                            str(c.get("assignee", ""))),
            }, {"at": self.snapshot.at_path})
            for c in changes
        ]
        return [*self.events, *made]


_NAME = re.compile(r"[a-z0-9_.]{1,60}")


def vendor_name(text: str) -> str:
    """A vendor's name of an event type or trigger, fit to log: as it is when it is one (lower case letters,
    digits, `_` and `.`, at most 60), else `another name` (the request's text is never logged)."""
    return text if _NAME.fullmatch(text) else "another name"


def lookup(node: Node, table: Mapping[str, Any], extra: Mapping[str, Any], what: str,
           setting: str | None = None) -> Any:
    """The value of `node` (matched ignoring case) in the vendor's table or the team's own additions
    (`setting`, the variable that extends the table; None: the table is closed)."""
    key = node.text().lower()
    found = extra.get(key, table.get(key))
    if found is None:
        known = ", ".join(sorted({*table, *extra}))
        how = f"; map it with {setting}, e.g. '{{\"{key}\": \"...\"}}'" if setting else ""
        raise node.error(f"{node.value!r} is not a {what} we can map (known: {known}){how}")
    return found


def team_of(group: str | None, config: HelpdeskWebhook) -> str:
    return config.team if group is None else config.groups.get(group, group)


def clip(text: str | None, limit: int) -> str | None:
    """A text cut to `limit` characters: a long e-mail is assessed on its start rather than refused."""
    return None if text is None else text[:limit]


# The body of a message that holds no words once its HTML is read: an e-mail with only an attachment, an
# inline screenshot (`<p><img …></p>`), `<div>&nbsp;</div>`, a blank body. The message is still a message
# (its ticket, the response clocks), and a message event needs a body: this says what it is without inventing
# the customer's words. Its wording is neutral to the text analysis — no signal, a neutral sentiment, read as
# English ("[attachment]" alone was detected as German) — tests/helpdesks/test_common.py checks it.
NO_TEXT_BODY = "[attachment or image]"
_IMAGE = re.compile(r"<img\b", re.I)


def message_text(node: Node, limit: int, is_html: bool | None = None, attachments: Node | None = None) -> str:
    """A message's body as plain text cut to `limit` (HTML read as text; `is_html` None: when it looks like
    HTML). A body with no words once read, or blank, is NO_TEXT_BODY. Where the vendor lists the message's
    `attachments` and there are none, and the body holds no image, the message is empty: a PayloadError at its
    path; so is a body that is absent (null) unless attachments are listed."""
    listed = attachments.value if attachments is not None and isinstance(attachments.value, list) else None
    if node.value is None and listed:
        return NO_TEXT_BODY
    text = "" if isinstance(node.value, str) and not node.value.strip() else node.text()
    words = plain_text(text, looks_like_html(text) if is_html is None else is_html)
    if words:
        return words[:limit]
    if listed == [] and attachments is not None and not _IMAGE.search(text):
        raise node.error(f"holds no text once its HTML is read, and {attachments.path} lists no attachment: "
                         "the message is empty")
    return NO_TEXT_BODY


# Ends each internal note that write-back posts (helpdesks/writeback), with its assessment's id. The
# helpdesk sends the note back with the webhooks the set-up subscribes to, and an export holds it: it is our
# own output, not an event of the ticket — stored, it would count among the ticket's internal notes and move
# the very risk it reports. Only an internal note is taken for ours: a message anyone can write never is.
NOTE_MARKER = "[escalation-risk assessment {}]"
_OWN_NOTE = re.compile(r"\[escalation-risk assessment \d+\]")


def is_own_note(internal: bool, body: Any) -> bool:
    """An internal note that write-back posted (it carries NOTE_MARKER)."""
    return internal and isinstance(body, str) and _OWN_NOTE.search(body) is not None


def extras(raw: Any, mapped: set[str]) -> dict[str, Any]:
    """The fields of a vendor object that have no counterpart here, kept as extra fields within the bounds of
    core.bounds: scalars and lists of scalars only (nested objects are the vendor's own records)."""
    if not isinstance(raw, dict):
        return {}
    kept: dict[str, Any] = {}
    for name, value in raw.items():
        if name in mapped or not isinstance(name, str) or not 0 < len(name) <= NAME_MAX or "\x00" in name:
            continue
        size = len(value) + 1 if isinstance(value, list) else 1
        fits = all(_scalar(v) for v in value) if isinstance(value, list) else _scalar(value)
        if fits and len(kept) + size < EXTRA_VALUES:
            kept[name] = value
    return kept


def _scalar(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= EXTRA_TEXT_MAX and "\x00" not in value
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    return value is None or (isinstance(value, bool | int) and abs(value) < 2**63)


def build_ticket(values: dict[str, Any], paths: Mapping[str, str], kept: dict[str, Any]) -> Ticket:
    """A Ticket from mapped values; a value out of bounds is reported at the vendor's path of its field."""
    values = {**kept, **values, "subject": clip(values.get("subject") or "", SUBJECT_MAX)}
    try:
        return Ticket.model_validate(values)
    except ValidationError as exc:
        raise _located(exc, paths) from None


def build_event(values: dict[str, Any], paths: Mapping[str, str]) -> Event:
    try:
        return Event.model_validate(values)
    except ValidationError as exc:
        raise _located(exc, paths) from None


def _located(exc: ValidationError, paths: Mapping[str, str]) -> PayloadError:
    error = exc.errors()[0]
    name = str(error["loc"][0]) if error["loc"] else ""
    where = paths.get(name, name)
    return PayloadError(where, f"{error['msg'].removeprefix('Value error, ')} (our field {name or 'ticket'})")


CHANNEL_WORDS: dict[str, Channel] = {c.value: c for c in Channel}
PRIORITY_WORDS: dict[str, Priority] = {p.value: p for p in Priority}
