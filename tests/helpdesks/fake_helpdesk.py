"""A fake helpdesk REST API on loopback (http.server in a thread): just enough of Zendesk's, Freshdesk's or
Zammad's ticket, tag and note endpoints for write-back, keeping each ticket's custom fields, tags and notes
and recording every call. Failures are scripted per ticket: `fail(ticket, 429, 500)` answers that ticket's
next calls 429 (with Retry-After) and then 500, deterministically, before it answers normally again;
`on="comments"` keeps a failure for the ticket's next call whose path holds that text, `method="PUT"` for its
next call of that method; `body=` answers it with that text instead of a JSON error (`TICKET_LIMITED`:
Zendesk's 429 for one ticket's update limit).
Zendesk's single-ticket update is as documented: `tags` replaces the ticket's tags, `additional_tags` and
`remove_tags` do nothing (they work with the bulk Update Many only), and `safe_update` with an
`updated_stamp` other than the ticket's `updated_at` answers 409. `change_after_read(ticket, tag, times=)`
has an agent add a tag to the ticket right after each of its next reads (`GET /api/v2/tickets/{id}.json`):
the update made from that read is stale.
`fail_note(ticket, 500)` posts the ticket's next note and then answers 500: the note exists, but the caller
thinks it failed. `deleted.add(ticket)` answers every call for that ticket 404 (it was deleted, or merged
away) until it is discarded again; `closed.add(ticket)` (Zendesk) answers its updates 422 as Zendesk answers
for a closed ticket. `stall("conversations")` holds every call whose path holds that text
unanswered until `release()` (or the server stops): a helpdesk too slow to answer."""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

RETRY_AFTER_S = 120
ZENDESK_CREATED = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # every fake Zendesk ticket's first updated_at
# Zendesk's answer to an update of a closed ticket (it takes no more updates; a follow-up is a new ticket)
ZENDESK_CLOSED = {"error": "RecordInvalid", "description": "Record validation errors",
                  "details": {"status": [{"description": "Status: closed prevents ticket update"}]}}
# Zendesk's answer to the update limit of one ticket (30 updates per 10 minutes per user and ticket), as its
# documentation shows it: a plain-text body, where the account-wide limit answers a JSON error
TICKET_LIMITED = "Rate limit for ticket updates exceeded, please wait before updating this ticket again"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    ticket: int | None
    body: Any
    authorization: str
    status: int
    applied: bool  # the helpdesk made the change asked for (a lost answer's too: `fail_note`)


