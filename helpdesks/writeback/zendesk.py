"""Zendesk Support: `PUT /api/v2/tickets/{id}.json` sets the risk field and swaps the band tag
(`additional_tags`/`remove_tags` leave every other tag alone) in one call; the note is a private comment
(`comment.public: false`) of the same ticket update, so that an assessment spends one of the ticket's
update limit. (Zendesk's `Idempotency-Key` is for creating tickets only: a retried note is found by its
marker first.) Auth: `{email}/token` and the API token (basic).
Zendesk limits how often one user updates the same ticket (30 updates in 10 minutes); it answers that limit
429 with "Rate limit for ticket updates exceeded" in plain text, where its account-wide limit answers a
JSON `APIRateLimitExceeded`: only the former holds back that one ticket alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from core.settings import ZendeskWriteback
from helpdesks.writeback.api import HelpdeskApi
from helpdesks.writeback.client import Step
from helpdesks.writeback.request import Writeback

# the words of Zendesk's 429 for one ticket's update limit (lower case)
TICKET_LIMIT = "rate limit for ticket updates"


class ZendeskClient:
    name = "zendesk"

    def __init__(self, settings: ZendeskWriteback, transport: httpx.BaseTransport | None = None) -> None:
        auth = httpx.BasicAuth(f"{settings.email}/token", settings.api_token.get_secret_value())
        self._api = HelpdeskApi(self.name, settings.base_url, {"Accept": "application/json"},
                                settings.timeout_s, credential=("EMAIL", "API_TOKEN"), auth=auth,
                                transport=transport, ticket_limit=TICKET_LIMIT)
        self._field = settings.risk_field_id

    def steps(self, w: Writeback) -> Sequence[Step]:
        return [("fields", lambda: self._update(w, self._fields(w)))]

    def _fields(self, w: Writeback) -> dict[str, Any]:
        return {"custom_fields": [{"id": self._field, "value": w.risk_percent}],
                "additional_tags": [w.tag], "remove_tags": w.other_tags}

    def has_note(self, w: Writeback) -> bool:
        # the newest comments first: a note of this assessment is among the latest
        found = self._api.call("GET", f"/api/v2/tickets/{w.ticket}/comments.json",
                               params={"sort_order": "desc"}, deadline=w.deadline)
        comments: list[dict[str, Any]] = (found or {}).get("comments", [])
        return any(not c.get("public", True) and w.marker in str(c.get("body", "")) for c in comments)

    def add_note(self, w: Writeback) -> None:
        self._update(w, {"comment": {"body": w.note_text(), "public": False}})

    def add_note_with_fields(self, w: Writeback) -> None:
        self._update(w, {**self._fields(w), "comment": {"body": w.note_text(), "public": False}})

    def _update(self, w: Writeback, fields: dict[str, Any]) -> None:
        self._api.call("PUT", f"/api/v2/tickets/{w.ticket}.json", json={"ticket": fields},
                       deadline=w.deadline)

    def close(self) -> None:
        self._api.close()
