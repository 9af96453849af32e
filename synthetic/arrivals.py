"""When tickets arrive: weekday- and office-hours-heavy, with a slow growth trend and two incident
weeks (a Nimbus Pay double-charge and a Router X2 firmware fault) that flood one team each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from synthetic.dice import Dice, cumulative

# Relative weights of the local hour of arrival: office hours, a lunch dip, some evening mail.
HOUR_WEIGHTS = (
    0.15,
    0.1,
    0.08,
    0.08,
    0.1,
    0.2,
    0.5,
    1.2,
    2.6,
    3.2,
    3.1,
    2.7,
    2.2,
    2.8,
    2.9,
    2.6,
    2.2,
    1.6,
    1.1,
    1.0,
    1.0,
    0.8,
    0.5,
    0.3,
)
WEEKDAY_WEIGHTS = (1.15, 1.05, 1.0, 1.0, 0.95, 0.3, 0.25)  # Mon … Sun
LOCAL_UTC_OFFSET_H = 1.5  # arrivals are spread in "European" local time; one offset is close enough


@dataclass(frozen=True, slots=True)
class Incident:
    category: str
    product: str
    start: float  # Unix seconds
    end: float
    extra_share: float  # fraction of the period's tickets it adds


def incidents(start: dt.datetime, end: dt.datetime) -> list[Incident]:
    """Two incident weeks, placed at fixed fractions of the period so that any date range has them."""
    span = (end - start).total_seconds()
    t0 = start.timestamp()
    return [
        Incident("billing_payment", "Nimbus Pay", t0 + 0.42 * span, t0 + 0.42 * span + 5 * 86400, 0.035),
        Incident("technical_fault", "Nimbus Router X2", t0 + 0.71 * span, t0 + 0.71 * span + 4 * 86400, 0.04),
    ]


def arrival_times(
    dice: Dice, n: int, start: dt.datetime, end: dt.datetime, bursts: list[Incident]
) -> list[tuple[float, Incident | None]]:
    """`n` sorted arrival instants in [start, end), each with the incident it belongs to (or None)."""
    days: list[float] = []
    weights: list[float] = []
    day, n_days = start, max(1, (end - start).days)
    for i in range(n_days):
        days.append(day.timestamp())
        weights.append(WEEKDAY_WEIGHTS[day.weekday()] * (1.0 + 0.25 * i / n_days))  # slow growth
        day += dt.timedelta(days=1)
    day_cum, hour_cum = cumulative(weights), cumulative(HOUR_WEIGHTS)
    hours = list(range(24))
    out: list[tuple[float, Incident | None]] = []
    end_s, start_s = end.timestamp(), start.timestamp()
    n_burst = [round(n * b.extra_share) for b in bursts]
    for _ in range(n - sum(n_burst)):
        hour = dice.weighted(hours, hour_cum) - LOCAL_UTC_OFFSET_H
        t = dice.weighted(days, day_cum) + (hour + dice.random()) * 3600.0
        out.append((min(max(t, start_s), end_s - 1.0), None))
    for b, k in zip(bursts, n_burst, strict=True):
        for _ in range(k):
            t = b.start + (b.end - b.start) * dice.random() ** 1.5  # the first days are the worst
            out.append((min(max(t, start_s), end_s - 1.0), b))
    out.sort(key=lambda x: x[0])
    return out
