"""The early-warning list as the page shows it: the query's filters, sort and page (the store applies them),
and the countdowns and reasons in words. Pure: (one listed page, query, now) -> rows; the route fetches it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.enums import Band, Channel, Priority
from serving.store import OpenTicketsQuery, Sort

BANDS = tuple(b.value for b in reversed(Band))  # the filter's choices, the most urgent first
SORTS = {  # the sort menu's labels
    Sort.RISK: "risk, highest first",
    Sort.DUE: "SLA due, soonest first",
    Sort.LEVEL: "escalation level, highest first",
    Sort.TICKET: "ticket id",
}
CHANNELS = tuple(c.value for c in Channel)
PRIORITIES = tuple(p.value for p in sorted(Priority, key=lambda p: -p.rank))


PAGE_DIGITS = 12  # pages of up to 200 rows below 10^12: offsets stay far within BIGINT


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
            # a page past the BIGINT offsets the store can count is no page: the first one is shown
            page=max(1, int(page)) if page.isdigit() and len(page) <= PAGE_DIGITS else 1,
        )

    def to_store(self, page_size: int, page: int) -> OpenTicketsQuery:
        """The store's query for page `page` of this view."""
        return OpenTicketsQuery(
            team=self.team,
            channel=self.channel,
            priority=self.priority,
            band=self.band,
            breached_only=self.breached_only,
            sort=self.sort,
            limit=page_size,
            offset=(page - 1) * page_size,
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


def board_rows(listed: dict[str, Any], query: BoardQuery, page_size: int, now: datetime) -> dict[str, Any]:
    """The page's rows in words, with the total and the page count. `listed`: one page of
    GET /v1/early-warning's answer for this query."""
    pages = max(1, -(-listed["total"] // page_size))
    page = min(query.page, pages)
    rows = [row(i, now) for i in listed["items"]]
    return {"total": listed["total"], "page": page, "pages": pages, "rows": rows}


def row(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "ticket_id": item["ticket_id"],
        "risk": item["risk"],
        "risk_pct": f"{item['risk'] * 100:.0f}%" if item["risk"] is not None else "rules only",
        "band": item["band"],
        "band_sources": band_sources(item),
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


def band_sources(item: dict[str, Any]) -> str:
    """Where the band comes from, so a manager tells a model warning from an SLA emergency:
    'model high · SLA critical'. Assessments made before the SLA band was stored show nothing."""
    model, sla = item.get("model_band"), item.get("sla_band")
    if sla is None:
        return ""
    return f"model {model} · SLA {sla}" if model is not None else f"SLA {sla} (rules only)"


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
