"""The early-warning list as the page shows it: the query's filters, sort and page (the store applies them),
and the countdowns and reasons in words. Pure: (one listed page, query, now) -> rows; the route fetches it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from core.assessment import Reason
from core.enums import Band, Channel, Priority
from helpdesks.common import split_ticket_id
from serving.early_warning import EarlyWarningItem, EarlyWarningPage
from serving.store import OpenTicketsQuery, Sort
from serving.wording import reason_words
from serving.wording.history import band_word
from serving.wording.labels import label
from serving.wording.phrases import SIGNALS
from serving.wording.sla import sla_words

BANDS = tuple(b.value for b in reversed(Band))  # the filter's choices, the most urgent first
SORTS = {  # the sort menu's labels (keys of serving/wording/labels.py)
    Sort.WORK: "sort_work",
    Sort.RISK: "sort_risk",
    Sort.DUE: "sort_due",
    Sort.LEVEL: "sort_level",
    Sort.TICKET: "sort_ticket",
}
CHANNELS = tuple(c.value for c in Channel)
PRIORITIES = tuple(p.value for p in sorted(Priority, key=lambda p: -p.rank))


PAGE_DIGITS = 12  # pages of up to 200 rows below 10^12: offsets stay far within BIGINT
SEARCH_CHARS = 200  # the longest search text (ticket and customer ids hold at most 200 characters)


@dataclass(frozen=True, slots=True)
class BoardQuery:
    team: str | None = None
    channel: str | None = None
    priority: str | None = None
    band: str | None = None
    breached_only: bool = False
    sort: str = "work"
    page: int = 1
    search: str | None = None  # a text in the ticket id, the customer id or the subject

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
            sort=pick("sort", tuple(SORTS)) or "work",
            # a page past the BIGINT offsets the store can count is no page: the first one is shown
            page=max(1, int(page)) if page.isdigit() and len(page) <= PAGE_DIGITS else 1,
            search=(params.get("q") or "").strip()[:SEARCH_CHARS] or None,
        )

    def to_store(
        self, page_size: int, page: int, now: datetime | None = None, due_soon: timedelta = timedelta(hours=1)
    ) -> OpenTicketsQuery:
        """The store's query for page `page` of this view at `now`."""
        return OpenTicketsQuery(
            team=self.team,
            channel=self.channel,
            priority=self.priority,
            band=self.band,
            breached_only=self.breached_only,
            sort=self.sort,
            limit=page_size,
            offset=(page - 1) * page_size,
            now=now,
            due_soon=due_soon,
            search=self.search,
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
            "q": self.search,
            "page": str(self.page),
        } | {k: (str(v) if v is not None else None) for k, v in change.items()}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True, slots=True)
class Reader:
    """Whom the page is for: the manager's time zone (dashboard settings) and language (their browser's, else
    the dashboard settings')."""

    zone: str = "UTC"
    lang: str = "en"


STEPS = {  # the order of work's steps, as the board names them (docs/dashboard.md)
    "en": {1: "Act now", 2: "About to breach", 3: "High risk", 4: "Watch"},
    "de": {1: "Jetzt handeln", 2: "Kurz vor Verstoß", 3: "Hohes Risiko", 4: "Beobachten"},
    "no": {1: "Handle nå", 2: "Snart brudd", 3: "Høy risiko", 4: "Følg med"},
}


