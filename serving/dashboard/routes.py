"""The dashboard's routes: login/logout (session cookie), the early-warning board and its JSON for polling,
the ticket view and its feedback form. Thin: the service answers, `board` and `plot` shape it for the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from core.assessment import TicketAssessment
from core.bounds import BIGINT_END, text_problem
from core.enums import EventType, TicketStatus
from core.errors import EscalationError, NotFoundError
from core.tickets import Event
from serving.auth import Caller
from serving.dashboard.board import (
    BANDS,
    CHANNELS,
    PRIORITIES,
    SORTS,
    STEPS,
    BoardQuery,
    ChoiceRefused,
    Reader,
    board_rows,
    csv_header,
    csv_record,
    helpdesk_link,
    reasons_in_words,
    risk_text,
)
from serving.dashboard.charts import RATES, TYPES, by_period, ranking_chart, rate_chart, stacked_chart
from serving.dashboard.forms import read_form
from serving.dashboard.guard import SECURITY_HEADERS, own_forms, secure_cookie
from serving.dashboard.history_pages import history_page, page_links
from serving.dashboard.plot import risk_plot
from serving.dashboard.session import COOKIE, DashboardSessions, LoginRefused
from serving.dashboard.snoozing import CHOICES, snooze_until
from serving.deps import get_service
from serving.early_warning import EarlyWarningPage
from serving.errors import InputError
from serving.kpis import kpi_report, kpi_teams
from serving.service import Service
from serving.store.paging import parse_offset
from serving.store.sessions import SessionRows
from serving.ticket_history import TicketHistory
from serving.wording import local_time
from serving.wording.actions import step_at
from serving.wording.clock import day_label, number, percent
from serving.wording.history import action_words, alert_words, also_due, band_word, due_by_id
from serving.wording.labels import accepted_language, cause_words, label
from serving.wording.phrases import TARGETS
from serving.wording.timeline import code_words

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


@pass_context
def _when(context: Any, iso: str | None) -> str:
    """An instant in the manager's time zone and language ('Fri 27 Nov 2026 14:00 CET')."""
    who: Reader = context.get("reader") or Reader()
    return local_time(iso, who.zone, who.lang, with_zone=True)


templates.env.filters["when"] = _when


@pass_context
def _label(context: Any, key: str, **values: object) -> str:
    """A page word in the manager's language (serving/wording/labels.py)."""
    who: Reader = context.get("reader") or Reader()
    return label(key, who.lang, **values)


templates.env.globals["t"] = _label


@pass_context
def _words(context: Any, code: str | None, kind: str) -> str:
    """A code of the timeline (serving/wording/timeline.py) or a band in the manager's language."""
    who: Reader = context.get("reader") or Reader()
    return band_word(code, who.lang) if kind == "band" else code_words(kind, code, who.lang)


templates.env.filters["words"] = _words


@pass_context
def _percent(context: Any, share: float | None, digits: int = 0) -> str:
    """A share 0..1 as the manager's language writes a percentage ('12.5%', '12,5 %')."""
    who: Reader = context.get("reader") or Reader()
    return percent(share, who.lang, digits)


@pass_context
def _number(context: Any, value: float | None, digits: int = 0) -> str:
    """A number with the manager's language's separators ('1,234.5', '1.234,5'); '—' for none."""
    who: Reader = context.get("reader") or Reader()
    return "—" if value is None else number(value, who.lang, digits)


@pass_context
def _day(context: Any, iso: str | None) -> str:
    """A calendar day (its ISO date or instant) in the manager's language ('24 Nov 2026', '24. Nov. 2026')."""
    who: Reader = context.get("reader") or Reader()
    return day_label(date.fromisoformat(iso[:10]), who.lang) if iso else "—"


@pass_context
def _cause(context: Any, cause: str) -> str:
    """A root cause in the manager's language (serving/wording/labels.py)."""
    who: Reader = context.get("reader") or Reader()
    return cause_words(cause, who.lang)


templates.env.filters.update(percent=_percent, number=_number, day=_day, cause=_cause)


def plain(name: str, value: str) -> str:
    """A text of a request as the store can take it: NUL is refused, naming the field (PostgreSQL's text
    holds none: a 500; SQLite's LIKE ended the search's pattern there, so it matched every ticket)."""
    if (problem := text_problem(value)) is not None:
        raise InputError(f"{name}: {problem}")
    return value


