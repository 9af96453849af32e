"""The managers' dashboard."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from core.bounds import YEAR_HOURS, YEAR_MINUTES, YEAR_S
from core.settings.section import LongSecret, Section, TimeZoneName


class DashboardSettings(Section):
    # Signs the session cookie, at least 32 characters; unset: a random secret per process (sessions end when
    # the server restarts).
    secret: LongSecret | None = None
    # a session ends this long after its login
    session_hours: float = Field(default=12.0, gt=0, le=YEAR_HOURS)
    # Failed logins per client address: after `max_failed_logins` within `failed_login_window_minutes`, the
    # login form answers 429 with Retry-After until the oldest of them is older than the window.
    max_failed_logins: int = Field(default=10, ge=1, le=10_000)
    failed_login_window_minutes: float = Field(default=15.0, gt=0, le=YEAR_MINUTES)
    secure_cookie: bool = False  # True behind TLS: the browser then sends the cookie over HTTPS only
    poll_s: float = Field(default=15.0, ge=1, le=YEAR_S)  # the early-warning list refreshes itself this often
    page_size: int = Field(default=25, ge=1, le=200)
    # The manager's clock and language: times on the pages are local to `time_zone` (an IANA name); the
    # reasons and next steps are written in `language` (en, de or no).
    time_zone: TimeZoneName = "UTC"
    language: Literal["en", "de", "no"] = "en"
    # A ticket in the team's helpdesk, `{ticket_id}` standing for the id (URL-encoded): each ticket on the
    # board, its page and the CSV export link there. E.g. https://acme.zendesk.com/agent/tickets/{ticket_id}.
    # `{helpdesk_ticket_id}`: the helpdesk's own id of a ticket that came through its webhook or import
    # (zendesk-35436 -> 35436; docs/helpdesks/): https://acme.zendesk.com/agent/tickets/{helpdesk_ticket_id}
    helpdesk_ticket_url: str | None = None
    export_max_rows: int = Field(default=10_000, ge=1, le=1_000_000)  # the board's CSV export, at most

    @field_validator("helpdesk_ticket_url")
    @classmethod
    def _ticket_url_template(cls, value: str | None) -> str | None:
        web = value is None or value.startswith(("https://", "http://"))
        placed = value is not None and ("{ticket_id}" in value or "{helpdesk_ticket_id}" in value)
        if value is not None and (not web or not placed):
            raise ValueError(
                f"{value!r}: an http(s) URL with {{ticket_id}} where the ticket's id goes, such as "
                "https://acme.zendesk.com/agent/tickets/{ticket_id} ({helpdesk_ticket_id} for the helpdesk's "
                "own id of a ticket from its webhook: 35436 of zendesk-35436)"
            )
        return value
