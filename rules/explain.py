"""Why a ticket's SLA stands where it does: the policy that matched and the condition that matched,
and per target the clock's timeline — started, closed hours skipped (weekend, holiday, night),
paused, resumed, due, fulfilled — as JSON-able data and as text for people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from core.sla import TargetStatus, to_plain
from core.tickets import Event, Ticket
from rules.calendar import BusinessCalendar, from_us, to_us
from rules.clock import running_segments
from rules.durations import format_duration
from rules.engine import evaluate
from rules.policyset import PolicySet
from rules.timeline import derive_clocks, read_history

MAX_STEPS = 60  # a ten-day target crosses many nights: keep the timeline readable
SOLVED_STOP = "solved or closed before it was fulfilled: nothing owed"
WITHDRAWN_STOP = "withdrawn (merged, deleted or spam) before it was fulfilled: no verdict"


def explain(
    policies: PolicySet,
    ticket: Ticket,
    events: Iterable[Event],
    now: datetime,
    *,
    signals: Iterable[str] = (),
    risk: float | None = None,
) -> dict[str, Any]:
    events = list(events)
    result = evaluate(policies, ticket, events, now, signals=signals, risk=risk)
    out: dict[str, Any] = {
        "ticket_id": ticket.ticket_id,
        "at": now.isoformat(),
        "policy": result.policy,
        "matched": list(result.matched) if result.policy else ["no policy matched: no SLA clocks run"],
        "priority": result.priority.value,
        "policy_version": result.policy_version,
        "calendar_version": result.calendar_version,
        "policies_version": result.policies_version,
        "policies_source": policies.source,
        "targets": [],
        "escalation_level": result.escalation_level,
        "actions_due": to_plain(result.actions),
        "upcoming": to_plain(result.upcoming),
        "next_due_at": result.next_due_at.isoformat() if result.next_due_at else None,
    }
    history = read_history(ticket, events, to_us(now))
    for status in result.targets:
        policy = policies.policy(status.policy)
        clocks = derive_clocks(history, policy.pause_statuses, policy.spec.customer_message_resumes)
        cycle = getattr(clocks, status.target.value)[-1]  # the cycle the status describes
        target = _plain_status(status)
        cal = policy.calendar
        target["ignored_events"] = [
            {"at": from_us(at).astimezone(cal.tz).isoformat(), "event": why} for at, why in history.ignored
        ]
        since = to_us(status.started_at)
        ignored = [_step(at, "ignored", why, cal) for at, why in history.ignored if at >= since]
        ended = WITHDRAWN_STOP if cycle.withdrawn else SOLVED_STOP
        target["timeline"] = _timeline(status, cycle.stop, clocks.pauses, cal, to_us(now), ignored, ended)
        out["targets"].append(target)
    return out


def _plain_status(status: TargetStatus) -> dict[str, Any]:
    plain: dict[str, Any] = to_plain(status)  # the same JSON shape as results
    for key in ("budget", "remaining", "elapsed", "breached_by"):
        value = getattr(status, key)
        plain[f"{key}_text"] = format_duration(value) if value is not None else None
    return plain


def _timeline(
    status: TargetStatus,
    stop: int | None,
    pauses: list[tuple[int, int | None]],
    cal: BusinessCalendar,
    now: int,
    ignored: list[dict[str, str]],
    ended: str,  # why a cycle that stopped unfulfilled stopped
) -> list:
    """The clock's steps from its start; a cycle that ended (fulfilled, or stopped by a solve)
    ends there — what would have come later (nights, the deadline) never happened."""
    start = to_us(status.started_at)
    steps: list[dict[str, str]] = [_step(start, "started", f"{status.target.value} clock started", cal)]
    segments = running_segments(start, stop, pauses)
    horizon = stop if stop is not None else now if status.due_at is None else max(now, to_us(status.due_at))
    for n, (a, b) in enumerate(segments):
        if n:
            steps.append(_step(a, "resumed", "the ticket is waiting on us again", cal))
        end = min(b if b is not None else horizon, horizon)
        cursor = a
        for s, e in cal.open_spans(a, end):
            if s > cursor:
                steps.append(_step(cursor, "skipped", _closed_reason(cursor, s, cal), cal, until=s))
            cursor = e
        if b is not None and b != stop:
            steps.append(_step(b, "paused", "waiting on the customer: the clock stops", cal))
    if status.due_at is not None and (stop is None or to_us(status.due_at) <= stop):
        word = "breached" if status.breached_at else "due"
        steps.append(
            _step(to_us(status.due_at), word, f"target {format_duration(status.budget)} used up", cal)
        )
    if status.fulfilled_at is not None:
        steps.append(_step(to_us(status.fulfilled_at), "fulfilled", status.state.value, cal))
    elif stop is not None:
        steps.append(_step(stop, "stopped", ended, cal))
    # Instants as UTC microseconds sort correctly; local ISO strings with offsets would not across DST.
    steps = _fold_nights(sorted([*steps, *ignored], key=lambda s: _sort_key(s["at"])))
    return (
        steps
        if len(steps) <= MAX_STEPS
        else [*steps[: MAX_STEPS - 1], {"at": "", "event": "…", "detail": ""}]
    )


def _sort_key(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


NIGHT = "closed: outside opening hours"


def _fold_nights(steps: list[dict[str, str]]) -> list[dict[str, str]]:
    """A run of ordinary nights is one step: a ten-day target otherwise lists every night, while
    weekends and holidays — the closures people ask about — stay visible on their own."""
    out: list[dict[str, str]] = []
    run: list[dict[str, str]] = []

    def flush() -> None:
        if len(run) > 2:
            out.append({**run[0], "detail": f"{NIGHT} ({len(run)} nights)", "until": run[-1]["until"]})
        else:
            out.extend(run)
        run.clear()

    for step in steps:
        if step["event"] == "skipped" and step["detail"] == NIGHT:
            run.append(step)
            continue
        flush()
        out.append(step)
    flush()
    return out


def _step(
    at: int, event: str, detail: str, cal: BusinessCalendar, until: int | None = None
) -> dict[str, str]:
    local = from_us(at).astimezone(cal.tz)
    step = {"at": local.isoformat(), "event": event, "detail": detail}
    if until is not None:
        step["until"] = from_us(until).astimezone(cal.tz).isoformat()
    return step


def _closed_reason(a: int, b: int, cal: BusinessCalendar) -> str:
    first = from_us(a).astimezone(cal.tz).date()
    last = from_us(b).astimezone(cal.tz).date()
    days = [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]
    holidays = [d.isoformat() for d in days if cal.is_holiday(d)]
    if holidays:
        return f"closed: holiday {', '.join(holidays)}"
    if any(not cal.weekly[d.weekday()] for d in days):
        return "closed: weekend / closed day"
    return "closed: outside opening hours"


def render_text(report: dict[str, Any]) -> str:
    lines = [
        f"Ticket {report['ticket_id']} at {report['at']}",
        f"Policy: {report['policy'] or '(none)'}  version {report['policy_version'] or '-'}"
        f"  calendar {report['calendar_version'] or '-'}  priority {report['priority']}",
        "Matched because:",
        *(f"  - {why}" for why in report["matched"]),
    ]
    for t in report["targets"]:
        lines += [
            "",
            f"{t['target']}: {t['state']}  target {t['budget_text']}  used {t['elapsed_text']}"
            f"  left {t['remaining_text']}  due {t['due_at'] or ('(paused)' if t['paused'] else '-')}"
            + (f"  breached by {t['breached_by_text']}" if t["breached_by"] is not None else ""),
        ]
        for step in t["timeline"]:
            until = f" until {step['until']}" if "until" in step else ""
            lines.append(f"  {step['at']:<26} {step['event']:<9} {step['detail']}{until}")
    lines += ["", f"Escalation level reached: {report['escalation_level']}", "Actions due now:"]
    lines += [f"  - {_action_text(a)}" for a in report["actions_due"]] or ["  (none)"]
    lines += ["Upcoming:"] + ([f"  - {_action_text(a)}" for a in report["upcoming"]] or ["  (none)"])
    lines.append(f"Next due at: {report['next_due_at'] or '(nothing scheduled: waits for the next event)'}")
    return "\n".join(lines)


def _action_text(a: dict[str, Any]) -> str:
    to = a["to"]["kind"] + (f" {a['to']['name']}" if a["to"]["name"] else "")
    level = f" level {a['level']}" if a["level"] else ""
    kind = f" ({a['escalation_type']})" if a["escalation_type"] else ""
    return f"{a['at']} {a['kind']}{level}{kind} -> {to}: {a['reason']} [id {a['action_id']}]"
