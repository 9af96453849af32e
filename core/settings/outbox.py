"""The outbox: webhooks, e-mail, retries and the lease of a delivery."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, SecretStr, field_validator, model_validator

from core.bounds import YEAR_S
from core.settings.section import KeySecret, Section, WebUrl


class WebhookTarget(Section):
    url: WebUrl
    name: str = "webhook"


_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+")


def _address(value: str) -> str:
    # anything went: an address the SMTP server refused failed every e-mail at first use, at every attempt
    if not _ADDRESS.fullmatch(value):
        raise ValueError("the address is not an e-mail address: give one as name@domain, without spaces or a "
                         "display name")
    return value


EmailAddress = Annotated[str, AfterValidator(_address)]


class EmailSettings(Section):
    """SMTP delivery; off while `host` is None. The password is a secret: never logged."""

    host: str | None = None
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    username: str | None = None
    password: SecretStr | None = None
    sender: EmailAddress = "escalation@localhost"
    recipients: list[EmailAddress] = Field(default=[])
    timeout_s: float = Field(default=10.0, gt=0, le=YEAR_S)

    @field_validator("host")
    @classmethod
    def _host_alone(cls, value: str | None) -> str | None:
        # smtp://… or a pasted space failed every e-mail at connect; the value is never repeated (a URL may
        # carry a password)
        if value is not None and ("://" in value or any(c.isspace() for c in value)):
            url = "a URL" if "://" in value else "not a host name"
            raise ValueError(f"the host is {url}; give the SMTP server's host name alone (the port is "
                             "ESCALATION_OUTBOX__EMAIL__PORT), e.g. mail.acme.example")
        return value


# the share of the outbox's lease kept free at the end of an attempt (OutboxSettings.attempt_budget_s)
LEASE_MARGIN = 0.1


class OutboxSettings(Section):
    """The outbox worker: webhooks signed with HMAC-SHA256, a log sink, e-mail when configured."""

    enabled: bool = True  # run inside the API process
    webhooks: list[WebhookTarget] = Field(default=[])
    webhook_secret: KeySecret | None = None  # shared secret of X-Escalation-Signature, at least 16 characters
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=YEAR_S)
    log: bool = True  # log each delivery (kind, ref, ticket id; never the payload's text)
    email: EmailSettings = EmailSettings()
    max_attempts: int = Field(default=8, ge=1, le=1_000)
    # attempt n waits base * 2**(n-1), jittered, capped
    backoff_base_s: float = Field(default=2.0, gt=0, le=YEAR_S)
    backoff_max_s: float = Field(default=600.0, gt=0, le=YEAR_S)
    # a claimed delivery whose worker died is retried after this
    lease_s: float = Field(default=120.0, gt=0, le=YEAR_S)
    poll_s: float = Field(default=2.0, gt=0, le=YEAR_S)
    batch_size: int = Field(default=50, ge=1, le=10_000)

    @model_validator(mode="after")
    def _complete(self) -> OutboxSettings:
        if self.webhooks and self.webhook_secret is None:
            raise ValueError("outbox.webhooks are set but outbox.webhook_secret is not; set "
                             "ESCALATION_OUTBOX__WEBHOOK_SECRET so that receivers can verify the signature")
        if self.email.host and not self.email.recipients:
            raise ValueError("outbox.email.host is set but outbox.email.recipients is empty; add a recipient")
        hooks = len(self.webhooks)
        parts = [(f"{hooks} webhook{'s' * (hooks > 1)} × {self.webhook_timeout_s:g} s",
                  hooks * self.webhook_timeout_s)] if hooks else []
        parts += [(f"e-mail {self.email.timeout_s:g} s", self.email.timeout_s)] if self.email.host else []
        attempt = sum(seconds for _, seconds in parts)
        if parts and self.lease_s <= attempt:  # the claim would run out while its worker still sends
            raise ValueError(
                f"outbox.lease_s ({self.lease_s:g} s) is not longer than one delivery attempt may take "
                f"({' + '.join(said for said, _ in parts)} = {attempt:g} s): a slow receiver's delivery "
                "would be taken over by another worker and sent twice; give ESCALATION_OUTBOX__LEASE_S above "
                f"{attempt:g}"
            )
        return self

    @property
    def attempt_budget_s(self) -> float:
        """How long one attempt's calls may run (a helpdesk write-back's many calls stop there): the lease
        less a tenth, kept for recording the outcome before the claim runs out and another worker may take
        the delivery over."""
        return self.lease_s * (1 - LEASE_MARGIN)
