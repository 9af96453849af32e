"""Write-back: an assessment's risk, band tag and (when the band rises) internal note, written to the
helpdesk ticket it is about through the helpdesk's REST API. Delivery, retries and rate limits are the
outbox's (serving/outbox/writeback.py); this package knows only the helpdesks' APIs."""

from helpdesks.writeback.api import WritebackError, retry_after
from helpdesks.writeback.client import NOTE, HelpdeskClient, clients_from, write_back
from helpdesks.writeback.request import HELPDESKS, HelpdeskTicket, Writeback, helpdesk_ticket

__all__ = ["HELPDESKS", "NOTE", "HelpdeskClient", "HelpdeskTicket", "Writeback", "WritebackError",
           "clients_from", "helpdesk_ticket", "retry_after", "write_back"]