@dataclass
class FakeHelpdesk:
    vendor: str  # zendesk | freshdesk | zammad
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    fields: dict[int, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    tags: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))  # every comment
    failures: dict[int, list[tuple[int, str, str, str | None]]] = field(
        default_factory=lambda: defaultdict(list))
    updated: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # Zendesk: updates so far
    agent_tags: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))  # change_after_read
    note_failures: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)
    stalled: str | None = None
    released: threading.Event = field(default_factory=threading.Event)
    answer_lost: bool = False  # the call being answered was applied, but answers an error (`fail_note`)
    deleted: set[int] = field(default_factory=set)  # tickets gone from the helpdesk: every call answers 404
    closed: set[int] = field(default_factory=set)  # Zendesk tickets closed: every update answers 422

    def stall(self, on: str) -> None:
        self.stalled = on

    def release(self) -> None:
        self.released.set()

    def fail(self, ticket: int, *statuses: int, on: str = "", method: str = "",
             body: str | None = None) -> None:
        with self.lock:
            self.failures[ticket].extend((status, on, method, body) for status in statuses)

    def change_after_read(self, ticket: int, tag: str, times: int = 1) -> None:
        with self.lock:
            self.agent_tags[ticket].extend([tag] * times)

    def updated_at(self, ticket: int) -> str:
        """Zendesk's `updated_at` of the ticket: a second later for each update."""
        return (ZENDESK_CREATED + timedelta(seconds=self.updated[ticket])).strftime("%Y-%m-%dT%H:%M:%SZ")

    def fail_note(self, ticket: int, status: int) -> None:
        with self.lock:
            self.note_failures[ticket].append(status)

    def _noted(self, ticket: int, body: str, public: bool, status: int) -> tuple[int, Any]:
        self.notes[ticket].append({"body": body, "public": public})
        failing = self.note_failures[ticket]
        self.answer_lost = bool(failing)
        return (failing.pop(0), {"error": "scripted failure"}) if failing else (status, {"id": 1})

    def _scripted(self, ticket: int | None, method: str, path: str) -> tuple[int, str | None] | None:
        script = self.failures.get(ticket) if ticket is not None else None
        for i, (status, on, only, body) in enumerate(script or []):
            if on in path and only in ("", method):
                del script[i]  # type: ignore[union-attr]
                return status, body
        return None

    def answered(self, status: int) -> list[Call]:
        return [c for c in self.calls if c.status == status]

    def field_writes(self, ticket: int) -> list[Any]:
        """The risk values written to the ticket, in order: by successful calls, and by a call applied whose
        answer was lost (Zendesk's note goes in the same update as the field)."""
        return [v for c in self.calls if c.ticket == ticket and c.applied
                for v in _risk_values(self.vendor, c)]

    def private_notes(self, ticket: int) -> list[str]:
        return [n["body"] for n in self.notes[ticket] if not n["public"]]

    def public_replies(self, ticket: int) -> list[str]:
        return [n["body"] for n in self.notes[ticket] if n["public"]]

    # --- the API -----------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        v = self.vendor
        if v == "zendesk" and (m := re.fullmatch(r"/api/v2/tickets/(\d+)\.json", path)) and method == "GET":
            t = int(m[1])
            read = {"id": t, "tags": list(self.tags[t]), "updated_at": self.updated_at(t),
                    "custom_fields": [{"id": int(k), "value": x} for k, x in self.fields[t].items()]}
            if self.agent_tags[t]:  # an agent's update, just after this read
                self._tag(t, add=[self.agent_tags[t].pop(0)], remove=[])
                self.updated[t] += 1
            return 200, {"ticket": read}
        if v == "zendesk" and (m := re.fullmatch(r"/api/v2/tickets/(\d+)\.json", path)) and method == "PUT":
            t, ticket = int(m[1]), body["ticket"]
            if t in self.closed:
                return 422, ZENDESK_CLOSED
            if ticket.get("safe_update") and ticket.get("updated_stamp") != self.updated_at(t):
                return 409, {"error": "UpdateConflict", "description": "Safe Update prevented the update due "
                             "to outdated ticket data. Please fetch the latest ticket data and try again."}
            self.updated[t] += 1
            for f in ticket.get("custom_fields", []):
                self.fields[t][str(f["id"])] = f["value"]
            if "tags" in ticket:  # additional_tags and remove_tags: not on a single ticket's update
                self.tags[t] = list(dict.fromkeys(ticket["tags"]))
            if "comment" in ticket:
                return self._noted(t, ticket["comment"]["body"], ticket["comment"].get("public", True), 200)
            return 200, {"ticket": {"id": t, "tags": self.tags[t]}}
        if v == "zendesk" and (m := re.fullmatch(r"/api/v2/tickets/(\d+)/comments\.json", path)):
            comments = list(reversed(self.notes[int(m[1])])) if query.get("sort_order") == "desc" \
                else self.notes[int(m[1])]
            return 200, {"comments": comments}
        if v == "freshdesk" and (m := re.fullmatch(r"/api/v2/tickets/(\d+)", path)):
            t = int(m[1])
            if method == "PUT" and (refused := _freshdesk_refuses(body)):
                return 400, {"description": "Validation failed", "errors": refused}
            if method == "PUT":
                self.fields[t].update(body.get("custom_fields", {}))
                if "tags" in body:
                    self.tags[t] = list(body["tags"])
            return 200, {"id": t, "tags": self.tags[t], "custom_fields": self.fields[t]}
        if v == "freshdesk" and (m := re.fullmatch(r"/api/v2/tickets/(\d+)/conversations", path)):
            size, page = int(query.get("per_page", "30")), int(query.get("page", "1"))
            return 200, [{"body": n["body"], "body_text": n["body"], "private": not n["public"]}
                         for n in self.notes[int(m[1])][(page - 1) * size:page * size]]
        notes = re.fullmatch(r"/api/v2/tickets/(\d+)/notes", path)
        if v == "freshdesk" and method == "POST" and (m := notes):
            if not isinstance(body.get("body"), str) or not isinstance(body.get("private", True), bool):
                return 400, {"description": "Validation failed",
                             "errors": [{"field": "body", "message": "Mandatory attribute missing",
                                         "code": "missing_field"}]}
            return self._noted(int(m[1]), body["body"], not body.get("private", False), 201)
        if v == "zammad" and (m := re.fullmatch(r"/api/v1/tickets/(\d+)", path)) and method == "PUT":
            self.fields[int(m[1])].update(body)
            return 200, {"id": int(m[1])}
        if v == "zammad" and path == "/api/v1/tags" and method == "GET":
            return 200, {"tags": self.tags[int(query["o_id"])]}
        if v == "zammad" and path in ("/api/v1/tags/add", "/api/v1/tags/remove") and method == "POST":
            adding = path.endswith("add")
            self._tag(int(body["o_id"]), add=[body["item"]] if adding else [],
                      remove=[] if adding else [body["item"]])
            return 200, True
        if v == "zammad" and (m := re.fullmatch(r"/api/v1/ticket_articles/by_ticket/(\d+)", path)):
            return 200, [{"body": n["body"], "internal": not n["public"]} for n in self.notes[int(m[1])]]
        if v == "zammad" and path == "/api/v1/ticket_articles" and method == "POST":
            assert body["type"] == "note"
            return self._noted(int(body["ticket_id"]), body["body"], not body["internal"], 201)
        return 404, {"error": "RecordNotFound"}

    def _tag(self, t: int, add: list[str], remove: list[str]) -> None:
        kept = [x for x in self.tags[t] if x not in remove]
        self.tags[t] = kept + [x for x in add if x not in kept]


