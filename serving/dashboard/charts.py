"""KPI charts as inline SVG, server-rendered: one bar a period for a rate (0..1), labelled in words too."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

W, H, LEFT, BOTTOM, TOP = 640, 180, 44, 30, 12
COUNTS = ("tickets", "escalated", "solved", "first_contact_resolved", "sla_targets_judged", "sla_targets_met")
RATES = {
    "escalation_rate": ("Escalation rate", "escalated", "tickets"),
    "first_contact_resolution_rate": ("First-contact resolution", "first_contact_resolved", "solved"),
    "sla_compliance": ("SLA compliance", "sla_targets_met", "sla_targets_judged"),
}


def by_period(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report's (period, team) rows summed over teams, with each rate recomputed from the counts."""
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for row in rows:
        for name in COUNTS:
            sums[row["period_start"]][name] += int(row[name])
    out = []
    for start in sorted(sums):
        counts = sums[start]
        rates = {
            key: (counts[num] / counts[den] if counts[den] else None) for key, (_, num, den) in RATES.items()
        }
        out.append({"period_start": start, **counts, **rates})
    return out


def rate_chart(key: str, periods: list[dict[str, Any]]) -> str:
    title = RATES[key][0]
    if not periods:
        return f'<p class="muted">{escape(title)}: no tickets in this range yet.</p>'
    step = (W - LEFT - 8) / len(periods)
    inner = H - TOP - BOTTOM
    parts = [
        f'<svg class="plot chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)} by period">',
        f"<title>{escape(title)} by period</title>",
        f'<line class="grid" x1="{LEFT}" x2="{W - 8}" y1="{TOP}" y2="{TOP}"/>',
        f'<text class="axis" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">100%</text>',
        f'<text class="axis" x="{LEFT - 6}" y="{TOP + inner + 4}" text-anchor="end">0%</text>',
    ]
    for i, p in enumerate(periods):
        x = LEFT + i * step
        value = p[key]
        label = "no data" if value is None else f"{value * 100:.0f}%"
        height = 0.0 if value is None else value * inner
        parts.append(
            f'<rect class="bar" x="{x + step * 0.15:.1f}" y="{TOP + inner - height:.1f}" '
            f'width="{step * 0.7:.1f}" height="{height:.1f}">'
            f'<title>{escape(p["period_start"])}: {label}</title></rect>'
        )
        if len(periods) <= 16 or i % max(1, len(periods) // 8) == 0:
            parts.append(
                f'<text class="axis" x="{x + step / 2:.1f}" y="{H - BOTTOM + 14}" text-anchor="middle">'
                f"{escape(p['period_start'][5:10])}</text>"
            )
    parts.append("</svg>")
    return "\n".join(parts)