async def plain_params(request: Request) -> None:
    """Every path and query parameter of a dashboard request, checked by `plain` (422 naming it)."""
    for name, value in (*request.path_params.items(), *request.query_params.multi_items()):
        plain(name, value)


# every form is taken only from the dashboard's own pages (serving/dashboard/guard.py)
router = APIRouter(include_in_schema=False, dependencies=[Depends(plain_params), Depends(own_forms)])
static = StaticFiles(directory=HERE / "static")


def sessions(request: Request) -> DashboardSessions:
    """The sessions, in the store of the service (so every server process sees the same)."""
    state = request.app.state
    return DashboardSessions(SessionRows(get_service(request).store.db), state.keyring, state.session_signer,
                             state.settings)


async def session_caller(request: Request) -> Caller | None:
    """The manager (or admin) behind the session cookie, or None: no, bad, expired or revoked session."""
    cookie = request.cookies.get(COOKIE)
    if cookie is None:
        return None
    return await run_in_threadpool(sessions(request).caller, cookie)


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    context.setdefault("reader", reader(request))
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


# The dashboard's JSON, read by its own script (the list's poll keeps the rows it shows on any other answer)
JSON_PATHS = frozenset({"/dashboard/board.json"})


def reads_pages(request: Request) -> bool:
    """Whether `request` is for a page a person reads on the dashboard: an error is a page then, not JSON."""
    path = request.url.path
    return (path == "/dashboard" or path.startswith("/dashboard/")) and path not in JSON_PATHS


# Why a page could not be answered now (503): its title and lines (serving/wording/labels.py)
Unavailable = Literal["store_down", "busy"]
UNAVAILABLE: dict[Unavailable, tuple[str, ...]] = {
    "store_down": ("store_down_text", "store_down_retry"), "busy": ("busy_text",)}


def unavailable_page(request: Request, why: Unavailable, retry_after_s: int) -> HTMLResponse:
    """The store does not answer (`store_down`) or the server sheds (`busy`): a page saying so and when to try
    again (503, Retry-After), without the session's manager (who it is is not read now). Try again: the same
    page; after a form, the list."""
    again = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    context = {"caller": None, "title": why, "lines": UNAVAILABLE[why], "retry_after_s": retry_after_s,
               "again": again if request.method == "GET" else "/dashboard"}
    response = page(request, "unavailable.html", context, status=503)
    response.headers["Retry-After"] = str(retry_after_s)
    return response


def to_login() -> RedirectResponse:
    return RedirectResponse("/dashboard/login", status_code=303)


@router.get("/")
async def root() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=307)


@router.get("/dashboard/login")
async def login_page(request: Request) -> Response:
    if await session_caller(request) is not None:
        return RedirectResponse("/dashboard", status_code=303)
    return page(request, "login.html", {"error": None})


@router.post("/dashboard/login")
async def login(request: Request) -> Response:
    form = await read_form(request)
    key = (form.get("api_key") or [""])[0].strip()
    client = request.client.host if request.client else "unknown"
    found = sessions(request)
    outcome = await run_in_threadpool(found.login, key, client)
    if isinstance(outcome, LoginRefused):
        refused = page(request, "login.html", {"error": outcome.message}, status=outcome.status)
        if outcome.retry_after_s is not None:
            refused.headers["Retry-After"] = str(outcome.retry_after_s)
        return refused
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(
        COOKIE,
        outcome.cookie,
        max_age=found.max_age_s,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure_cookie(request, request.app.state.settings),
    )
    return response


@router.post("/dashboard/logout")
async def logout(request: Request) -> Response:
    """Ends the session in the store (the cookie is refused from now on, wherever it is replayed) and clears
    the cookie."""
    await read_form(request)  # none of its own, but a form like the others (serving/dashboard/forms.py)
    cookie = request.cookies.get(COOKIE)
    if cookie is not None:
        await run_in_threadpool(sessions(request).logout, cookie)
    response = to_login()
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=secure_cookie(request, request.app.state.settings))
    return response


