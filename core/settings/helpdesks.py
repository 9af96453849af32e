"""Inbound webhooks and history imports of each helpdesk."""

from __future__ import annotations

from pydantic import Field, field_validator

from core.enums import Channel, TicketStatus
from core.settings.section import KeySecret, Section


class HelpdeskWebhook(Section):
    """One helpdesk's inbound webhook, POST /v1/integrations/{vendor} (docs/helpdesks/). The route is off
    (404, saying what to set) while `webhook_secret` is unset; the secret is never logged. The helpdesk
    signs (Zendesk, Zammad) or presents (Freshdesk) the secret instead of an API key. The other fields fill
    what the helpdesk does not send, for webhooks and `escalation import` alike."""

    webhook_secret: KeySecret | None = None  # at least 16 characters
    # A ticket's fields the helpdesk has no counterpart for (data/README.md "Tickets")
    customer_tier: str = Field(default="standard", min_length=1, max_length=200)
    product: str = Field(default="unknown", min_length=1, max_length=200)
    category: str = Field(default="general", min_length=1, max_length=200)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}$",
                          description="a language code of 2 or 3 lower-case letters, e.g. en")
    team: str = Field(default="support", min_length=1, max_length=200)  # a ticket in no group
    # The helpdesk's group (its id or name, as the payload carries it) -> the team's name here,
    # e.g. {"8447320466430": "billing"}; a group not listed is its id or name as sent
    groups: dict[str, str] = Field(default={})
    # Statuses and channels a helpdesk was customised with, lower case -> ours, e.g.
    # {"waiting on customer": "pending"}; they extend the built-in table of each vendor
    statuses: dict[str, TicketStatus] = Field(default={})
    channels: dict[str, Channel] = Field(default={})

    @field_validator("statuses", "channels", mode="before")
    @classmethod
    def _lower_keys(cls, value: object) -> object:
        return {str(k).strip().lower(): v for k, v in value.items()} if isinstance(value, dict) else value


class HelpdeskSettings(Section):
    """Inbound webhooks and history imports of each helpdesk (docs/helpdesks/): e.g.
    ESCALATION_HELPDESKS__ZENDESK__WEBHOOK_SECRET. Write-back to the helpdesk is not configured here."""

    zendesk: HelpdeskWebhook = HelpdeskWebhook()
    freshdesk: HelpdeskWebhook = HelpdeskWebhook()
    zammad: HelpdeskWebhook = HelpdeskWebhook()
