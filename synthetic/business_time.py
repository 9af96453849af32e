"""Business-hours arithmetic for the simulated teams (Mon–Fri 08–17 local time, minus public holidays).

Times are plain floats (Unix seconds, UTC) so that the per-event loop stays cheap: each calendar
precomputes its opening intervals once, and adding or measuring business time is a bisect.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from zoneinfo import ZoneInfo

OPEN_HOUR, CLOSE_HOUR = 8, 17
HOUR = 3600.0


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month = (h + m - 7 * n + 114) // 31
    return dt.date(year, month, (h + m - 7 * n + 114) % 31 + 1)


def _weekday_of_month(year: int, month: int, weekday: int, last: bool) -> dt.date:
    if last:
        day = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return day - dt.timedelta(days=(day.weekday() - weekday) % 7)
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def holidays(tz: str, year: int) -> set[dt.date]:
    """The main public holidays of the teams' countries (Norway, Germany, the UK) in one year."""
    e = easter(year)
    easter_monday, good_friday = e + dt.timedelta(days=1), e - dt.timedelta(days=2)
    common = {dt.date(year, 1, 1), good_friday, easter_monday, dt.date(year, 12, 25), dt.date(year, 12, 26)}
    ascension, whit_monday = e + dt.timedelta(days=39), e + dt.timedelta(days=50)
    if tz == "Europe/Oslo":
        return common | {
            e - dt.timedelta(days=3),
            dt.date(year, 5, 1),
            dt.date(year, 5, 17),
            ascension,
            whit_monday,
            dt.date(year, 12, 24),
            dt.date(year, 12, 31),
        }
    if tz == "Europe/Berlin":
        return common | {dt.date(year, 5, 1), ascension, whit_monday, dt.date(year, 10, 3)}
    # UK bank holidays: early May, spring and summer Mondays.
    return common | {
        _weekday_of_month(year, 5, 0, last=False),
        _weekday_of_month(year, 5, 0, last=True),
        _weekday_of_month(year, 8, 0, last=True),
    }


class BusinessCalendar:
    """Opening intervals of one time zone between two dates (inclusive)."""

    def __init__(self, tz: str, first: dt.date, last: dt.date) -> None:
        zone = ZoneInfo(tz)
        self.tz = tz
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.cum: list[float] = []  # business seconds before interval i
        # Day starts (local midnight) and their UTC offsets, for local_hour().
        self._day_starts: list[float] = []
        self._offsets: list[float] = []
        closed = set().union(*(holidays(tz, y) for y in range(first.year, last.year + 1)))
        total, day = 0.0, first
        while day <= last:
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
            self._day_starts.append(midnight.timestamp())
            offset = midnight.utcoffset()
            self._offsets.append(offset.total_seconds() if offset is not None else 0.0)
            if day.weekday() < 5 and day not in closed:
                start = midnight.replace(hour=OPEN_HOUR).timestamp()
                end = midnight.replace(hour=CLOSE_HOUR).timestamp()
                self.starts.append(start)
                self.ends.append(end)
                self.cum.append(total)
                total += end - start
            day += dt.timedelta(days=1)
        if not self.starts:
            raise ValueError(f"no business day in {tz} between {first} and {last}; widen the date range")

    def position(self, t: float) -> float:
        """Business seconds from the calendar's start up to `t`."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        return self.cum[i] + min(t - self.starts[i], self.ends[i] - self.starts[i])

    def between(self, t0: float, t1: float) -> float:
        return self.position(t1) - self.position(t0) if t1 > t0 else 0.0

    def add(self, t: float, seconds: float) -> float:
        """The instant `seconds` of business time after `t` (past the calendar's end: wall time)."""
        target = self.position(t) + seconds
        j = bisect_right(self.cum, target) - 1
        j = max(j, 0)
        length = self.ends[j] - self.starts[j]
        if target - self.cum[j] > length:  # beyond the last interval
            return self.ends[-1] + (target - self.cum[-1] - length)
        return max(t, self.starts[j] + (target - self.cum[j]))

    def is_open(self, t: float) -> bool:
        i = bisect_right(self.starts, t) - 1
        return i >= 0 and t < self.ends[i]

    def local_hour(self, t: float) -> float:
        i = max(bisect_right(self._day_starts, t) - 1, 0)
        return ((t + self._offsets[i]) % 86400.0) / HOUR