@router.get("/dashboard")
async def board(request: Request) -> Response:
    caller = await session_caller(request)
    if caller is None:
        return to_login()
    try:
        query = BoardQuery.from_params(dict(request.query_params))
    except ChoiceRefused as exc:
        return refused_choice(request, caller, exc)
    view = await board_view(request, query)
    settings = request.app.state.settings
    return page(
        request,
        "board.html",
        {
            "caller": caller,
            "query": query,
            "view": view,
            "poll_s": settings.dashboard.poll_s,
            "bands": BANDS,
            "channels": CHANNELS,
            "priorities": PRIORITIES,
            "sorts": SORTS,
            "steps": STEPS[reader(request).lang],
            "due_soon_minutes": settings.serving.due_soon_minutes,
            "teams": view["teams"],
            "urlencode": urlencode,
            "snooze_choices": CHOICES,
        },
    )


@router.get("/dashboard/board.json")
async def board_json(request: Request) -> Response:
    if await session_caller(request) is None:
        return JSONResponse(
            {"error": "unauthorized", "detail": "log in at /dashboard/login"}, status_code=401
        )
    query = BoardQuery.from_params(dict(request.query_params))
    view = await board_view(request, query)
    rows_html = templates.get_template("rows.html").render(
        view=view, query=query, urlencode=urlencode, reader=reader(request), snooze_choices=CHOICES
    )
    return JSONResponse(
        {**{k: view[k] for k in ("total", "snoozed", "page", "pages", "rows", "updated_at")},
         "rows_html": rows_html},
        headers={"Cache-Control": "no-store"},
    )


def refused_choice(request: Request, caller: Caller, exc: ChoiceRefused) -> HTMLResponse:
    """A board link with a filter or sort the menus do not offer: a page naming it and the choices, in the
    manager's language (422, as the API answers it)."""
    return page(request, "refused.html", {"caller": caller, "detail": exc.words(reader(request).lang)},
                status=422)


def reader(request: Request) -> Reader:
    """The manager's time zone (settings) and language: the browser's first that the pages are written in
    (Accept-Language), else dashboard.language."""
    settings = request.app.state.settings.dashboard
    lang = accepted_language(request.headers.get("accept-language"), settings.language)
    return Reader(zone=settings.time_zone, lang=lang)


async def board_view(request: Request, query: BoardQuery) -> dict[str, Any]:
    service = get_service(request)
    size = request.app.state.settings.dashboard.page_size
    now = request.app.state.clock()
    listed, teams = await run_in_threadpool(one_page, service, query, size, now)
    who = reader(request)
    view = board_rows(listed, query, size, now, who, service.settings.dashboard.helpdesk_ticket_url)
    updated = now.astimezone(ZoneInfo(who.zone))
    return view | {"teams": teams, "updated_at": f"{updated:%H:%M:%S} {updated.tzname()}"}


EXPORT_PAGE = 200
CSV_FORMATS = ("words", "codes")  # words (default): the page's language; codes: stable, for scripts


@router.get("/dashboard/board.csv")
async def board_csv(request: Request) -> Response:
    """The list as the board's filters and sort select it, every page (up to dashboard.export_max_rows),
    as CSV for a spreadsheet: headings and values in the page's language, or `?format=codes`: the columns'
    codes as headings and the values as codes, the same in every language (for scripts)."""
    caller = await session_caller(request)
    if caller is None:
        return to_login()
    wanted = request.query_params.get("format") or "words"
    if wanted not in CSV_FORMATS:  # a script asking for a format by another name must not get words silently
        detail = f"format: {wanted[:40]!r} is not one of {', '.join(CSV_FORMATS)}"
        return page(request, "refused.html", {"caller": caller, "detail": detail}, status=422)
    try:
        query = BoardQuery.from_params(dict(request.query_params))
    except ChoiceRefused as exc:
        return refused_choice(request, caller, exc)
    service = get_service(request)
    now = request.app.state.clock()
    who = reader(request)
    codes = wanted == "codes"
    text = await run_in_threadpool(export_csv, service, query, now, who, codes)
    stamp = now.astimezone(ZoneInfo(who.zone))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={**SECURITY_HEADERS, "Content-Language": "en" if codes else who.lang,
                 "Content-Disposition": f'attachment; filename="early-warning-{stamp:%Y%m%d-%H%M}.csv"'},
    )


