"""What every section of the settings shares: no infinite or NaN numbers, IANA time zone names, and
the checkout the defaults are rooted in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict

from core.zones import is_time_zone


def _known_timezone(value: str) -> str:
    if not is_time_zone(value):
        raise ValueError(f"unknown time zone {value!r}; give an IANA name such as 'Europe/Oslo'")
    return value


TimeZoneName = Annotated[str, AfterValidator(_known_timezone)]  # an IANA name: Europe/Oslo, UTC


def _web_address(value: str) -> str:
    # `^https?://` alone let "https://" (no host) and a pasted space through: every call failed at first use.
    # The message never repeats the URL, which may carry a token.
    try:
        parts = urlsplit(value)
        fits = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is no number, or out of range
        fits = False
    if not fits or any(c.isspace() or not c.isprintable() for c in value):
        raise ValueError("the URL is not a web address: give http:// or https://, a host, and no spaces, "
                         "e.g. https://hooks.example.com/escalation")
    return value


WebUrl = Annotated[str, AfterValidator(_web_address)]  # a webhook's or a helpdesk's http(s) address


class Section(BaseModel):
    """A section of the settings. No number in them may be infinite or NaN: `inf` minutes passed every
    `ge=0` and failed at first use (a timedelta overflow), in a request or the sweeper, not at start-up. A key
    a section does not know (`ESCALATION_SERVER='{"prot": 9000}'`) is refused, as a misspelt variable is: it
    was dropped, and the default stayed in force."""

    model_config = ConfigDict(allow_inf_nan=False, extra="forbid")


# An in-memory cache's estimated size (MB per process): a terabyte is more than any machine this runs on has,
# and past ~1e302 MB the cache's limit in bytes overflowed (OverflowError) where the service made it
CACHE_MB_MAX = 1_000_000

# The checkout the package runs from; defaults below are relative to it so that `make run`
# works from any working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
