"""The ticket's risk over time as an inline SVG, server-rendered: one polyline of the assessments' risk, the
SLA deadlines as labelled vertical lines on the same time axis, and the alerts as markers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from serving.store.records import StoredAlert
from serving.wording.clock import month_name, percent
from serving.wording.history import band_word
from serving.wording.labels import label as word

W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 220, 44, 16, 14, 34


def risk_plot(
    risks: Sequence[tuple[datetime, float | None]],
    deadlines: Sequence[tuple[str, datetime]],
    alerts: Sequence[StoredAlert],
    events: Sequence[datetime] = (),
    zone: str = "UTC",
    lang: str = "en",
) -> str:
    """The time axis spans the ticket's events and assessments: a deadline weeks away would squeeze the
    risk line into a sliver, so one past the axis is named at its right edge instead ("… due 16 Dec →").
    `risks`: each assessment's instant and risk (None: rules-only); `deadlines`: (the target's name in
    `lang`, its due instant); `events`: the events' instants."""
    # positions in UTC, words in the manager's zone: local times of one zone subtract and compare as wall
    # clocks (Python ignores the offsets), so across a DST change the axis ran an hour off, or backwards
    tz = ZoneInfo(zone)
    points = [(at.astimezone(UTC), risk) for at, risk in risks if risk is not None]
    if not points:
        return f'<p class="muted">{escape(word("plot_none", lang))}</p>'
    times = [t for t, _ in points] + [at.astimezone(UTC) for at in events]
    start, end = min(times), max(times)
    span = max((end - start).total_seconds(), 60.0)
    slack = timedelta(seconds=span * 0.05)  # a deadline just past the last event still gets its line
    marks = [(at.astimezone(UTC), label) for label, at in deadlines]
    later = sorted((t, label) for t, label in marks if t > end + slack or t < start)
    marks = [(t, label) for t, label in marks if start <= t <= end + slack]
    end = max([end, *(t for t, _ in marks)])
    span = max((end - start).total_seconds(), 60.0)

    def x(t: datetime) -> float:
        return LEFT + (t - start).total_seconds() / span * (W - LEFT - RIGHT)

    def at(t: datetime) -> str:
        t = t.astimezone(tz)
        return f"{t.day:02d} {month_name(t.date(), lang)} {t:%H:%M}"

    def y(risk: float) -> float:
        return TOP + (1 - risk) * (H - TOP - BOTTOM)

    desc = word("plot_desc", lang, n=len(points), start=at(start), end=at(end),
                zone=end.astimezone(tz).tzname(), pct=percent(points[-1][1], lang))
    parts = [
        f'<svg class="plot" viewBox="0 0 {W} {H}" role="img" aria-labelledby="plot-title plot-desc">',
        f'<title id="plot-title">{escape(word("plot_svg", lang))}</title>',
        f'<desc id="plot-desc">{escape(desc)}</desc>',
    ]
    for level in (0, 0.5, 1):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}"/>'
        )
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y(level) + 4:.1f}" text-anchor="end">'
            f"{percent(level, lang)}</text>"
        )
    for i, (t, label) in enumerate(sorted(marks)):  # labels stacked at the top, right of their line
        parts.append(f'<line class="deadline" x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{TOP}" y2="{H - BOTTOM}"/>')
        anchor = "end" if x(t) > W / 2 else "start"
        dx = -4 if anchor == "end" else 4
        parts.append(
            f'<text class="axis deadline-label" x="{x(t) + dx:.1f}" y="{TOP + 12 + 13 * i}" '
            f'text-anchor="{anchor}">{escape(word("plot_due", lang, target=label, when=at(t)))}</text>'
        )
    for i, (t, label) in enumerate(later):  # past the axis: named at the right edge, with the date
        parts.append(
            f'<text class="axis deadline-later" x="{W - RIGHT}" y="{H - BOTTOM - 6 - 13 * i}" '
            f'text-anchor="end">{escape(word("plot_due", lang, target=label, when=at(t)))} →</text>'
        )
    line = " ".join(f"{x(t):.1f},{y(r):.1f}" for t, r in points)
    parts.append(f'<polyline class="risk" points="{line}"/>')
    for t, r in points:
        parts.append(
            f'<circle class="risk" cx="{x(t):.1f}" cy="{y(r):.1f}" r="3"><title>{at(t)}: '
            f"{percent(r, lang)}</title></circle>"
        )
    for a in alerts:
        t = a.raised_at.astimezone(UTC)
        if start <= t <= end:
            parts.append(
                f'<path class="alert" d="M{x(t):.1f},{TOP} l-5,-9 h10 z"><title>{word("key_alert", lang)} '
                f"({escape(band_word(a.band, lang))}) {at(t)}</title></path>"
            )
    parts.append(f'<text class="axis" x="{LEFT}" y="{H - BOTTOM + 12}">{at(start)}</text>')
    parts.append(
        f'<text class="axis" x="{W - RIGHT}" y="{H - BOTTOM + 12}" text-anchor="end">{at(end)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
