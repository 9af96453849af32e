"""KPI charts as inline SVG, server-rendered, each bar labelled in words too: one bar a period for a rate
(0..1), escalations by type stacked per period, and escalated tickets by root cause as a ranking."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Literal

from serving.kpis import KpiFigures, KpiRow, combine
from serving.wording.clock import day_label, month_label, number, percent
from serving.wording.labels import label

W, H, LEFT, BOTTOM, TOP = 640, 180, 44, 30, 12
TYPES = ("functional", "hierarchical", "automatic")
SERIES_COLOURS = 9  # dashboard.css defines series-0 … series-8
RANK_ROW = 26  # px per bar of a ranking chart
Rate = Literal["escalation_rate", "first_contact_resolution_rate", "reopen_rate", "sla_compliance"]
RATES: dict[Rate, tuple[str, Callable[[KpiFigures], float | None]]] = {
    # rate: (its title's key in serving/wording/labels.py, the rate of a period's figures)
    "escalation_rate": ("rate_escalation", lambda f: f.escalation_rate),
    "first_contact_resolution_rate": ("rate_fcr", lambda f: f.first_contact_resolution_rate),
    "reopen_rate": ("rate_reopen", lambda f: f.reopen_rate),
    "sla_compliance": ("rate_sla", lambda f: f.sla_compliance),
}
Stacked = Literal["escalations_by_type", "root_causes"]
STACKED: dict[Stacked, Callable[[KpiFigures], dict[str, int]]] = {  # per-period counts by name
    "escalations_by_type": lambda f: f.escalations_by_type,
    "root_causes": lambda f: f.root_causes,
}


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """One period's bar in each chart: the figures of its rows over every team."""

    period_start: str
    figures: KpiFigures


def by_period(rows: Iterable[KpiRow]) -> list[PeriodFigures]:
    """The report's (period, team) rows summed over teams, in period order, each rate recomputed from the
    counts."""
    groups: dict[str, list[KpiRow]] = {}
    for row in rows:
        groups.setdefault(row.period_start, []).append(row)
    return [PeriodFigures(start, combine(group)) for start, group in sorted(groups.items())]


def rate_chart(key: Rate, periods: list[PeriodFigures], period: str = "day", lang: str = "en") -> str:
    title, rate = label(RATES[key][0], lang), RATES[key][1]
    if not periods:
        return f'<p class="muted">{escape(label("chart_empty", lang, title=title))}</p>'
    step = (W - LEFT - 8) / len(periods)
    inner = H - TOP - BOTTOM
    heading = label("by_period", lang, title=title, period=label(f"period_{period}", lang))
    parts = _bar_frame(heading, percent(1.0, lang), percent(0.0, lang))
    parts.insert(2, f'<line class="grid" x1="{LEFT}" x2="{W - 8}" y1="{TOP}" y2="{TOP}"/>')
    for i, p in enumerate(periods):
        x = LEFT + i * step
        value = rate(p.figures)
        words = label("no_data", lang) if value is None else percent(value, lang)
        height = 0.0 if value is None else value * inner
        parts.append(
            f'<rect class="bar" x="{x + step * 0.15:.1f}" y="{TOP + inner - height:.1f}" '
            f'width="{step * 0.7:.1f}" height="{height:.1f}">'
            f"<title>{escape(period_label(p.period_start, period, lang))}: {words}</title></rect>"
        )
        if value is not None and len(periods) <= 16:  # the value on the bar, while there is room to read it
            parts.append(
                f'<text class="axis value" x="{x + step / 2:.1f}" y="{TOP + inner - height - 3:.1f}" '
                f'text-anchor="middle">{words}</text>'
            )
        parts += _period_label(periods, i, x + step / 2, period, lang)
    parts.append("</svg>")
    return "\n".join(parts)


