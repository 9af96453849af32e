"""IANA time zone names: the one check of a name that calendars, history mappings and settings accept."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

# In the zone database but no place's time: `localtime` is the machine's own zone (a policy in it would count
# other hours on another machine), `Factory` a placeholder, `posixrules` the default rules of POSIX strings.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) - NOT_PLACES


def is_time_zone(name: str) -> bool:
    """Whether `name` is a zone of the IANA database (Europe/Oslo, UTC). A folder of the database
    (`Europe`), a path or a name too long for a file is not one: opening those raised an OSError."""
    return name in _zones()
