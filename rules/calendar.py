"""Business calendars: which instants count towards an SLA clock.

Opening hours are local wall-clock intervals in an IANA time zone; an interval is converted to real
instants day by day, so a DST day with a 24/7 calendar has 23 or 25 counted hours, as the clock on
the wall does. Intervals are half-open: 08:00-16:00 is open at 08:00 and closed at 16:00.

Internally every instant is an integer of microseconds since the Unix epoch: exact (no float drift,
so `elapsed(a, add(a, d)) == d` holds to the microsecond) and cheap to compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.errors import ConfigError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
_MINUTE_US = 60_000_000
_DAY_MINUTES = 1_440
_QUARTER_US = 15 * _MINUTE_US
_SEARCH_DAYS = 3_700  # ten years: longer than any target; guards against calendars that never open


def to_us(t: datetime) -> int:
    if t.tzinfo is None:
        raise ValueError(f"{t.isoformat()} has no time zone; pass an aware datetime (e.g. with tzinfo=UTC)")
    return (t - EPOCH) // US


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


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
        self._days: dict[int, tuple[tuple[int, int], ...]] = {}
        self._plain: dict[int, bool] = {}
        self._ordinals: dict[int, int] = {}

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
    def add_us(self, start: int, duration: int) -> int:
        if duration <= 0:
            return start
        day = self._ordinal(start)
        for _ in range(_SEARCH_DAYS):
            for s, e in self.day_spans(day):
                if e <= start:
                    continue
                s = max(s, start)
                if e - s >= duration:
                    return s + duration
                duration -= e - s
            day += 1
            # Whole weeks without holidays or offset changes are skipped in one step.
            while duration > self._week_us and self._is_plain_week(day):
                duration -= self._week_us
                day += 7
        raise ConfigError(f"calendar {self.name!r} has no open time in ten years after {from_us(start)}")

    def elapsed_us(self, a: int, b: int) -> int:
        if b <= a:
            return 0
        total = 0
        day, last = self._ordinal(a), self._ordinal(b)
        while day <= last:
            if day + 7 <= last and self._is_plain_week(day) and self._day_start(day) >= a:
                total += self._week_us
                day += 7
                continue
            for s, e in self.day_spans(day):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
            day += 1
        return total

    def next_open_us(self, t: int) -> int:
        day = self._ordinal(t)
        for _ in range(_SEARCH_DAYS):
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

    def day_spans(self, ordinal: int) -> tuple[tuple[int, int], ...]:
        """Open intervals of one local day (by proleptic ordinal) as epoch microseconds."""
        spans = self._days.get(ordinal)
        if spans is None:
            day = date.fromordinal(ordinal)
            if self.is_holiday(day):
                spans = ()
            else:
                spans = tuple(
                    (self._local_us(day, s), self._local_us(day, e)) for s, e in self.weekly[day.weekday()]
                )
            self._days[ordinal] = spans
        return spans

    # -- helpers ----------------------------------------------------------------------------------
    def _ordinal(self, us: int) -> int:
        # Offsets and their changes fall on quarter hours in every IANA zone, so the local date is
        # constant within a UTC quarter hour: memoise by quarter hour (the engine's hottest call).
        bucket = us // _QUARTER_US
        ordinal = self._ordinals.get(bucket)
        if ordinal is None:
            ordinal = from_us(bucket * _QUARTER_US).astimezone(self.tz).toordinal()
            self._ordinals[bucket] = ordinal
        return ordinal

    def is_open_us(self, us: int) -> bool:
        return any(s <= us < e for s, e in self.day_spans(self._ordinal(us)))

    def _local_us(self, day: date, minute: int) -> int:
        if minute >= _DAY_MINUTES:  # 24:00 is the next day's midnight
            day, minute = day + timedelta(days=1), minute - _DAY_MINUTES
        hour, minute = divmod(minute, 60)
        return to_us(datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz))

    def _day_start(self, ordinal: int) -> int:
        return self._local_us(date.fromordinal(ordinal), 0)

    def _is_plain_week(self, ordinal: int) -> bool:
        """Seven days from `ordinal` with no holiday and one UTC offset: open time is the nominal week."""
        plain = self._plain.get(ordinal)
        if plain is None:
            days = [date.fromordinal(ordinal + i) for i in range(8)]
            offsets = {
                datetime(d.year, d.month, d.day, h, tzinfo=self.tz).utcoffset() for d in days for h in (0, 12)
            }
            plain = len(offsets) == 1 and not any(self.is_holiday(d) for d in days[:7])
            self._plain[ordinal] = plain
        return plain

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.name!r}, {self.timezone!r}, version={self.version!r})"
