"""Write-back of the score to each helpdesk's REST API."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator

from core.bounds import BIGINT_END, YEAR_S
from core.enums import Band
from core.settings.section import Section, WebUrl


class HelpdeskWriteback(Section):
    """Write-back to one helpdesk's REST API (docs/helpdesks/writeback.md): the risk into a custom number
    field, the band as a tag, an internal note when the band rises. Credentials are secrets: never logged."""

    base_url: WebUrl = Field(description="e.g. https://acme.zendesk.com")
    tag_prefix: str = Field(default="escalation-", pattern=r"^[a-z0-9_-]*$",  # tag = prefix + band
                            description="lower-case letters, digits, _ and - (or nothing), e.g. escalation-")
    note_on_band_rise: bool = True  # an internal note with the reasons when the band rises; never public
    timeout_s: float = Field(default=10.0, gt=0, le=YEAR_S)
    # after a 429 without Retry-After, the helpdesk is not called again for this long
    rate_limit_wait_s: float = Field(default=60.0, gt=0, le=YEAR_S)


class ZendeskWriteback(HelpdeskWriteback):
    email: str = Field(min_length=3)  # the agent the API token belongs to: `{email}/token:{api_token}`
    api_token: SecretStr
    risk_field_id: int = Field(ge=1, lt=BIGINT_END)  # the numeric id of the "escalation risk" ticket field


FRESHDESK_TAG_MAX = 32  # Freshdesk refuses (400) an update whose tags hold a longer one


class FreshdeskWriteback(HelpdeskWriteback):
    api_key: SecretStr
    risk_field: str = Field(default="cf_escalation_risk", pattern=r"^cf_[a-z0-9_]+$",
                            description="a custom field's name: cf_ and lower-case letters, digits or _, "
                            "e.g. cf_escalation_risk")

    @field_validator("tag_prefix")
    @classmethod
    def _band_tags_fit(cls, prefix: str) -> str:
        band = max((b.value for b in Band), key=len)
        if len(prefix) + len(band) > FRESHDESK_TAG_MAX:
            raise ValueError(
                f"{prefix!r} makes the band tag '{prefix}{band}' {len(prefix) + len(band)} characters, and "
                f"Freshdesk refuses a tag over {FRESHDESK_TAG_MAX} (every update of a {band} ticket would be "
                f"refused): give a prefix of at most {FRESHDESK_TAG_MAX - len(band)} characters")
        return prefix


class ZammadWriteback(HelpdeskWriteback):
    token: SecretStr  # an access token with ticket.agent permission: `Authorization: Token token=…`
    risk_field: str = Field(default="escalation_risk", pattern=r"^[a-z][a-z0-9_]*$",
                            description="an object attribute's name: a lower-case letter, then lower-case "
                            "letters, digits or _, e.g. escalation_risk")


class WritebackSettings(Section):
    """Which helpdesks the score is written back to; None: that helpdesk is not written to. A ticket is
    written back when its id is `{helpdesk}-{the helpdesk's ticket id}` (zendesk-35436, freshdesk-12)."""

    zendesk: ZendeskWriteback | None = None
    freshdesk: FreshdeskWriteback | None = None
    zammad: ZammadWriteback | None = None

    def configured(self) -> dict[str, HelpdeskWriteback]:
        """The helpdesks written back to, by name."""
        found = {"zendesk": self.zendesk, "freshdesk": self.freshdesk, "zammad": self.zammad}
        return {name: config for name, config in found.items() if config is not None}