def board_rows(
    listed: EarlyWarningPage,
    query: BoardQuery,
    page_size: int,
    now: datetime,
    reader: Reader = Reader(),
    helpdesk: str | None = None,
) -> dict[str, Any]:
    """The page's rows in words, with the total and the page count. `listed`: one page of
    GET /v1/early-warning's answer for this query; `helpdesk`: the ticket URL template (settings)."""
    pages = max(1, -(-listed.total // page_size))
    page = min(query.page, pages)
    rows = [row(i, now, reader, helpdesk) for i in listed.items]
    return {"total": listed.total, "snoozed": listed.snoozed, "page": page, "pages": pages, "rows": rows}


def helpdesk_link(template: str | None, ticket_id: str) -> str | None:
    """The ticket in the team's helpdesk: the settings' template with the URL-encoded id in it; for a ticket
    from a helpdesk's webhook or import, `{helpdesk_ticket_id}` is the helpdesk's own id (zendesk-7 -> 7)."""
    if not template:
        return None
    split = split_ticket_id(ticket_id)
    own = split[1] if split else ticket_id
    return template.replace("{ticket_id}", quote(ticket_id, safe="")).replace(
        "{helpdesk_ticket_id}", quote(own, safe=""))


def row(
    item: EarlyWarningItem, now: datetime, reader: Reader = Reader(), helpdesk: str | None = None
) -> dict[str, Any]:
    sla_text, sla_when = sla_words(item.targets, now, reader.zone, reader.lang)
    action = item.recommended_action
    step = item.work_step
    return {
        "ticket_id": item.ticket_id,
        "helpdesk": helpdesk_link(helpdesk, item.ticket_id),
        "step": step,
        "step_label": STEPS[reader.lang].get(step, "") if step else "",
        "risk": item.risk,
        "risk_pct": risk_text(item.risk, reader.lang),
        "risk_band": item.model_band or "",
        "risk_band_words": band_word(item.model_band, reader.lang),
        "band": item.band,
        "sla_band": item.sla_band or "",
        "sla": sla_text,
        "sla_when": sla_when,
        "breached": item.breached,
        "escalation_level": item.escalation_level,
        "reasons": reasons_in_words(item.reasons, reader.lang),
        "evidence": [f"{SIGNALS[reader.lang].get(s.name, s.name.replace('_', ' '))}: “{s.evidence}”"
                     for s in item.signals[:3]],
        "action": action.texts.get(reader.lang) or action.text,
        "action_kind": action.kind,
        "channel": item.channel,
        "team": item.team,
        "assignee": item.assignee or label("unassigned", reader.lang),
        "tier": item.customer_tier or "—",
        "priority": item.priority,
        "snoozed_until": item.snoozed_until.isoformat() if item.snoozed_until else None,
        "snoozed_by": item.snoozed_by,
    }


def risk_text(risk: float | None, lang: str = "en") -> str:
    """The calibrated risk with the precision it has: whole per cent, '< 1 %' below half a per cent."""
    if risk is None:
        return label("rules_only", lang)
    return "< 1 %" if risk < 0.005 else f"{risk:.0%}".replace("%", " %")


def reasons_in_words(reasons: Sequence[Reason], lang: str = "en") -> list[tuple[str, str]]:
    """The model's top pushes towards escalation as (words, the number behind them for the hover text);
    a value that says nothing ('insults in 0 messages') is left out."""
    out = []
    for r in reasons:
        if r.contribution <= 0:
            continue
        words = reason_words(r.feature, r.value, lang)
        if words is not None:
            push = f"{r.contribution:+.2f}"
            out.append((words, label("reason_number", lang, feature=r.feature, value=r.value, push=push)))
    return out[:3]


# --- the CSV export -------------------------------------------------------------------------------------
CSV_COLUMNS = (
    "order", "ticket_id", "step", "sla", "sla_due", "breached", "escalation_level", "risk", "risk_band",
    "next_step", "why", "team", "assignee", "priority", "channel", "tier", "helpdesk_url", "snoozed_until",
    "snoozed_by",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula (customer-written fields can)
    gets a leading apostrophe (OWASP's advice against CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA) else text


def csv_records(rows: list[dict[str, Any]], start: int = 1) -> list[list[str]]:
    """The board's rows as CSV records in CSV_COLUMNS' order, numbered in the order of the list; the risk
    with four decimals (the page rounds it), reasons joined with '; '."""
    return [
        [cell(v) for v in (
            n, r["ticket_id"], r["step_label"], r["sla"], r["sla_when"], "yes" if r["breached"] else "no",
            r["escalation_level"], "" if r["risk"] is None else f"{r['risk']:.4f}", r["risk_band"],
            r["action"], "; ".join(words for words, _ in r["reasons"]), r["team"], r["assignee"],
            r["priority"], r["channel"], r["tier"], r["helpdesk"] or "", r["snoozed_until"] or "",
            r["snoozed_by"] or "",
        )]
        for n, r in enumerate(rows, start)
    ]
