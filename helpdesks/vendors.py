"""The three vendors behind one door: which mapping, which settings, for a webhook or an export."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from core.settings import HelpdeskWebhook, Settings
from helpdesks import freshdesk, zammad, zendesk
from helpdesks.common import Mapped, Vendor
from helpdesks.exports import Imported, Record

log = logging.getLogger("helpdesks")
WebhookMapping = Callable[[Any, HelpdeskWebhook, int], Mapped]
HistoryMapping = Callable[[Sequence[Record], HelpdeskWebhook, int], Imported]

WEBHOOKS: dict[Vendor, WebhookMapping] = {
    Vendor.ZENDESK: zendesk.webhook, Vendor.FRESHDESK: freshdesk.webhook, Vendor.ZAMMAD: zammad.webhook,
}
HISTORIES: dict[Vendor, HistoryMapping] = {
    Vendor.ZENDESK: zendesk.history, Vendor.FRESHDESK: freshdesk.history, Vendor.ZAMMAD: zammad.history,
}
# the record kinds of each vendor's export, by the file names that hold them (docs/helpdesks/)
EXPORT_KINDS: dict[Vendor, tuple[str, ...]] = {
    Vendor.ZENDESK: ("tickets", "audits", "users"),
    Vendor.FRESHDESK: ("tickets", "conversations"),
    Vendor.ZAMMAD: ("tickets", "articles", "history"),
}


def config_of(vendor: Vendor, settings: Settings) -> HelpdeskWebhook:
    config: HelpdeskWebhook = getattr(settings.helpdesks, vendor.value)
    return config


def map_webhook(vendor: Vendor, payload: Any, settings: Settings) -> Mapped:
    """A webhook's JSON as the project's ticket and events; PayloadError names the vendor's path. A webhook
    that maps to no event says why in the log (the ticket is still stored and assessed)."""
    mapped = WEBHOOKS[vendor](payload, config_of(vendor, settings), settings.serving.max_text_chars)
    if mapped.ignored is not None:
        log.info("%s webhook of ticket %s: %s; the ticket is assessed", vendor.value, mapped.ticket_id,
                 mapped.ignored)
    return mapped


def map_history(vendor: Vendor, records: Sequence[Record], settings: Settings) -> Imported:
    return HISTORIES[vendor](records, config_of(vendor, settings), settings.serving.max_text_chars)