def export_csv(service: Service, query: BoardQuery, now: datetime, who: Reader, codes: bool = False) -> str:
    settings = service.settings.dashboard
    due_soon = timedelta(minutes=service.settings.serving.due_soon_minutes)
    words = None if codes else who
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(words))
    written, page = 0, 1
    while written < settings.export_max_rows:
        listed = service.early_warning(query.to_store(EXPORT_PAGE, page, now, due_soon))
        items = listed.items[: settings.export_max_rows - written]
        writer.writerows(csv_record(written + n, item, now, words, settings.helpdesk_ticket_url)
                         for n, item in enumerate(items, 1))
        written += len(items)
        if len(listed.items) < EXPORT_PAGE:
            break
        page += 1
    return out.getvalue()


def one_page(
    service: Service, query: BoardQuery, size: int, now: datetime
) -> tuple[EarlyWarningPage, list[str]]:
    """The page the query asks for (the store filters, sorts and pages), and the teams with open tickets.
    A page past the end (the list shrank since the link was made) shows the last page instead."""
    due_soon = timedelta(minutes=service.settings.serving.due_soon_minutes)

    def fetch(page: int) -> EarlyWarningPage:
        return service.early_warning(query.to_store(size, page, now, due_soon))

    listed = fetch(query.page)
    last = max(1, -(-listed.total // size))
    if query.page > last:
        listed = fetch(last)
    return listed, service.store.open_teams()


@router.get("/dashboard/tickets/{ticket_id}")
async def ticket_page(request: Request, ticket_id: str) -> Response:
    caller = await session_caller(request)
    if caller is None:
        return to_login()
    service = get_service(request)
    try:  # the pages of assessments and events the links ask for, as GET /v1/tickets/{id} names them
        offsets = [parse_offset(name, request.query_params.get(name)) for name in ("offset", "events_offset")]
    except InputError as exc:
        return page(request, "refused.html", {"caller": caller, "detail": str(exc)}, status=422)
    try:
        history = await run_in_threadpool(
            history_page, service, ticket_id, request.app.state.clock(), *offsets
        )
    except EscalationError as exc:
        return page(request, "missing.html", {"caller": caller, "detail": str(exc)}, status=404)
    # the ticket's latest assessment ("current" is the ticket's state), whichever page the plot shows; none
    # while a failing one is retried
    latest = history.latest
    current = latest.body if latest is not None else None
    who = reader(request)
    return page(
        request,
        "ticket.html",
        {
            "caller": caller,
            "history": history,
            "pages": page_links(history),
            "current": current,
            **(assessment_words(history, current, who, request.app.state.clock()) if current else {}),
            "helpdesk": helpdesk_link(service.settings.dashboard.helpdesk_ticket_url, ticket_id),
            "status_from": status_from([e.event for e in history.events], history.status_before),
            "recorded": request.query_params.get("recorded"),
            "verdict": request.query_params.get("verdict"),
            "cause_recorded": request.query_params.get("cause_recorded"),
            "cause_error": request.query_params.get("cause_error"),
            "causes": service.settings.serving.root_causes,
            "snooze_choices": CHOICES,
            "target_words": TARGETS[who.lang],
        },
    )


def assessment_words(
    history: TicketHistory, body: TicketAssessment, who: Reader, now: datetime
) -> dict[str, Any]:
    """The latest assessment as the ticket page words it, from its typed fields, in the reader's language
    and time zone: the plot, reasons, next step (its deadline's time left counted from `now`, the page's
    instant), the other due actions and the escalation history."""
    lang, targets = who.lang, body.sla.targets
    deadlines = [(TARGETS[lang].get(t.target.value, t.target.value), t.due_at) for t in targets if t.due_at]
    bodies = [a.body for a in history.assessments]
    due = due_by_id([*bodies, body])  # the page's, then the latest's: the same words on an older page
    events = [e.event.at for e in history.events]
    if history.assessments_page and history.assessments_page.offset and bodies:
        # an older page of assessments: the axis spans them, not the latest events as well
        first, last = min(b.assessed_at for b in bodies), max(b.assessed_at for b in bodies)
        events = [at for at in events if first <= at <= last]
    return {
        "plot": risk_plot([(b.assessed_at, b.risk) for b in bodies], deadlines, history.alerts, events,
                          who.zone, lang),
        "reasons": reasons_in_words(body.reasons, lang),
        "action": step_at(body.recommended_action, now, lang),
        "also_due": also_due(body.recommended_action, body.sla.actions_due, lang),
        "escalations": [action_words(a, targets, who.zone, lang) for a in body.sla.actions_due]
        + [alert_words(a, due, who.zone, lang) for a in history.alerts],
        "risk_text": risk_text(body.risk, lang),
        "band_words": {b: band_word(b, lang) for b in ("low", "medium", "high", "critical")},
    }


def status_from(events: Sequence[Event], before: TicketStatus = TicketStatus.NEW) -> dict[str, str]:
    """Each status change's previous status, by event id; `before`: the status before the first event (a new
    ticket starts as 'new'; a page of later events starts from the last change before it)."""
    previous, out = before.value, {}
    for e in events:
        if e.type is EventType.STATUS_CHANGE and e.status is not None:
            out[e.event_id] = previous
            previous = e.status.value
    return out


@router.post("/dashboard/tickets/{ticket_id}/root-cause")
async def ticket_root_cause(request: Request, ticket_id: str) -> Response:
    """The page's root-cause form: the service checks the cause and that the ticket was escalated; its
    refusal comes back to the page as a message, and nothing is stored."""
    caller = await session_caller(request)
    if caller is None:
        return to_login()
    form = await read_form(request)
    cause = (form.get("cause") or [""])[0]
    owning_team = (form.get("owning_team") or [""])[0].strip()[:200]
    note = (form.get("note") or [""])[0].strip()[:2000] or None
    back = f"/dashboard/tickets/{quote(ticket_id, safe='')}?"
    if not owning_team:
        error = "owning team: enter the team that owns the fix"
        return RedirectResponse(back + urlencode({"cause_error": error}), status_code=303)
    service = get_service(request)
    try:
        plain("owning team", owning_team)
        plain("note", note or "")
        recorded = await run_in_threadpool(
            service.root_cause, ticket_id, cause, owning_team, note, caller.name
        )
    except EscalationError as exc:
        return RedirectResponse(back + urlencode({"cause_error": str(exc)}), status_code=303)
    return RedirectResponse(back + urlencode({"cause_recorded": recorded.root_cause_id}), status_code=303)


@router.post("/dashboard/tickets/{ticket_id}/feedback")
async def ticket_feedback(request: Request, ticket_id: str) -> Response:
    caller = await session_caller(request)
    if caller is None:
        return to_login()
    form = await read_form(request)
    verdict = (form.get("verdict") or [""])[0]
    alert = (form.get("alert_id") or [""])[0]
    comment = plain("comment", (form.get("comment") or [""])[0].strip()[:2000]) or None
    # ASCII digits only: isdigit() also passes '²', which int() refuses
    if alert and not (alert.isascii() and alert.isdigit() and int(alert) < BIGINT_END):
        return JSONResponse(
            {"error": "invalid_request",
             "detail": f"alert_id: {alert[:30]!r} is no alert id (0 to 2^63 - 1)"},
            status_code=422,
        )
    if verdict not in ("useful", "false_alarm"):
        return JSONResponse(
            {"error": "invalid_request", "detail": f"verdict: {verdict!r} is not useful or false_alarm"},
            status_code=422,
        )
    service = get_service(request)
    feedback_id = await run_in_threadpool(
        service.feedback,
        ticket_id,
        int(alert) if alert.isdigit() else None,
        None,
        verdict,
        comment,
        caller.name,
    )
    target = f"/dashboard/tickets/{quote(ticket_id, safe='')}?" + urlencode(
        {"recorded": feedback_id, "verdict": verdict}
    )
    return RedirectResponse(target, status_code=303)


def back_to(form: dict[str, list[str]], ticket_id: str) -> str:
    """Where a form goes back to: the board view or the ticket page it was posted from (never elsewhere)."""
    back = (form.get("back") or [""])[0]
    allowed = back == "/dashboard" or back.startswith(("/dashboard?", "/dashboard/tickets/"))
    return back if allowed and "\\" not in back and not any(c < " " for c in back) else (
        f"/dashboard/tickets/{quote(ticket_id, safe='')}"
    )


@router.post("/dashboard/tickets/{ticket_id}/snooze")
async def ticket_snooze(request: Request, ticket_id: str) -> Response:
    """The board's and the ticket page's snooze form: `for` (1h, 4h, tomorrow) or `until` (a date and time in
    the manager's time zone). Bad input: 422 naming the field; an unknown ticket: 404."""
    caller = await session_caller(request)
    if caller is None:
        return to_login()
    form = await read_form(request)
    choice = (form.get("for") or [""])[0]
    custom = (form.get("until") or [""])[0]
    service = get_service(request)
    now = request.app.state.clock()
    try:
        until = snooze_until(choice, custom, now, reader(request).zone)
        await run_in_threadpool(service.snooze, ticket_id, until, caller.name, now)
    except EscalationError as exc:
        status = 404 if isinstance(exc, NotFoundError) else 422
        return page(request, "refused.html", {"caller": caller, "detail": str(exc)}, status=status)
    return RedirectResponse(back_to(form, ticket_id), status_code=303)


@router.post("/dashboard/tickets/{ticket_id}/unsnooze")
async def ticket_unsnooze(request: Request, ticket_id: str) -> Response:
    caller = await session_caller(request)
    if caller is None:
        return to_login()
    form = await read_form(request)
    try:
        await run_in_threadpool(get_service(request).unsnooze, ticket_id, caller.name,
                                request.app.state.clock())
    except EscalationError as exc:
        return page(request, "refused.html", {"caller": caller, "detail": str(exc)}, status=404)
    return RedirectResponse(back_to(form, ticket_id), status_code=303)


def day_param(value: str | None) -> date | None:
    """A date field's value (YYYY-MM-DD); anything else is no bound."""
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


FIRST_DAY, LAST_DAY = date(1969, 12, 31), date(2100, 1, 1)  # just outside the instants tickets are created at


def midnight(day: date | None, zone: str, days_after: int = 0) -> datetime | None:
    """The instant the day `days_after` days after `day` starts in the manager's time zone: the KPI page's
    days are theirs, as every time it shows. A date field takes years 1 to 9999; a day outside the instants
    tickets are created at (1970 to 2099) is the nearest day outside them, which selects the same tickets."""
    if day is None:
        return None
    start = min(max(day, FIRST_DAY), LAST_DAY) + timedelta(days=days_after)
    return datetime.combine(start, time(), tzinfo=ZoneInfo(zone))


@router.get("/dashboard/kpis")
async def kpis_page(request: Request) -> Response:
    caller = await session_caller(request)
    if caller is None:
        return to_login()
    params = request.query_params
    period = params.get("period", "day")
    period = period if period in ("day", "week", "month") else "day"
    team = (params.get("team") or "").strip()[:200] or None
    start, end = day_param(params.get("from")), day_param(params.get("to"))
    if start is not None and end is not None and end < start:
        start, end = end, start  # a range given backwards is still the range meant
    zone = reader(request).zone
    low, end_excl = midnight(start, zone), midnight(end, zone, 1)  # "to" is the last day shown
    service = get_service(request)
    report = await run_in_threadpool(
        lambda: kpi_report(service.store.db, period=period, start=low, end=end_excl, team=team,  # type: ignore[arg-type]
                           zone=zone)
    )
    teams = await run_in_threadpool(kpi_teams, service.store.db)  # type: ignore[arg-type]
    periods = by_period(report.rows)
    totals = report.totals
    # configured causes first (in their order), then any recorded under an older list
    configured = service.settings.serving.root_causes
    causes = configured + [c for c in totals.root_causes if c not in configured]
    model = service.scorers.model
    lang = reader(request).lang
    cause_names = {cause: cause_words(cause, lang) for cause in causes}
    return page(
        request,
        "kpis.html",
        {
            "caller": caller,
            "period": period,
            "team": team,
            "teams": sorted({*teams, *([team] if team else [])}),
            "day_from": start.isoformat() if start else "",
            "day_to": end.isoformat() if end else "",
            "totals": totals,
            "charts": [(label(RATES[key][0], lang), rate_chart(key, periods, period, lang)) for key in RATES],
            "types": list(TYPES),
            "types_chart": stacked_chart(
                label("types_chart", lang), "escalations_by_type", list(TYPES), periods, period, lang,
                {kind: label(f"type_{kind}", lang) for kind in TYPES},
            ),
            "causes": causes,
            "causes_over_time": stacked_chart(
                label("causes_chart", lang), "root_causes", causes, periods, period, lang, cause_names
            ),
            "causes_chart": ranking_chart(
                label("causes_ranking", lang), totals.root_causes, lang, cause_names
            ),
            "owners_chart": ranking_chart(label("owners_ranking", lang), totals.root_cause_owners, lang),
            "status": service.status(),
            "evaluation": model.model.evaluation if model is not None else None,
        },
    )