def _freshdesk_refuses(body: Any) -> list[dict[str, str]]:
    """What Freshdesk's ticket validation refuses in an update, as it says so: a tag over 32 characters or
    holding a comma, custom fields that are not an object."""
    errors = []
    tags = body.get("tags", [])
    if not isinstance(tags, list) or any(not isinstance(t, str) or len(t) > 32 for t in tags):
        errors.append({"field": "tags", "code": "invalid_value",
                       "message": "It should only contain elements that have maximum of 32 characters"})
    elif any("," in t for t in tags):
        errors.append({"field": "tags", "code": "invalid_value", "message": "It should not contain ','"})
    if not isinstance(body.get("custom_fields", {}), dict):
        errors.append({"field": "custom_fields", "code": "datatype_mismatch",
                       "message": "It should be a/an key/value pair"})
    return errors


def _ticket_of(path: str, query: dict[str, str], body: Any) -> int | None:
    if m := re.search(r"/(?:tickets|by_ticket)/(\d+)", path):
        return int(m[1])
    if "o_id" in query:
        return int(query["o_id"])
    if isinstance(body, dict):
        for key in ("o_id", "ticket_id"):
            if key in body:
                return int(body[key])
    return None


def _risk_values(vendor: str, c: Call) -> list[Any]:
    if c.method != "PUT" or not isinstance(c.body, dict):
        return []
    if vendor == "zendesk":
        return [f["value"] for f in c.body["ticket"].get("custom_fields", [])]
    if vendor == "freshdesk":
        return list(c.body.get("custom_fields", {}).values())
    return [c.body[k] for k in c.body if k == "escalation_risk"]


@contextmanager
def serve(vendor: str) -> Iterator[FakeHelpdesk]:
    state = FakeHelpdesk(vendor)

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            ticket = _ticket_of(parts.path, query, body)
            headers: dict[str, str] = {}
            if state.stalled is not None and state.stalled in parts.path:
                state.released.wait()
                return  # no answer: the caller gave up long ago
            content_type = "application/json"
            with state.lock:
                scripted = state._scripted(ticket, self.command, parts.path)
                if scripted is None and ticket in state.deleted:
                    scripted = 404, None
                if scripted is not None:
                    status, text = scripted
                    answer: Any = {"error": "scripted failure"} if text is None else text
                    if status == 429:
                        headers["Retry-After"] = str(RETRY_AFTER_S)
                else:
                    status, answer = state.handle(self.command, parts.path, query, body)
                applied = scripted is None and (200 <= status < 300 or state.answer_lost)
                state.answer_lost = False
                state.calls.append(Call(self.command, parts.path, ticket, body,
                                        self.headers.get("Authorization", ""), status, applied))
            if isinstance(answer, str):
                data, content_type = answer.encode(), "text/plain; charset=utf-8"
            else:
                data = json.dumps(answer).encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = _any

        def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release()
        server.shutdown()
        server.server_close()


TOKEN = "s3cr3t-token-4711"  # every helpdesk's credential in the tests: never in a log or a stored error
ZENDESK_FIELD_ID = 360001234


def writeback_config(vendor: str, url: str, **changes: object) -> dict[str, Any]:
    """The `writeback` settings section for one fake helpdesk."""
    credentials: dict[str, dict[str, object]] = {
        "zendesk": {"email": "bot@example.com", "api_token": TOKEN, "risk_field_id": ZENDESK_FIELD_ID},
        "freshdesk": {"api_key": TOKEN},
        "zammad": {"token": TOKEN},
    }
    return {vendor: {"base_url": url, **credentials[vendor], **changes}}
