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
from core.spreadsheet import cell
from helpdesks.common import split_ticket_id
from serving.early_warning import EarlyWarningItem, EarlyWarningPage
from serving.errors import InputError
from serving.store import OpenTicketsQuery, Sort
from serving.wording import local_time, reason_words
from serving.wording.actions import step_at
from serving.wording.clock import number, percent
from serving.wording.history import band_word
from serving.wording.labels import label
from serving.wording.phrases import SIGNALS
from serving.wording.sla import sla_words
from serving.wording.timeline import code_words

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


YES, NO = ("1", "true", "on"), ("0", "false", "off")  # breached_only: the checkbox sends 1; empty is no
PAGE_DIGITS = 12  # pages of up to 200 rows below 10^12: offsets stay far within BIGINT
SEARCH_CHARS = 200  # the longest search text (ticket and customer ids hold at most 200 characters)


class ChoiceRefused(InputError):
    """A query parameter of the board with a value its menu does not offer; `words` says so in a language."""

    def __init__(self, name: str, value: str, allowed: tuple[str, ...]) -> None:
        self.name, self.value, self.allowed = name, value[:40], ", ".join(allowed)
        super().__init__(f"{name}: {self.value!r} is not one of {self.allowed}")

    def words(self, lang: str) -> str:
        return label("choice_refused", lang, name=self.name, value=repr(self.value), allowed=self.allowed)


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
        """The view a query string asks for; a band, sort, channel, priority or breached_only the board does
        not offer is refused (ChoiceRefused), not dropped: the list would show every ticket under a filter
        that seems on (or none off). Empty is the menus' "all"."""
        def pick(name: str, allowed: tuple[str, ...] | None = None) -> str | None:
            value = (params.get(name) or "").strip()
            if allowed is not None and value and value not in allowed:
                raise ChoiceRefused(name, value, allowed)
            return value or None

        page = params.get("page", "1")
        return cls(
            team=pick("team"),
            channel=pick("channel", CHANNELS),
            priority=pick("priority", PRIORITIES),
            band=pick("band", BANDS),
            breached_only=pick("breached_only", YES + NO) in YES,
            sort=pick("sort", tuple(SORTS)) or "work",
            # a page past the BIGINT offsets the store can count is no page: the first one is shown
            # ASCII digits only: isdigit() also passes '²', which int() refuses
            page=max(1, int(page)) if page.isascii() and page.isdigit() and len(page) <= PAGE_DIGITS else 1,
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
    band = item.band or item.sla_band  # None: stored before bands were kept (the SLA's is kept with it)
    return {
        "ticket_id": item.ticket_id,
        "helpdesk": helpdesk_link(helpdesk, item.ticket_id),
        "step": step,
        "step_label": STEPS[reader.lang].get(step, "") if step else "",
        "risk": item.risk,
        "risk_pct": risk_text(item.risk, reader.lang),
        "risk_band": item.model_band or "",
        "risk_band_words": band_word(item.model_band, reader.lang),
        # the band the filter selects by (the higher of the model's and the SLA's), its parts on hover
        "band": band or "",
        "band_words": band_word(band, reader.lang),
        "band_parts": label("band_parts", reader.lang, sla=band_word(item.sla_band, reader.lang) or "—",
                            model=band_word(item.model_band, reader.lang) if item.model_band
                            else label("rules_only", reader.lang)),
        "sla_band": item.sla_band or "",
        "sla_band_words": band_word(item.sla_band, reader.lang),
        "sla": sla_text,
        "sla_when": sla_when,
        "breached": item.breached,
        "escalation_level": item.escalation_level,
        "reasons": reasons_in_words(item.reasons, reader.lang),
        "evidence": [f"{SIGNALS[reader.lang].get(s.name, s.name.replace('_', ' '))}: “{s.evidence}”"
                     for s in item.signals[:3]],
        "action": step_at(action, now, reader.lang),
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
    """The calibrated risk with the precision it has: whole per cent, '< 1%' below half a per cent; written
    as the language writes a percentage ('81%', '81 %'), as the KPI page's rates."""
    if risk is None:
        return label("rules_only", lang)
    return f"< {percent(0.01, lang)}" if risk < 0.005 else percent(risk, lang)


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
# The columns, in order. As they are, they are the header of the codes variant (`?format=codes`): stable
# English names and codes for scripts. The default export says them in the page's language (CSV_HEADINGS).
CSV_COLUMNS = (
    "order", "ticket_id", "step", "sla", "sla_due", "breached", "escalation_level", "risk", "band",
    "risk_band", "sla_band", "next_step", "why", "team", "assignee", "priority", "channel", "tier",
    "helpdesk_url", "snoozed_until", "snoozed_by",
)
CSV_HEADINGS = {  # each column's heading in the page's language: its key in serving/wording/labels.py
    "order": "csv_order", "ticket_id": "col_ticket", "step": "col_step", "sla": "col_sla",
    "sla_due": "csv_sla_due", "breached": "csv_breached", "escalation_level": "csv_level",
    "risk": "col_risk", "band": "band", "risk_band": "csv_model_band", "sla_band": "csv_sla_band",
    "next_step": "col_next", "why": "col_why", "team": "team",
    "assignee": "col_assignee", "priority": "priority", "channel": "channel", "tier": "col_tier",
    "helpdesk_url": "csv_helpdesk", "snoozed_until": "csv_snoozed_until", "snoozed_by": "csv_snoozed_by",
}
def csv_header(reader: Reader | None) -> list[str]:
    """The header: the columns' headings in the reader's language, or their codes (`None`: the codes
    variant)."""
    if reader is None:
        return list(CSV_COLUMNS)
    return [label(CSV_HEADINGS[column], reader.lang) for column in CSV_COLUMNS]


def csv_record(
    n: int, item: EarlyWarningItem, now: datetime, reader: Reader | None, helpdesk: str | None = None
) -> list[str]:
    """One ticket as a CSV record in CSV_COLUMNS' order, `n` its place in the list; the risk with four
    decimals (the page rounds it), reasons joined with '; '. For a reader: every value in their language and
    time zone (bands, priority, channel, tier and yes/no in words). `None`, the codes variant: the codes as
    the API has them (step name, band, priority, channel, tier, `true`/`false`), instants in ISO 8601, the
    texts in English."""
    r = row(item, now, reader or Reader(), helpdesk)
    why = "; ".join(words for words, _ in r["reasons"])
    if reader is None:
        values: tuple[object, ...] = (
            n, item.ticket_id, item.work_step_name, r["sla"], _iso(item.sla_due_at),
            "true" if item.breached else "false", item.escalation_level, _risk(item.risk), r["band"],
            r["risk_band"], r["sla_band"], r["action"], why, item.team, item.assignee, item.priority.value,
            item.channel.value, item.customer_tier, r["helpdesk"], _iso(item.snoozed_until), item.snoozed_by,
        )
    else:
        lang = reader.lang
        values = (
            n, item.ticket_id, r["step_label"], r["sla"], r["sla_when"],
            label("yes" if item.breached else "no", lang), item.escalation_level, _risk(item.risk, lang),
            r["band_words"], r["risk_band_words"], r["sla_band_words"], r["action"], why, item.team,
            r["assignee"],
            code_words("priority", item.priority.value, lang),
            code_words("channel", item.channel.value, lang), code_words("tier", item.customer_tier, lang),
            r["helpdesk"],
            local_time(item.snoozed_until, reader.zone, lang, with_zone=True) if item.snoozed_until else None,
            item.snoozed_by,
        )
    return [cell(v) for v in values]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def _risk(risk: float | None, lang: str | None = None) -> str | None:
    """Four decimals: '0.8123', in German and Norwegian '0,8123'."""
    return None if risk is None else number(risk, lang or "en", 4)