def stacked_chart(
    title: str, key: Stacked, names: list[str], periods: list[PeriodFigures], period: str = "day",
    lang: str = "en", words: dict[str, str] | None = None,
) -> str:
    """Tickets per period, one stacked segment per name of the figures' `key` (in `names` order; segment i has
    the class series-(i mod 9): its colour). A ticket counted under two names is in both segments. `words`:
    the names as shown (default: the name, `_` as spaces)."""
    if not periods:
        return f'<p class="muted">{escape(label("chart_empty", lang, title=title))}</p>'
    counts = [STACKED[key](p.figures) for p in periods]
    highest = max(max(sum(c.values()) for c in counts), 1)
    step = (W - LEFT - 8) / len(periods)
    inner = H - TOP - BOTTOM
    parts = _bar_frame(title, number(highest, lang), number(0, lang))
    for i, (p, by_name) in enumerate(zip(periods, counts, strict=True)):
        x, base = LEFT + i * step, float(TOP + inner)
        for series, name in enumerate(names):
            n = by_name.get(name, 0)
            if not n:
                continue
            height = n / highest * inner
            base -= height
            parts.append(
                f'<rect class="bar series-{series % SERIES_COLOURS}" x="{x + step * 0.15:.1f}" '
                f'y="{base:.1f}" width="{step * 0.7:.1f}" height="{height:.1f}">'
                f"<title>{escape(period_label(p.period_start, period, lang))}: {number(n, lang)} "
                f"{escape((words or {}).get(name) or name.replace('_', ' '))}</title></rect>"
            )
        total = sum(by_name.values())
        if total and len(periods) <= 16:
            parts.append(
                f'<text class="axis value" x="{x + step / 2:.1f}" y="{base - 3:.1f}" '
                f'text-anchor="middle">{number(total, lang)}</text>'
            )
        parts += _period_label(periods, i, x + step / 2, period, lang)
    parts.append("</svg>")
    return "\n".join(parts)


def ranking_chart(
    title: str, counts: dict[str, int], lang: str = "en", words: dict[str, str] | None = None
) -> str:
    """One horizontal bar per name (already ordered), its count written beside it. `words`: the names as
    shown (default: the name as it is, a team's)."""
    if not counts:
        return f'<p class="muted">{escape(label("ranking_empty", lang, title=title))}</p>'
    label_w, highest = 190, max(counts.values())
    height = TOP + RANK_ROW * len(counts) + 8
    parts = [
        f'<svg class="plot chart" viewBox="0 0 {W} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (name, n) in enumerate(counts.items()):
        y = TOP + i * RANK_ROW
        width = n / highest * (W - label_w - 60)
        shown, count = (words or {}).get(name, name), number(n, lang)
        parts.append(
            f'<text class="axis" x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(shown)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{RANK_ROW - 8}">'
            f"<title>{escape(shown)}: {count}</title></rect>"
            f'<text class="axis" x="{label_w + width + 6:.1f}" y="{y + 15}">{count}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _period_label(
    periods: list[PeriodFigures], i: int, x: float, period: str = "day", lang: str = "en"
) -> list[str]:
    """The x-axis label under period i ('24 Nov', or 'Nov 2026' for months): every one up to 16 periods,
    else about 8 of them."""
    if len(periods) > 16 and i % max(1, len(periods) // 8) != 0:
        return []
    return [
        f'<text class="axis" x="{x:.1f}" y="{H - BOTTOM + 14}" text-anchor="middle">'
        f"{escape(period_label(periods[i].period_start, period, lang))}</text>"
    ]


def period_label(start: str, period: str, lang: str = "en") -> str:
    """'Nov 2026' for a month, '24 Nov' for a day or the week starting that day, as `lang` writes them
    ('Nov. 2026', '24. Nov.' in German)."""
    day = date.fromisoformat(start[:10])
    return month_label(day, lang) if period == "month" else day_label(day, lang, with_year=False)


def _bar_frame(title: str, top: str, bottom: str) -> list[str]:
    """The opening of a per-period bar chart: the labelled <svg>, its title, the y-axis's two labels."""
    return [
        f'<svg class="plot chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text class="axis" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{escape(top)}</text>',
        f'<text class="axis" x="{LEFT - 6}" y="{H - BOTTOM + 4}" text-anchor="end">{escape(bottom)}</text>',
    ]
