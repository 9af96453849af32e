from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar import BusinessCalendar, to_us
from rules.clock import consumed, instants, running_segments

HOUR = 3_600_000_000
OFFICE = BusinessCalendar("office", "Europe/Oslo", {d: [(480, 960)] for d in range(5)})
T0 = to_us(datetime(2025, 3, 3, 7, 0, tzinfo=UTC))  # Monday 08:00 in Oslo


def test_segments_cut_out_pauses() -> None:
    pauses = [(T0 + HOUR, T0 + 2 * HOUR), (T0 + 5 * HOUR, None)]
    assert running_segments(T0, None, pauses) == [(T0, T0 + HOUR), (T0 + 2 * HOUR, T0 + 5 * HOUR)]
    assert running_segments(T0, T0 + 3 * HOUR, pauses) == [(T0, T0 + HOUR), (T0 + 2 * HOUR, T0 + 3 * HOUR)]
    assert running_segments(T0, None, [(T0 - HOUR, T0 + HOUR)]) == [(T0 + HOUR, None)]


def test_instants_skip_pauses_and_stop_at_an_ongoing_one() -> None:
    segments = running_segments(T0, None, [(T0 + HOUR, T0 + 2 * HOUR)])
    assert instants(OFFICE, segments, [HOUR // 2, 2 * HOUR], None) == [T0 + HOUR // 2, T0 + 3 * HOUR]
    paused = running_segments(T0, None, [(T0 + HOUR, None)])
    assert instants(OFFICE, paused, [HOUR // 2, 2 * HOUR], None) == [T0 + HOUR // 2, None]
    assert consumed(OFFICE, paused, T0 + 5 * HOUR) == HOUR


def test_used_up_exactly_at_a_pause_is_reached_on_resume() -> None:
    segments = running_segments(T0, None, [(T0 + HOUR, T0 + 3 * HOUR)])
    assert instants(OFFICE, segments, [HOUR], None) == [T0 + 3 * HOUR]
    stopped = running_segments(T0, T0 + HOUR, [])
    assert instants(OFFICE, stopped, [HOUR], T0 + HOUR) == [T0 + HOUR]  # a reply at the deadline is in time


def test_used_up_at_closing_is_reached_then_though_a_pause_begins_later_in_closed_hours() -> None:
    # 8 h from Monday 08:00 are used up at 16:00 (closing); a pause set at 17:00 or next morning at 07:00,
    # with no open time between, comes after the deadline: it is 16:00, not the instant the clock resumes.
    for pause in (T0 + 9 * HOUR, T0 + 23 * HOUR):
        segments = running_segments(T0, None, [(pause, T0 + 26 * HOUR)])
        assert instants(OFFICE, segments, [8 * HOUR, 9 * HOUR], None) == [T0 + 8 * HOUR, T0 + 27 * HOUR]
    still_paused = running_segments(T0, None, [(T0 + 9 * HOUR, None)])
    assert instants(OFFICE, still_paused, [8 * HOUR, 9 * HOUR], None) == [T0 + 8 * HOUR, None]


starts = st.integers(min_value=0, max_value=24 * 60 * 30).map(lambda m: T0 + m * 60_000_000)
minutes = st.integers(min_value=0, max_value=24 * 60 * 20).map(lambda m: m * 60_000_000)


@settings(max_examples=150, deadline=None)
@given(starts, minutes, minutes, minutes, minutes)
def test_pausing_never_shortens_a_deadline(
    start: int, budget: int, offset: int, length: int, later: int
) -> None:
    budget = max(budget, 60_000_000)
    p0 = start + offset
    plain = instants(OFFICE, running_segments(start, None, []), [budget], None)[0]
    resumed = instants(OFFICE, running_segments(start, None, [(p0, p0 + length)]), [budget], None)[0]
    assert plain is not None and resumed is not None and resumed >= plain
    # and a second pause later on never brings it back earlier
    p1 = p0 + length + later
    twice = instants(
        OFFICE, running_segments(start, None, [(p0, p0 + length), (p1, p1 + length)]), [budget], None
    )[0]
    assert twice is not None and twice >= resumed


@settings(max_examples=100, deadline=None)
@given(starts, minutes, minutes)
def test_consumed_at_the_deadline_is_the_budget(start: int, budget: int, pause: int) -> None:
    budget = max(budget, 60_000_000)
    segments = running_segments(start, None, [(start + pause // 2, start + pause)])
    (deadline,) = instants(OFFICE, segments, [budget], None)
    assert deadline is not None and consumed(OFFICE, segments, deadline) == budget
    assert OFFICE.is_open(datetime.fromtimestamp((deadline - 1) / 1e6, UTC)) or deadline - 1 < start + pause


def test_elapsed_helper_matches_timedelta() -> None:
    assert OFFICE.elapsed_us(T0, T0 + 10 * HOUR) * timedelta(microseconds=1) == timedelta(hours=8)
