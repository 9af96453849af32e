"""Freshdesk: `PUT /api/v2/tickets/{id}` sets the risk (`custom_fields`) and the tags; Freshdesk replaces the
whole tag list, so the ticket's tags are read first and only the band tags change. The note is
`POST /api/v2/tickets/{id}/notes` with `private: true`. Auth: the API key as user, `X` as password (basic)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import httpx

from core.settings import FreshdeskWriteback
from helpdesks.writeback.api import HelpdeskApi
from helpdesks.writeback.client import Step
from helpdesks.writeback.request import Writeback

PER_PAGE = 100  # Freshdesk's largest page
MAX_PAGES = 20  # conversations looked through for the note's marker


class FreshdeskClient:
    name = "freshdesk"

    def __init__(self, settings: FreshdeskWriteback, transport: httpx.BaseTransport | None = None) -> None:
        auth = httpx.BasicAuth(settings.api_key.get_secret_value(), "X")
        self._api = HelpdeskApi(self.name, settings.base_url, {"Accept": "application/json"},
                                settings.timeout_s, credential=("API_KEY",), auth=auth, transport=transport)
        self._field = settings.risk_field

    def steps(self, w: Writeback) -> Sequence[Step]:
        return [("fields", lambda: self._fields(w))]

    def _fields(self, w: Writeback) -> None:
        ticket = self._api.call("GET", f"/api/v2/tickets/{w.ticket}", deadline=w.deadline) or {}
        self._api.call("PUT", f"/api/v2/tickets/{w.ticket}",
                       json={"custom_fields": {self._field: w.risk_percent},
                             "tags": w.tags_from(ticket.get("tags") or [])},
                       deadline=w.deadline)

    def has_note(self, w: Writeback) -> bool:
        # oldest first, a page at a time: the note of a recent assessment is on the last pages
        for page in range(1, MAX_PAGES + 1):
            found: list[dict[str, Any]] = self._api.call(
                "GET", f"/api/v2/tickets/{w.ticket}/conversations",
                params={"per_page": str(PER_PAGE), "page": str(page)}, deadline=w.deadline) or []
            if any(c.get("private") and w.marker in str(c.get("body_text") or c.get("body") or "")
                   for c in found):
                return True
            if len(found) < PER_PAGE:
                return False
        return False

    def add_note(self, w: Writeback) -> None:
        self._api.call("POST", f"/api/v2/tickets/{w.ticket}/notes",
                       json={"body": self.note_body(w), "private": True}, deadline=w.deadline)

    @staticmethod
    def note_body(w: Writeback) -> str:
        """The note as posted: Freshdesk note bodies are HTML."""
        return html.escape(w.note_text()).replace("\n", "<br>")

    def close(self) -> None:
        self._api.close()
