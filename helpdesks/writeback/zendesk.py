"""Zendesk Support: `PUT /api/v2/tickets/{id}.json` sets the risk field and the band tag in one call; the note
is a private comment (`comment.public: false`) of the same ticket update, so that an assessment spends one of
the ticket's update limit. (Zendesk's `Idempotency-Key` is for creating tickets only: a retried note is found
by its marker first.) Auth: `{email}/token` and the API token (basic).
In the update of one ticket `tags` replaces the ticket's tags, and `additional_tags`/`remove_tags` do nothing
(they work with the bulk Update Many only, a job run later): the ticket is read first (`GET
/api/v2/tickets/{id}.json`) and its whole tag list sent with the band tags swapped, as a safe update
(`safe_update` with `updated_stamp`, its `updated_at` as read), so that a tag an agent adds meanwhile is not
lost: Zendesk answers 409 instead, and the ticket is read and updated again, SAFE_UPDATE_TRIES updates in
all, before the outbox's retry takes over.
Zendesk limits how often one user updates the same ticket (30 updates in 10 minutes); it answers that limit
429 with "Rate limit for ticket updates exceeded" in plain text, where its account-wide limit answers a
JSON `APIRateLimitExceeded`: only the former holds back that one ticket alone. An update of a closed ticket
is a 422 saying "closed prevents ticket update": the ticket is `gone` for write-back (it takes no more)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from core.settings import ZendeskWriteback
from helpdesks.writeback.api import HelpdeskApi, WritebackError
from helpdesks.writeback.client import Step
from helpdesks.writeback.request import Writeback

# the words of Zendesk's 429 for one ticket's update limit (lower case)
TICKET_LIMIT = "rate limit for ticket updates"
# the words of Zendesk's 422 for an update of a closed ticket, which takes no more (a follow-up is a new one)
CLOSED = "closed prevents ticket update"
# safe updates of one write-back refused as the ticket changed since it was read (409); each spends one of the
# ticket's update limit, so a ticket changing without pause is left to the outbox's retry
SAFE_UPDATE_TRIES = 3


class ZendeskClient:
    name = "zendesk"

    def __init__(self, settings: ZendeskWriteback, transport: httpx.BaseTransport | None = None) -> None:
        auth = httpx.BasicAuth(f"{settings.email}/token", settings.api_token.get_secret_value())
        self._api = HelpdeskApi(self.name, settings.base_url, {"Accept": "application/json"},
                                settings.timeout_s, credential=("EMAIL", "API_TOKEN"), auth=auth,
                                transport=transport, ticket_limit=TICKET_LIMIT, closed=CLOSED)
        self._field = settings.risk_field_id

    def steps(self, w: Writeback) -> Sequence[Step]:
        return [("fields", lambda: self._update_fields(w, {}))]

    def _update_fields(self, w: Writeback, extra: dict[str, Any]) -> None:
        """The risk field and the ticket's tags with the band's, as a safe update of the ticket as read;
        read again and retried while Zendesk answers that the ticket changed meanwhile (409)."""
        for tries in range(1, SAFE_UPDATE_TRIES + 1):
            found = self._api.call("GET", f"/api/v2/tickets/{w.ticket}.json", deadline=w.deadline)
            ticket: dict[str, Any] = (found or {}).get("ticket") or {}
            stamp = ticket.get("updated_at")
            fields = {"custom_fields": [{"id": self._field, "value": w.risk_percent}],
                      "tags": w.tags_from(ticket.get("tags") or []),
                      **({"safe_update": True, "updated_stamp": stamp} if stamp else {}), **extra}
            try:
                self._update(w, fields)
                return
            except WritebackError as exc:
                if exc.status != 409 or tries == SAFE_UPDATE_TRIES:
                    raise

    def has_note(self, w: Writeback) -> bool:
        # the newest comments first: a note of this assessment is among the latest
        found = self._api.call("GET", f"/api/v2/tickets/{w.ticket}/comments.json",
                               params={"sort_order": "desc"}, deadline=w.deadline)
        comments: list[dict[str, Any]] = (found or {}).get("comments", [])
        return any(not c.get("public", True) and w.marker in str(c.get("body", "")) for c in comments)

    def add_note(self, w: Writeback) -> None:
        self._update(w, {"comment": {"body": w.note_text(), "public": False}})

    def add_note_with_fields(self, w: Writeback) -> None:
        # a 409 applied nothing, the note neither: the retry of the update posts it once
        self._update_fields(w, {"comment": {"body": w.note_text(), "public": False}})

    def _update(self, w: Writeback, fields: dict[str, Any]) -> None:
        self._api.call("PUT", f"/api/v2/tickets/{w.ticket}.json", json={"ticket": fields},
                       deadline=w.deadline)

    def close(self) -> None:
        self._api.close()
