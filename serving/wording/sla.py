"""A ticket's SLA urgency in words: the most overdue target ('resolution overdue by 15 business hours, due
Fri 27 Nov 14:00'), else the soonest running one ('first reply due in 40 min, at 14:00'). Overdue time is
the calendar's open time (business hours), as the SLA counts it; 'due in' is wall-clock time, and so is the
time a running deadline is overdue by once the page's clock has passed it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.assessment import NextStep, TargetOut
from core.sla import TargetState
from serving.wording.actions import why
from serving.wording.clock import local_time

_WORDS = {
    "en": {"none": "no SLA clock running", "was_due": "was due {at}", "at": "at {at}",
           "paused": "SLA clock paused: waiting on the customer"},
    "de": {"none": "keine SLA-Uhr läuft", "was_due": "war fällig {at}", "at": "um {at}",
           "paused": "SLA-Uhr angehalten: wartet auf den Kunden"},
    "no": {"none": "ingen SLA-klokke går", "was_due": "forfalt {at}", "at": "kl. {at}",
           "paused": "SLA-klokken står: venter på kunden"},
}


def sla_words(targets: Sequence[TargetOut], now: datetime, zone: str, lang: str = "en") -> tuple[str, str]:
    """(the urgency in words, when in the manager's time zone) from an assessment's SLA targets."""
    words = _WORDS[lang]
    breached = [t for t in targets if t.state == TargetState.BREACHED]
    if breached:
        worst = max(breached, key=lambda t: t.breached_by_s or 0.0)
        step = NextStep(kind="none", why="overdue", target=worst.target, seconds=worst.breached_by_s or 0.0)
        text = why(step, lang)
        return text or "", words["was_due"].format(at=local_time(worst.due_at, zone, lang))
    running = [(t, t.due_at) for t in targets if t.state == TargetState.RUNNING and t.due_at is not None]
    if running:
        soonest, due = min(running, key=lambda pair: pair[1])
        # counted from `now`, the page's instant: past the deadline (the assessment is older than it) the
        # target reads overdue by wall-clock time, as the next step does, until the engine counts the breach
        step = NextStep(kind="none", why="due_in", target=soonest.target, due_at=due)
        text = why(step, lang, now)
        said = words["at"] if due >= now else words["was_due"]
        return text or "", said.format(at=local_time(due, zone, lang))
    if any(t.state == TargetState.PAUSED for t in targets):
        return words["paused"], ""
    return words["none"], ""
