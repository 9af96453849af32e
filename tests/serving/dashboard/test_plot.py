"""The ticket's risk chart: its time axis spans the ticket's events, so a deadline three weeks out does not
squeeze the risk line into a sliver; that deadline is named at the axis's right edge instead."""

from __future__ import annotations

import re

from serving.dashboard.plot import W, risk_plot
from serving.dashboard.routes import status_from

ASSESSMENTS = [
    {"assessed_at": "2026-11-24T09:00:00+00:00", "risk": 0.1},
    {"assessed_at": "2026-11-24T15:00:00+00:00", "risk": 0.3},
    {"assessed_at": "2026-11-25T09:00:00+00:00", "risk": 0.5},
]
EVENTS = ["2026-11-24T09:00:00+00:00", "2026-11-24T15:00:00+00:00", "2026-11-25T09:00:00+00:00"]


def _xs(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<circle class="risk" cx="([\d.]+)"', svg)]


def test_the_axis_spans_the_events_not_a_deadline_weeks_away() -> None:
    far = [("resolution", "2026-12-16T14:00:00+00:00"), ("first reply", "2026-11-24T17:00:00+00:00")]
    svg = risk_plot(ASSESSMENTS, far, [], EVENTS, "Europe/Oslo")
    xs = _xs(svg)
    assert xs[-1] - xs[0] > 0.8 * (W - 60)  # the risk line uses the width
    assert svg.count('class="deadline"') == 1  # the first reply's deadline, inside the axis
    assert "resolution due 16 Dec 15:00 →" in svg  # the far one, named at the edge, in Oslo time
    assert "CET" in svg


def test_status_changes_know_where_they_came_from() -> None:
    events = [
        {"event_id": "e1", "type": "customer_message"},
        {"event_id": "e2", "type": "status_change", "status": "open"},
        {"event_id": "e3", "type": "status_change", "status": "pending"},
    ]
    assert status_from(events) == {"e2": "new", "e3": "open"}
