"""What every section of the settings shares: no infinite or NaN numbers, IANA time zone names, and
the checkout the defaults are rooted in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, SecretStr

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

# Least characters of a secret an operator sets: the dashboard's secret signs every session cookie (five
# characters were accepted, guessed offline from one cookie); an API key or a webhook secret lets its holder
# in or signs what it sends. The development keys (keys.py DEV_API_KEYS) are defaults, never checked.
SECRET_MIN_CHARS = 32
KEY_MIN_CHARS = 16


def too_short(value: SecretStr, least: int) -> str | None:
    """What is wrong with a secret shorter than `least` characters, without its value or length."""
    if len(value.get_secret_value()) >= least:
        return None
    return (f"shorter than {least} characters; give at least {least} random characters, e.g. "
            "from `openssl rand -hex 32`")


def _long_secret(least: int) -> AfterValidator:
    def check(value: SecretStr) -> SecretStr:
        problem = too_short(value, least)
        if problem:
            raise ValueError(f"the secret is {problem}")
        return value

    return AfterValidator(check)


LongSecret = Annotated[SecretStr, _long_secret(SECRET_MIN_CHARS)]  # signs cookies: at least 32 characters
KeySecret = Annotated[SecretStr, _long_secret(KEY_MIN_CHARS)]  # a webhook's secret: at least 16 characters


class Section(BaseModel):
    """A section of the settings. No number in them may be infinite or NaN: `inf` minutes passed every
    `ge=0` and failed at first use (a timedelta overflow), in a request or the sweeper, not at start-up. A key
    a section does not know (`ESCALATION_SERVER='{"prot": 9000}'`) is refused, as a misspelt variable is: it
    was dropped, and the default stayed in force. A value that fails a check is not repeated in pydantic's
    error text (`hide_input_in_errors`): settings built in code (Settings(...)) put it there, and a secret
    in it reached the logs."""

    model_config = ConfigDict(allow_inf_nan=False, extra="forbid", hide_input_in_errors=True)


# An in-memory cache's estimated size (MB per process): a terabyte is more than any machine this runs on has,
# and past ~1e302 MB the cache's limit in bytes overflowed (OverflowError) where the service made it
CACHE_MB_MAX = 1_000_000

# The checkout the package runs from; defaults below are relative to it so that `make run`
# works from any working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
