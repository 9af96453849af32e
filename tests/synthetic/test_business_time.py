"""Business-hours arithmetic of the simulated teams."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from synthetic.business_time import BusinessCalendar, easter, holidays

OSLO = ZoneInfo("Europe/Oslo")
HOUR = 3600.0


def at(*args: int, tz: ZoneInfo = OSLO) -> float:
    return dt.datetime(*args, tzinfo=tz).timestamp()


@pytest.fixture(scope="module")
def oslo() -> BusinessCalendar:
    return BusinessCalendar("Europe/Oslo", dt.date(2026, 4, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize(("year", "day"), [(2024, dt.date(2024, 3, 31)), (2026, dt.date(2026, 4, 5))])
def test_easter(year: int, day: dt.date) -> None:
    assert easter(year) == day


def test_national_holidays() -> None:
    assert dt.date(2026, 5, 17) in holidays("Europe/Oslo", 2026)
    assert dt.date(2026, 10, 3) in holidays("Europe/Berlin", 2026)
    assert dt.date(2026, 8, 31) in holidays("Europe/London", 2026)  # summer bank holiday
    assert dt.date(2026, 5, 14) in holidays("Europe/Berlin", 2026)  # Ascension


def test_adding_business_time_skips_nights_weekends_and_holidays(oslo: BusinessCalendar) -> None:
    friday_4pm = at(2026, 5, 8, 16)
    assert oslo.add(friday_4pm, 2 * HOUR) == at(2026, 5, 11, 9)  # Monday 09:00
    # Wednesday 13 May 16:00 + 2 h: Thursday 14 May is Ascension, Friday 15 is open.
    assert oslo.add(at(2026, 5, 13, 16), 2 * HOUR) == at(2026, 5, 15, 9)
    saturday = at(2026, 5, 9, 12)
    assert oslo.add(saturday, 0.0) == at(2026, 5, 11, 8)
    assert not oslo.is_open(saturday) and oslo.is_open(at(2026, 5, 11, 8, 30))


def test_between_is_the_inverse_of_add(oslo: BusinessCalendar) -> None:
    start = at(2026, 10, 22, 15)  # across the end of summer time (25 October)
    for hours in (0.5, 3, 9, 40, 100):
        assert oslo.between(start, oslo.add(start, hours * HOUR)) == pytest.approx(hours * HOUR)
    assert oslo.between(at(2026, 5, 11, 12), at(2026, 5, 11, 10)) == 0.0


def test_local_hour_follows_summer_time(oslo: BusinessCalendar) -> None:
    assert oslo.local_hour(at(2026, 7, 1, 9)) == pytest.approx(9.0)
    assert oslo.local_hour(at(2026, 11, 2, 9)) == pytest.approx(9.0)


def test_an_empty_calendar_is_refused() -> None:
    with pytest.raises(ValueError, match="no business day"):
        BusinessCalendar("Europe/Oslo", dt.date(2026, 5, 16), dt.date(2026, 5, 17))
