from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sla_helpers import OSLO, at

from core.errors import ConfigError
from rules.calendar import BusinessCalendar

WEEKDAYS_8_16 = {d: [(480, 960)] for d in range(5)}
OFFICE = BusinessCalendar(
    "office", "Europe/Oslo", WEEKDAYS_8_16, holidays=[datetime(2025, 4, 18).date()], recurring=[(5, 17)]
)
ALWAYS = BusinessCalendar("always", "Europe/Oslo", {d: [(0, 1440)] for d in range(7)})
SPLIT = BusinessCalendar("split", "Europe/Oslo", {d: [(480, 720), (780, 960)] for d in range(5)})
NIGHT_SUNDAY = BusinessCalendar("night", "Europe/Oslo", {6: [(0, 360)]})
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("calendar", "start", "duration", "expected"),
    [
        (OFFICE, "2025-03-03 09:00", H, "2025-03-03 10:00"),  # plain
        (OFFICE, "2025-03-07 15:30", H, "2025-03-10 08:30"),  # over the weekend
        (OFFICE, "2025-03-08 12:00", H, "2025-03-10 09:00"),  # created on a Saturday
        (OFFICE, "2025-03-03 06:00", H / 2, "2025-03-03 08:30"),  # created before opening
        (OFFICE, "2025-03-03 20:00", H, "2025-03-04 09:00"),  # created after closing
        (OFFICE, "2025-03-03 09:00", 7 * H, "2025-03-03 16:00"),  # used up at closing: the closing instant
        (OFFICE, "2025-04-17 15:00", 2 * H, "2025-04-21 09:00"),  # Good Friday, then the weekend
        (OFFICE, "2027-05-14 15:00", 2 * H, "2027-05-18 09:00"),  # recurring 17 May on a Monday
        (OFFICE, "2025-01-06 08:00", 400 * H, "2025-03-14 16:00"),  # ten whole weeks, skipped arithmetically
        (SPLIT, "2025-03-03 11:30", H, "2025-03-03 13:30"),  # lunch break
        (ALWAYS, "2025-03-03 23:30", H, "2025-03-04 00:30"),  # midnight
        (ALWAYS, "2025-03-29 23:00", 4 * H, "2025-03-30 04:00"),  # spring forward: 02:00-03:00 does not exist
        (OFFICE, "2025-03-28 15:00", 2 * H, "2025-03-31 09:00"),  # weekend with the DST change
    ],
)
def test_add(calendar: BusinessCalendar, start: str, duration: timedelta, expected: str) -> None:
    assert calendar.add(at(start), duration) == at(expected)


def test_fall_back_counts_the_repeated_hour() -> None:
    start = at("2025-10-26 00:00")
    end = ALWAYS.add(start, 4 * H)  # 00:00 CEST + 4 real hours = 03:00 CET
    assert end.astimezone(OSLO).strftime("%H:%M %z") == "03:00 +0100"


@pytest.mark.parametrize(
    ("calendar", "a", "b", "hours"),
    [
        (ALWAYS, "2025-03-30 00:00", "2025-03-31 00:00", 23),
        (ALWAYS, "2025-10-26 00:00", "2025-10-27 00:00", 25),
        (NIGHT_SUNDAY, "2025-03-30 00:00", "2025-03-31 00:00", 5),  # 00:00-06:00 on the short day
        (NIGHT_SUNDAY, "2025-10-26 00:00", "2025-10-27 00:00", 7),  # and on the long one
        (OFFICE, "2025-03-03 00:00", "2025-03-10 00:00", 40),
        (OFFICE, "2025-04-14 00:00", "2025-04-21 00:00", 32),  # a week with Good Friday
        (OFFICE, "2025-03-07 15:00", "2025-03-10 09:00", 2),
        (
            OFFICE,
            "2025-01-06 00:00",
            "2025-12-29 00:00",
            51 * 40 - 8,
        ),  # Good Friday (17 May 2025 is a Saturday)
        (OFFICE, "2025-03-10 09:00", "2025-03-07 15:00", 0),  # reversed: nothing
    ],
)
def test_elapsed(calendar: BusinessCalendar, a: str, b: str, hours: int) -> None:
    assert calendar.elapsed(at(a), at(b)) == hours * H


