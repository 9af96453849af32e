"""The ticket's risk chart: its time axis spans the ticket's events, so a deadline three weeks out does not
squeeze the risk line into a sliver; that deadline is named at the axis's right edge instead."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from core.enums import TicketStatus
from core.tickets import Event
from serving.dashboard.plot import W, risk_plot
from serving.dashboard.routes import status_from

EVENTS = [datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 24, 15, tzinfo=UTC),
          datetime(2026, 11, 25, 9, tzinfo=UTC)]
ASSESSMENTS = list(zip(EVENTS, (0.1, 0.3, 0.5), strict=True))


def _xs(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<circle class="risk" cx="([\d.]+)"', svg)]


def test_the_axis_spans_the_events_not_a_deadline_weeks_away() -> None:
    far = [("resolution", datetime(2026, 12, 16, 14, tzinfo=UTC)),
           ("first reply", datetime(2026, 11, 24, 17, tzinfo=UTC))]
    svg = risk_plot(ASSESSMENTS, far, [], EVENTS, "Europe/Oslo")
    xs = _xs(svg)
    assert xs[-1] - xs[0] > 0.8 * (W - 60)  # the risk line uses the width
    assert svg.count('class="deadline"') == 1  # the first reply's deadline, inside the axis
    assert "resolution due 16 Dec 15:00 →" in svg  # the far one, named at the edge, in Oslo time
    assert "CET" in svg


def test_the_axis_runs_in_real_time_across_a_dst_change() -> None:
    # Oslo's clocks go back at 01:00 UTC on 25 Oct 2026: 00:30 UTC is 02:30 CEST, 01:10 UTC is 02:10 CET,
    # and 01:50 UTC 02:50 CET; read as local wall-clock times, the second came before the first
    at = [datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
          datetime(2026, 10, 25, 1, 50, tzinfo=UTC)]
    svg = risk_plot(list(zip(at, (0.1, 0.3, 0.5), strict=True)), [], [], at, "Europe/Oslo")
    xs = _xs(svg)
    assert xs[0] < xs[1] < xs[2]
    assert abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 0.5  # 40 minutes apart, each
    assert "25 Oct 02:30</text>" in svg and "25 Oct 02:50</text>" in svg  # the axis's ends, in Oslo time


def test_status_changes_know_where_they_came_from() -> None:
    events = [
        Event.model_validate({"event_id": "e1", "ticket_id": "T", "at": EVENTS[0], "type": "customer_message",
                              "author_role": "customer", "body": "Hello"}),
        *(Event.model_validate({"event_id": f"e{i}", "ticket_id": "T", "at": EVENTS[i - 1],
                                "author_role": "agent", "type": "status_change", "status": status})
          for i, status in ((2, "open"), (3, "pending"))),
    ]
    assert status_from(events) == {"e2": "new", "e3": "open"}
    # a page of later events: its first change came from the status the store found before the page
    assert status_from(events, TicketStatus.ON_HOLD) == {"e2": "on_hold", "e3": "open"}
