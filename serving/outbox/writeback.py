"""Write-back through the outbox: each fresh assessment of a helpdesk ticket (`zendesk-35436`) whose
helpdesk is configured enqueues one `writeback` delivery, ref `writeback:{assessment id}` — once per
assessment by the outbox's unique ref — and `WritebackSink` delivers it with that helpdesk's client.

A retried delivery resumes after the steps it finished (the worker keeps them on the row), and the note is
looked for on the ticket before it is posted, so that it is posted once even when a worker died after
posting it. A 429's Retry-After becomes the delivery's earliest next attempt (the worker holds it back)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.assessment import TicketAssessment
from core.enums import Band
from core.settings import WritebackSettings
from helpdesks.writeback import HelpdeskClient, Writeback, WritebackError, helpdesk_ticket, write_back
from serving.outbox.sinks import DeliveryFailedError, Message
from serving.store.repository import WRITEBACK
from serving.wording.note import band_rise_note, band_rose, risk_percent


def writeback_payload(body: TicketAssessment, previous: Band | None, settings: WritebackSettings,
                      lang: str = "en") -> dict[str, Any] | None:
    """What to write back for this assessment (without its id, which the store adds), or None when the
    ticket is not a configured helpdesk's."""
    ticket = helpdesk_ticket(body.ticket_id)
    config = settings.configured().get(ticket.helpdesk) if ticket else None
    if ticket is None or config is None:
        return None
    rose = band_rose(body.band, previous)
    note = band_rise_note(body, previous, lang) if rose and config.note_on_band_rise else None
    return {"helpdesk": ticket.helpdesk, "ticket": ticket.number, "risk_percent": risk_percent(body.risk),
            "band": body.band.value, "previous_band": previous.value if previous else None, "note": note}


class WritebackSink:
    """Delivers `writeback` deliveries to one helpdesk (one sink a helpdesk: a rate limit holds back only
    that helpdesk's deliveries)."""

    def __init__(self, client: HelpdeskClient, tag_prefix: str, rate_limit_wait_s: float) -> None:
        self.name = f"writeback:{client.name}"
        self.client = client
        self._tag_prefix = tag_prefix
        self._wait_s = rate_limit_wait_s

    def accepts(self, message: Message) -> bool:
        return message.kind == WRITEBACK and message.payload.get("helpdesk") == self.client.name

    def send(self, message: Message) -> None:
        p = message.payload
        w = Writeback(ticket=int(p["ticket"]), assessment_id=int(p["assessment_id"]),
                      risk_percent=p["risk_percent"], band=Band(p["band"]), tag_prefix=self._tag_prefix,
                      note=p.get("note"))
        try:
            write_back(self.client, w, message.done)
        except WritebackError as exc:
            wait = (exc.retry_after_s if exc.retry_after_s is not None else self._wait_s) \
                if exc.rate_limited else None
            raise DeliveryFailedError(str(exc), retry_after_s=wait, done=exc.done) from None


def writeback_sinks(settings: WritebackSettings,
                    clients: Mapping[str, HelpdeskClient]) -> list[WritebackSink]:
    """One sink for each helpdesk client."""
    configured = settings.configured()
    return [WritebackSink(client, configured[name].tag_prefix, configured[name].rate_limit_wait_s)
            for name, client in clients.items()]