def test_is_open_and_next_open() -> None:
    assert OFFICE.is_open(at("2025-03-03 08:00"))
    assert not OFFICE.is_open(at("2025-03-03 16:00"))  # intervals are half-open
    assert OFFICE.is_open(at("2025-05-19 10:00"))  # the Monday after 17 May is open
    assert not OFFICE.is_open(at("2027-05-17 10:00"))  # 17 May recurs
    assert not OFFICE.is_open(at("2025-04-18 10:00"))
    assert OFFICE.next_open(at("2025-03-03 10:00")) == at("2025-03-03 10:00")
    assert OFFICE.next_open(at("2025-03-07 17:00")) == at("2025-03-10 08:00")
    assert OFFICE.next_open(at("2025-04-17 16:00")) == at("2025-04-21 08:00")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        OFFICE.add(datetime(2025, 3, 3, 9), H)


def test_a_calendar_without_hours_is_refused() -> None:
    with pytest.raises(ConfigError, match="has no opening hours"):
        BusinessCalendar("empty", "UTC", {})


instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=UTC)
)
durations = st.integers(min_value=0, max_value=60 * 24 * 90).map(lambda m: timedelta(minutes=m))
calendars = st.sampled_from([OFFICE, ALWAYS, SPLIT, NIGHT_SUNDAY])


@settings(max_examples=150, deadline=None)
@given(calendars, instants, durations)
def test_add_then_elapsed_round_trips(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    assert calendar.elapsed(start, calendar.add(start, duration)) == duration


@settings(max_examples=150, deadline=None)
@given(calendars, instants, durations.filter(lambda d: d > timedelta(0)))
def test_deadlines_never_fall_in_closed_hours(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    deadline = calendar.add(start, duration)
    # The last counted instant is open; the deadline is open or exactly a closing instant.
    assert calendar.is_open(deadline - timedelta(microseconds=1))


@settings(max_examples=100, deadline=None)
@given(calendars, instants, durations, durations)
def test_add_is_monotonic(calendar: BusinessCalendar, start: datetime, d1: timedelta, d2: timedelta) -> None:
    lo, hi = sorted((d1, d2))
    assert calendar.add(start, lo) <= calendar.add(start, hi)


def test_an_interval_inside_the_spring_forward_gap_counts_nothing() -> None:
    # 02:30-03:00 does not exist on 2025-03-30 in Oslo (02:30 reads as CET, 03:00 as CEST: it would
    # end before it starts); it must neither count nor lend time to the rest of the day.
    gap = BusinessCalendar("gap", "Europe/Oslo", {6: [(150, 180), (480, 960)]})
    start = at("2025-03-29 20:00")
    assert gap.add(start, H) == at("2025-03-30 09:00")
    assert gap.elapsed(start, at("2025-03-30 09:00")) == H


def test_a_calendar_that_never_opens_is_reported() -> None:
    # Every open day is a recurring holiday: no deadline can be found, and the error says so.
    mondays = BusinessCalendar(
        "never", "UTC", {0: [(480, 960)]}, recurring=[(m, d) for m in range(1, 13) for d in range(1, 32)]
    )
    with pytest.raises(ConfigError, match="has no open time in ten years"):
        mondays.add(at("2025-03-03 09:00"), H)


def _office() -> BusinessCalendar:
    return BusinessCalendar("office", "Europe/Oslo", WEEKDAYS_8_16, recurring=[(5, 17)])


def test_growing_back_decades_gives_what_a_fresh_calendar_gives() -> None:
    """Used first in 2026, then asked about 1970: the totals are prepended in one step (linear), and every
    answer equals that of a calendar that started in 1970."""
    late, early = at("2026-03-03 09:00"), at("1970-01-05 09:00")
    grown = _office()
    grown.add(late, 3 * H)
    assert grown.add(early, 10 * H) == _office().add(early, 10 * H) == at("1970-01-06 11:00")
    assert grown.elapsed(early, late) == _office().elapsed(early, late)
    assert grown.add(late, 3 * H) == at("2026-03-03 12:00")


def test_one_calendar_shared_by_threads_answers_as_if_alone() -> None:
    """Threads growing one fresh calendar in both directions at once (before the lock, 17 of 20 such rounds
    gave a wrong deadline or `AssertionError: unreachable`); five rounds, each on a fresh calendar."""
    from concurrent.futures import ThreadPoolExecutor

    starts = [at(f"{year}-0{month}-1{day} 10:00") for year in (1971, 1990, 2026, 2099)
              for month in (1, 6) for day in range(1, 8)]  # fmt: skip
    expected = [_office().add(s, 30 * H) for s in starts]
    for _ in range(5):
        shared = _office()
        with ThreadPoolExecutor(max_workers=8) as pool:
            found = list(pool.map(lambda s, cal=shared: cal.add(s, 30 * H), starts))
        assert found == expected
