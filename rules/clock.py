"""A target's clock: the running segments of one cycle and the instants at which it reaches given
amounts of open time. Every SLA instant is one of these: a reminder at 75 % used, the deadline at
100 %, an escalation level at "deadline + 2h" of open time — so pauses hold all of them alike."""

from __future__ import annotations

from collections.abc import Sequence

from rules.calendar import BusinessCalendar

Segment = tuple[int, int | None]  # [start, end) in µs; end None: still running


def running_segments(start: int, stop: int | None, pauses: Sequence[tuple[int, int | None]]) -> list[Segment]:
    """[start, stop) minus the pauses. Pauses are sorted and disjoint."""
    segments: list[Segment] = []
    cursor: int | None = start
    for p_start, p_end in pauses:
        if cursor is None or (stop is not None and p_start >= stop):
            break
        if p_end is not None and p_end <= cursor:
            continue
        if p_start > cursor:
            segments.append((cursor, p_start))
        cursor = p_end if p_end is None or stop is None else min(p_end, stop)
        if cursor is not None and stop is not None and cursor >= stop:
            cursor = None
    if cursor is not None and (stop is None or cursor < stop):
        segments.append((cursor, stop))
    return segments


class Clock:
    """One cycle's running segments, each measured once in the calendar's running total: what is
    consumed by an instant and when given amounts are reached both read the same measurements."""

    __slots__ = ("_measured", "calendar", "stop")

    def __init__(self, calendar: BusinessCalendar, segments: Sequence[Segment], stop: int | None) -> None:
        self.calendar = calendar
        self.stop = stop
        total = calendar.total_us
        # (start, end, running total at start, at end); end None: still running
        self._measured = [(a, b, total(a), None if b is None else total(b)) for a, b in segments]

    def consumed(self, until: int) -> int:
        """Open time counted by the clock up to `until`."""
        used = 0
        for a, b, at_a, at_b in self._measured:
            if a >= until:
                break
            if at_b is not None and b is not None and b <= until:
                used += at_b - at_a
            else:
                used += self.calendar.total_us(until) - at_a
        return used

    def instants(self, amounts: Sequence[int]) -> list[int | None]:
        """For each amount of open time (ascending), the instant the clock reaches it, or None when
        the cycle ends (or a pause begins) first. A last segment without an end is a clock running
        now: it reaches every amount, assuming nothing else happens. An amount used up exactly when
        the cycle stops counts as reached (a reply at the deadline is in time); one used up exactly
        when a pause begins is reached only when the clock resumes — unless closed hours came between
        (used up at closing, paused later that evening): then it was reached at closing."""
        out: list[int | None] = []
        used = 0
        i = 0
        for a, b, at_a, at_b in self._measured:
            # This segment covers [at_a, at_b) of the running total: an amount is reached where
            # the total is at_a + (amount - used).
            span = None if at_b is None else at_b - at_a
            while i < len(amounts):
                left = amounts[i] - used
                if span is not None and left > span:
                    break  # reached in a later segment, if any
                if i and amounts[i] == amounts[i - 1] and out[-1] is not None:
                    at = out[-1]  # e.g. level 1 escalates right at the deadline: same instant
                else:
                    at = a if left <= 0 else self.calendar.at_total_us(at_a + left, a)
                # Used up exactly as a pause begins: reached when the clock resumes. Used up at closing with
                # the pause set later in closed hours (16:00, then pending at 17:00), it was reached at 16:00.
                if b is not None and left == span and b != self.stop and (left <= 0 or at >= b):
                    break
                out.append(at)
                i += 1
            if span is not None:
                used += span
        out.extend([None] * (len(amounts) - len(out)))
        return out


def consumed(calendar: BusinessCalendar, segments: Sequence[Segment], until: int) -> int:
    """Open time counted by the clock up to `until`."""
    return Clock(calendar, segments, None).consumed(until)


def instants(
    calendar: BusinessCalendar, segments: Sequence[Segment], amounts: Sequence[int], stop: int | None
) -> list[int | None]:
    """`Clock.instants` for one question."""
    return Clock(calendar, segments, stop).instants(amounts)
