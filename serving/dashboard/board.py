"""The early-warning list as the page shows it: filters, band and sort the API does not offer, paging, and the
countdowns and reasons in words. Pure: (listed tickets, query, now) -> rows; the route fetches the tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.enums import Channel, Priority

BANDS = ("critical", "high", "medium", "low")
SORTS = {
    "risk": "risk, highest first",
    "due": "SLA due, soonest first",
    "level": "escalation level, highest first",
    "ticket": "ticket id",
}
CHANNELS = tuple(c.value for c in Channel)
PRIORITIES = tuple(p.value for p in sorted(Priority, key=lambda p: -p.rank))


@dataclass(frozen=True, slots=True)
class BoardQuery:
    team: str | None = None
    channel: str | None = None
    priority: str | None = None
    band: str | None = None
    breached_only: bool = False
    sort: str = "risk"
    page: int = 1

    @classmethod
    def from_params(cls, params: dict[str, str]) -> BoardQuery:
        def pick(name: str, allowed: tuple[str, ...] | None = None) -> str | None:
            value = (params.get(name) or "").strip()
            if not value or (allowed is not None and value not in allowed):
                return None
            return value

        page = params.get("page", "1")
        return cls(
            team=pick("team"),
            channel=pick("channel", CHANNELS),
            priority=pick("priority", PRIORITIES),
            band=pick("band", BANDS),
            breached_only=params.get("breached_only") in ("1", "true", "on"),
            sort=pick("sort", tuple(SORTS)) or "risk",
            page=max(1, int(page)) if page.isdigit() else 1,
        )

    def params(self, **change: Any) -> dict[str, str]:
        """The query string of this view (with `change` applied), for links and the polling request."""
        values = {
            "team": self.team,
            "channel": self.channel,
            "priority": self.priority,
            "band": self.band,
            "breached_only": "1" if self.breached_only else None,
            "sort": self.sort,
            "page": str(self.page),
        } | {k: (str(v) if v is not None else None) for k, v in change.items()}
        return {k: v for k, v in values.items() if v}


def board_rows(
    items: list[dict[str, Any]], query: BoardQuery, page_size: int, now: datetime
) -> dict[str, Any]:
    """One page of rows, with the total after filtering and the page count."""
    chosen = [i for i in items if query.band is None or i["band"] == query.band]
    if query.sort == "due":
        chosen.sort(key=lambda i: (i["sla_due_at"] is None, i["sla_due_at"] or ""))
    elif query.sort == "level":
        chosen.sort(key=lambda i: -(i["escalation_level"] or 0))
    elif query.sort == "ticket":
        chosen.sort(key=lambda i: i["ticket_id"])
    pages = max(1, -(-len(chosen) // page_size))
    page = min(query.page, pages)
    shown = chosen[(page - 1) * page_size : page * page_size]
    return {"total": len(chosen), "page": page, "pages": pages, "rows": [row(i, now) for i in shown]}


def row(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "ticket_id": item["ticket_id"],
        "risk": item["risk"],
        "risk_pct": f"{item['risk'] * 100:.0f}%" if item["risk"] is not None else "rules only",
        "band": item["band"],
        "countdown": countdown(item, now),
        "breached": bool(item["breached"]),
        "escalation_level": item["escalation_level"] or 0,
        "reasons": reasons_in_words(item),
        "evidence": [f"{s['name'].replace('_', ' ')}: “{s['evidence']}”" for s in item["signals"][:3]],
        "action": item["recommended_action"].get("text", ""),
        "channel": item["channel"],
        "team": item["team"],
        "assignee": item["assignee"] or "unassigned",
        "tier": item["customer_tier"] or "—",
        "priority": item["priority"],
    }


def countdown(item: dict[str, Any], now: datetime) -> str:
    """'... breached by 2 h 5 min' for the most overdue target, else '... due in 40 min' for the soonest."""
    breached = [t for t in item["targets"] if t["state"] == "breached" and t["breached_by_s"] is not None]
    if breached:
        worst = max(breached, key=lambda t: t["breached_by_s"])
        return f"{worst['target'].replace('_', ' ')} breached by {duration(worst['breached_by_s'])}"
    running = [t for t in item["targets"] if t["state"] == "running" and t["due_at"]]
    if not running:
        return "no SLA clock running"
    soonest = min(running, key=lambda t: t["due_at"])
    left = (datetime.fromisoformat(soonest["due_at"]) - now).total_seconds()
    name = soonest["target"].replace("_", " ")
    if left < 0:
        return f"{name} breached by {duration(-left)}"
    return f"{name} due in {duration(left)}"


def duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"


def reasons_in_words(item: dict[str, Any]) -> list[str]:
    """The model's top pushes towards escalation, in words; the rules' action when there is no model."""
    pushes = [
        r["text"] for r in item["reasons"] if r.get("contribution", 0) > 0 and r.get("value") not in (0, None)
    ]
    pushes = pushes[:3]  # an absent signal ("shouting in 0 messages") pushes a little but says nothing
    return pushes or [r["text"] for r in item["reasons"][:2]]
