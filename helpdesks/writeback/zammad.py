"""Zammad: `PUT /api/v1/tickets/{id}` sets the risk (a custom object attribute of the ticket); tags are
added and removed one at a time (`POST /api/v1/tags/add`, `/api/v1/tags/remove`) after reading the
ticket's tags, so only what changes is sent; the note is an article `type: note, internal: true`.
Auth: `Authorization: Token token=…` (an access token with the ticket.agent permission)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from core.settings import ZammadWriteback
from helpdesks.writeback.api import HelpdeskApi
from helpdesks.writeback.client import Step
from helpdesks.writeback.request import Writeback


class ZammadClient:
    name = "zammad"

    def __init__(self, settings: ZammadWriteback, transport: httpx.BaseTransport | None = None) -> None:
        headers = {"Accept": "application/json",
                   "Authorization": f"Token token={settings.token.get_secret_value()}"}
        self._api = HelpdeskApi(self.name, settings.base_url, headers, settings.timeout_s,
                                credential=("TOKEN",), transport=transport)
        self._field = settings.risk_field

    def steps(self, w: Writeback) -> Sequence[Step]:
        return [
            ("fields", lambda: self._api.call("PUT", f"/api/v1/tickets/{w.ticket}",
                                               json={self._field: w.risk_percent}, deadline=w.deadline)),
            ("tags", lambda: self._tags(w)),
        ]

    def _tags(self, w: Writeback) -> None:
        found = self._api.call("GET", "/api/v1/tags", params={"object": "Ticket", "o_id": str(w.ticket)},
                               deadline=w.deadline)
        have = set((found or {}).get("tags") or [])
        for tag in sorted(have & set(w.other_tags)):
            self._api.call("POST", "/api/v1/tags/remove", json=self._tag(w.ticket, tag), deadline=w.deadline)
        if w.tag not in have:
            self._api.call("POST", "/api/v1/tags/add", json=self._tag(w.ticket, w.tag), deadline=w.deadline)

    @staticmethod
    def _tag(ticket: int, item: str) -> dict[str, Any]:
        return {"object": "Ticket", "o_id": ticket, "item": item}

    def has_note(self, w: Writeback) -> bool:
        found: list[dict[str, Any]] = self._api.call(
            "GET", f"/api/v1/ticket_articles/by_ticket/{w.ticket}", deadline=w.deadline) or []
        return any(a.get("internal") and w.marker in str(a.get("body", "")) for a in found)

    def add_note(self, w: Writeback) -> None:
        self._api.call("POST", "/api/v1/ticket_articles", json={
            "ticket_id": w.ticket, "body": w.note_text(), "content_type": "text/plain",
            "type": "note", "internal": True,
        }, deadline=w.deadline)

    def close(self) -> None:
        self._api.close()
