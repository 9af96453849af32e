"""Write-back through the outbox: each fresh assessment of a helpdesk ticket (`zendesk-35436`) whose
helpdesk is configured enqueues one `writeback` delivery, ref `writeback:{assessment id}` — once per
assessment by the outbox's unique ref, and not at all when its rounded risk and band are those of the
ticket's latest write-back (the store decides, in the assessment's transaction) — and `WritebackSink`
delivers it with that helpdesk's client. A helpdesk that refuses the call for good (a 4xx other than 408,
409 and 429: the ticket is gone or closed) fails the delivery at once. A ticket the helpdesk has no more (404,
410: deleted or merged away) or takes no more updates of (Zendesk's closed ticket), and no webhook said so, is
`gone`: said once in the log, and not written back again until an event of it arrives (the store decides) —
else every re-assessment would cost a refusal forever.

A retried delivery resumes after the steps it finished (the worker keeps them on the row), and the note is
looked for on the ticket before it is posted, so that it is posted once even when a worker died after
posting it. A 429's Retry-After becomes the delivery's earliest next attempt (the worker holds back the
helpdesk, or only the ticket when the 429 was the ticket's own update limit: Zendesk's). A
delivery retried after a newer assessment of its ticket was written back posts its note only: its risk and
tag are out of date."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy import exists, select

from core.assessment import TicketAssessment
from core.enums import Band, TicketStatus
from core.settings import WritebackSettings
from helpdesks.writeback import HelpdeskClient, Writeback, WritebackError, helpdesk_ticket, write_back
from serving.outbox.payload import WritebackPayload
from serving.outbox.sinks import DeliveryFailedError, Message
from serving.store.database import Database
from serving.store.repository import WRITEBACK
from serving.store.tables import DeliveryRow
from serving.wording.note import band_rise_note, band_rose, risk_percent

log = logging.getLogger("serving.outbox")


def writeback_payload(body: TicketAssessment, previous: Band | None, settings: WritebackSettings,
                      lang: str = "en") -> WritebackPayload | None:
    """What to write back for this assessment (without its id, which the store adds), or None when the
    ticket is not a configured helpdesk's, or is closed or withdrawn: no one works a closed ticket, and
    Zendesk refuses any update of one (422), which failed the last write-back of every ticket it closed; a
    withdrawn one is merged away, deleted (a 404) or spam."""
    ticket = helpdesk_ticket(body.ticket_id)
    config = settings.configured().get(ticket.helpdesk) if ticket else None
    if ticket is None or config is None or body.state.status in (TicketStatus.CLOSED, TicketStatus.WITHDRAWN):
        return None
    rose = band_rose(body.band, previous)
    note = band_rise_note(body, previous, lang) if rose and config.note_on_band_rise else None
    return WritebackPayload(helpdesk=ticket.helpdesk, ticket=ticket.number,
                            risk_percent=risk_percent(body.risk), band=body.band, previous_band=previous,
                            note=note)


def sink_name(helpdesk: str) -> str:
    """The outbox sink of one helpdesk's write-backs: its attempts are kept on the row under this name."""
    return f"{WRITEBACK}:{helpdesk}"


class WritebackSink:
    """Delivers `writeback` deliveries to one helpdesk (one sink a helpdesk: a rate limit holds back only
    that helpdesk's deliveries)."""

    def __init__(self, client: HelpdeskClient, tag_prefix: str, rate_limit_wait_s: float,
                 database: Database) -> None:
        self.name = sink_name(client.name)
        self.client = client
        self._tag_prefix = tag_prefix
        self._wait_s = rate_limit_wait_s
        self._db = database

    def accepts(self, message: Message) -> bool:
        return message.kind == WRITEBACK and \
            WritebackPayload.from_json(message.payload).helpdesk == self.client.name

    def send(self, message: Message) -> None:
        p = WritebackPayload.from_json(message.payload)
        if p.assessment_id is None:  # the store adds it to every write-back it enqueues
            raise ValueError(f"delivery {message.delivery_id}: a write-back without its assessment_id")
        w = Writeback(ticket=p.ticket, assessment_id=p.assessment_id,
                      risk_percent=p.risk_percent, band=p.band, tag_prefix=self._tag_prefix,
                      note=p.note, deadline=message.deadline)
        current = not self._newer_written(message)
        try:
            write_back(self.client, w, message.done, fields=current)
        except WritebackError as exc:
            wait = None  # a rate limit without Retry-After waits rate_limit_wait_s
            if exc.rate_limited:
                wait = exc.retry_after_s if exc.retry_after_s is not None else self._wait_s
            if exc.gone:  # ids only: once, as the ticket is not written back again until it shows life
                why = "takes no more updates of the closed ticket" if exc.status == 422 else \
                    "has no such ticket (deleted, or merged into another)"
                log.warning("ticket %s: %s %s (HTTP %s); not written back again until an event of the ticket "
                            "arrives", message.ticket_id, self.client.name, why, exc.status)
            raise DeliveryFailedError(str(exc), retry_after_s=wait, ticket_only=exc.ticket_only,
                                      permanent=exc.permanent, unanswered=exc.unanswered,
                                      done=exc.done, gone=exc.gone) from None
        # ids only: the note holds customer words
        log.info("delivery %d: written back to %s ticket %d (band %s%s)", message.delivery_id,
                 self.client.name, w.ticket, w.band.value, "" if current else "; superseded, note only")

    def _newer_written(self, message: Message) -> bool:
        """A later write-back of the same ticket has been delivered."""
        newer = select(DeliveryRow.id).where(
            DeliveryRow.kind == WRITEBACK, DeliveryRow.ticket_id == message.ticket_id,
            DeliveryRow.id > message.delivery_id, DeliveryRow.status == "delivered")
        with self._db.session() as s:
            return bool(s.execute(select(exists(newer))).scalar())


def writeback_sinks(settings: WritebackSettings, clients: Mapping[str, HelpdeskClient],
                    database: Database) -> list[WritebackSink]:
    """One sink for each helpdesk client."""
    configured = settings.configured()
    return [WritebackSink(client, configured[name].tag_prefix, configured[name].rate_limit_wait_s, database)
            for name, client in clients.items()]
