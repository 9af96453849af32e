"""Business calendars: which instants count towards an SLA clock.

Opening hours are local wall-clock intervals in an IANA time zone; an interval is converted to real
instants day by day, so a DST day with a 24/7 calendar has 23 or 25 counted hours, as the clock on
the wall does. Intervals are half-open: 08:00-16:00 is open at 08:00 and closed at 16:00.

Internally every instant is an integer of microseconds since the Unix epoch: exact (no float drift,
so `elapsed(a, add(a, d)) == d` holds to the microsecond) and cheap to compare.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from core.errors import ConfigError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
_MINUTE_US = 60_000_000
_DAY_MINUTES = 1_440
_QUARTER_US = 15 * _MINUTE_US
# Ten years: how far a deadline is looked for (a policy file's targets fit, CalendarSpec.least_open); guards
# against calendars that never open.
SEARCH_DAYS = 3_700


Spans = tuple[tuple[int, int], ...]  # open intervals [start, end) in epoch µs
Day = tuple[int, int, Spans]  # (proleptic ordinal, running open total at its start, open intervals)


def to_us(t: datetime) -> int:
    if t.tzinfo is None:
        raise ValueError(f"{t.isoformat()} has no time zone; pass an aware datetime (e.g. with tzinfo=UTC)")
    return (t - EPOCH) // US


def from_us(us: int) -> datetime:
    return EPOCH + us * US  # exact, and twice as fast as timedelta(microseconds=us)


class BusinessCalendar:
    """Named opening hours in one time zone, with holidays (whole local days closed).

    `weekly` maps weekday (0 = Monday) to sorted, non-overlapping (start, end) minutes of the local
    day, end <= 1440. `holidays` are fixed dates; `recurring` are (month, day) closed every year.
    """

    def __init__(
        self,
        name: str,
        timezone: str,
        weekly: Mapping[int, Iterable[tuple[int, int]]],
        holidays: Iterable[date] = (),
        recurring: Iterable[tuple[int, int]] = (),
        version: str = "",
    ) -> None:
        self.name = name
        self.timezone = timezone
        self.tz = ZoneInfo(timezone)
        self.weekly = {d: tuple(sorted(weekly.get(d, ()))) for d in range(7)}
        self.holidays = frozenset(holidays)
        self.recurring = frozenset(recurring)
        self.version = version
        self._week_us = sum(e - s for spans in self.weekly.values() for s, e in spans) * _MINUTE_US
        if self._week_us == 0:
            raise ConfigError(f"calendar {name!r} has no opening hours; give at least one interval a week")
        self._days: dict[int, Spans] = {}
        self._quarters: dict[int, Day] = {}
        self._origin = 0  # the local day of self._totals[0]
        self._totals: list[int] = []  # running open time at the start of each day from the origin
        # One calendar serves every request thread: the running totals grow under this lock, and are read
        # under it where a read needs the origin and the list to agree.
        self._lock = threading.RLock()

    # -- public API, in datetimes ---------------------------------------------------------------
    def is_open(self, t: datetime) -> bool:
        return self.is_open_us(to_us(t))

    def next_open(self, t: datetime) -> datetime:
        """`t` itself when open, else the next opening instant."""
        return from_us(self.next_open_us(to_us(t)))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which `duration` of open time has passed since `start`. A duration that
        ends exactly at closing time gives the closing instant (a reply at 15:59:59 is in time)."""
        return from_us(self.add_us(to_us(start), duration // US))

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Open time in [a, b); zero when b <= a."""
        return timedelta(microseconds=self.elapsed_us(to_us(a), to_us(b)))

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays or (day.month, day.day) in self.recurring

    # -- the same in integer microseconds (the engine's hot path) ---------------------------------
    # Both rest on one running total, `total_us(t)`: the open time from a fixed origin up to `t`.
    # Elapsed time is a difference of two totals and `add` a search in the per-day totals, so
    # neither walks the days in between: a ten-day target costs as little as a one-hour one.
    def add_us(self, start: int, duration: int) -> int:
        if duration <= 0:
            return start
        return self.at_total_us(self.total_us(start) + duration, start)

    def elapsed_us(self, a: int, b: int) -> int:
        return self.total_us(b) - self.total_us(a) if b > a else 0

    def total_us(self, us: int) -> int:
        """Open time from the calendar's origin up to `us` (negative before it): the running total."""
        _, total, spans = self._day_of(us)
        for s, e in spans:
            if e > us:
                return total + max(us - s, 0)
            total += e - s
        return total

    def at_total_us(self, wanted: int, after: int) -> int:
        """The first instant at or after `after` at which the running total reaches `wanted` — so
        a total used up exactly at closing gives the closing instant (a reply then is in time)."""
        # _totals[i] is the total at the start of day origin + i, i.e. at the end of the day before:
        # the first index from the day after `after` on that reaches `wanted` ends the wanted day.
        first = self._day_of(after)[0]
        with self._lock:
            lo = first + 1 - self._origin
            i = bisect_left(self._totals, wanted, lo) if 0 < lo < len(self._totals) else len(self._totals)
            if i == len(self._totals):  # beyond the days covered so far (rare): grow, then look again
                i = self._grow_to(wanted, first, after)
            left = wanted - self._totals[i - 1]
            day = self._origin + i - 1
        for s, e in self.day_spans(day):
            if e - s >= left:
                return max(s + left, after)
            left -= e - s
        raise AssertionError("unreachable: the day's total reaches `wanted`")  # pragma: no cover

    def next_open_us(self, t: int) -> int:
        day = self._ordinal(t)
        for _ in range(SEARCH_DAYS):
            for s, e in self.day_spans(day):
                if e > t:
                    return max(s, t)
            day += 1
        raise ConfigError(f"calendar {self.name!r} does not open in ten years after {from_us(t)}")

    def open_spans(self, a: int, b: int) -> Iterator[tuple[int, int]]:
        """The open intervals within [a, b), for the explain timeline."""
        for day in range(self._ordinal(a), self._ordinal(b) + 1):
            for s, e in self.day_spans(day):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    yield lo, hi

    def day_spans(self, ordinal: int) -> Spans:
        """Open intervals of one local day (by proleptic ordinal) as epoch microseconds."""
        spans = self._days.get(ordinal)
        if spans is None:
            day = date.fromordinal(ordinal)
            spans = ()
            if not self.is_holiday(day):
                local = [
                    (self._local_us(day, s), self._local_us(day, e)) for s, e in self.weekly[day.weekday()]
                ]
                # An interval in a spring-forward gap (02:30-03:00) has no real time: leave it out.
                spans = tuple((s, e) for s, e in local if e > s)
            self._days[ordinal] = spans
        return spans

    def is_open_us(self, us: int) -> bool:
        return any(s <= us < e for s, e in self._day_of(us)[2])

    # -- helpers ----------------------------------------------------------------------------------
    def _ordinal(self, us: int) -> int:
        return self._day_of(us)[0]

    def _day_of(self, us: int) -> Day:
        """The local day of `us`: its ordinal, the running total at its start, its open intervals."""
        # Offsets and their changes fall on quarter hours in every IANA zone, so the local date is
        # constant within a UTC quarter hour: memoise by quarter hour (the engine's hottest call).
        bucket = us // _QUARTER_US
        day = self._quarters.get(bucket)
        if day is None:
            ordinal = from_us(bucket * _QUARTER_US).astimezone(self.tz).toordinal()
            day = (ordinal, self._day_total(ordinal), self.day_spans(ordinal))
            self._quarters[bucket] = day
        return day

    def _day_total(self, ordinal: int) -> int:
        """The running total at the start of local day `ordinal` (called on a memo miss: rare)."""
        with self._lock:
            i = ordinal - self._origin
            if 0 <= i < len(self._totals):
                return self._totals[i]
            self._cover(ordinal)
            return self._totals[ordinal - self._origin]

    def _cover(self, ordinal: int) -> None:
        # Totals are kept for a contiguous run of days and grown on demand in either direction:
        # a service meets only a few years of dates (instants are bounded, core.tickets), so this stays
        # a few thousand integers. Growing backwards prepends all missing days at once: linear, not the
        # quadratic one-at-a-time insert at the front.
        if not self._totals:
            self._origin, self._totals = ordinal, [0]
        if ordinal < self._origin:
            lengths = [self._day_length(day) for day in range(ordinal, self._origin)]
            prefix = list(accumulate(reversed(lengths), initial=0))[:0:-1]  # open time from each day on
            self._totals[0:0] = [self._totals[0] - before for before in prefix]
            self._origin = ordinal
        while ordinal >= self._origin + len(self._totals):
            last = self._origin + len(self._totals) - 1
            self._totals.append(self._totals[-1] + self._day_length(last))

    def _day_length(self, ordinal: int) -> int:
        return sum(e - s for s, e in self.day_spans(ordinal))

    def _grow_to(self, wanted: int, first: int, after: int) -> int:
        """Cover days until the running total reaches `wanted`; the index of the first such day's end."""
        limit = first + SEARCH_DAYS
        self._day_total(first)  # both ends of day `first`: then the search below starts at index >= 1
        self._day_total(first + 1)
        while self._totals[-1] < wanted:
            end = self._origin + len(self._totals) - 1
            if end > limit:
                raise ConfigError(
                    f"calendar {self.name!r} has no open time in ten years after {from_us(after)}"
                )
            # Jump by the weeks still needed (plus one), then check again.
            weeks = (wanted - self._totals[-1]) // self._week_us + 1
            self._day_total(min(end + 7 * weeks, limit + 1))
        return bisect_left(self._totals, wanted, first + 1 - self._origin)

    def _local_us(self, day: date, minute: int) -> int:
        if minute >= _DAY_MINUTES:  # 24:00 is the next day's midnight
            day, minute = day + timedelta(days=1), minute - _DAY_MINUTES
        hour, minute = divmod(minute, 60)
        return to_us(datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz))

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.name!r}, {self.timezone!r}, version={self.version!r})"
