"""Durations in policy files: "30m", "2h", "1h30m", "1d", "90s".

`d` means 24 hours of *counted* time — open time of the policy's calendar — not "one business day":
a business day differs between calendars (8 h in an office, 24 h on a 24/7 desk), so writing the
hours ("8h") is the only spelling that reads the same in every calendar.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

_UNITS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
# Units in falling order, each at most once, optional spaces between parts: "1h30m", "1h 30m".
_PATTERN = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$")
_HINT = "write a whole number followed by d, h, m or s, largest unit first, e.g. '30m', '2h', '1h30m', '1d'"


# Longer than any deadline the engine computes (it looks ten years ahead, rules/calendar.py), and short
# enough that no count of days overflows a timedelta.
LONGEST = timedelta(days=3650)


def parse_duration(value: object) -> timedelta:
    """Parse a policy-file duration. Bare numbers are refused: "30" could be minutes or hours."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"{_quoted(value)} is not a duration: {_HINT}")
    match = _PATTERN.match(value)
    if match is None or not any(match.groups()):
        raise ValueError(f"{_quoted(value)} is not a duration: {_HINT}")
    counts = [(n, u) for n, u in zip(match.groups(), "dhms", strict=True) if n]
    # More than nine digits is over the limit in any unit (and int() refuses thousands of them).
    if any(len(n) > 9 for n, _ in counts) or (
        seconds := sum(int(n) * _UNITS[u] for n, u in counts)
    ) > LONGEST.total_seconds():
        longest = format_duration(LONGEST)
        raise ValueError(f"{_quoted(value)} is longer than {longest}, the longest duration accepted")
    return timedelta(seconds=seconds)


def _quoted(value: object, limit: int = 40) -> str:
    """The value as a message quotes it: a megabyte of text is not echoed back."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + "…"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + "…"


@lru_cache(maxsize=4096)  # the same few targets, leads and delays appear in every action's reason
def format_duration(value: timedelta) -> str:
    """The inverse of `parse_duration` for display: 5400 s -> "1h30m"; negative values get a "-"."""
    total = int(value.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    if total == 0:
        return "0m"
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + "".join(parts)
