"""The ticket page's escalations and alerts in words, from their typed fields (kind, level, recipient,
target, instant, rule): 'Fri 27 Nov 14:00: Escalate to level 2: the billing team lead — first reply was due
Fri 27 Nov 13:00'. The rules engine's own `reason` notes are English for logs and never shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from core.assessment import DueAction, NextStep, RecommendedAction, TargetOut, TicketAssessment
from core.sla import ActionKind
from serving.store.records import StoredAlert
from serving.wording.actions import next_step
from serving.wording.clock import local_time
from serving.wording.phrases import TARGETS

RECIPIENTS = ("assignee", "manager", "team_lead", "group", "person", "team")
_WORDS = {
    "en": {"entry": "{at}: {step} — {why}", "was_due": "{target} was due {at}", "due": "{target} due {at}",
           "trigger": "policy rule “{name}”", "rule": "rule “{name}”",
           "alert_risk": "Alert #{n} {at}: the ticket became {band}",
           "alert_trigger": "Alert #{n} {at} ({band}): policy rule “{name}” fired",
           "alert_other": "Alert #{n} {at} ({band})"},
    "de": {"entry": "{at}: {step} — {why}", "was_due": "{target} war fällig {at}",
           "due": "{target} fällig {at}", "trigger": "Regel „{name}“", "rule": "Regel „{name}“",
           "alert_risk": "Warnung #{n} {at}: Ticket wurde {band}",
           "alert_trigger": "Warnung #{n} {at} ({band}): Regel „{name}“ ausgelöst",
           "alert_other": "Warnung #{n} {at} ({band})"},
    "no": {"entry": "{at}: {step} — {why}", "was_due": "{target} forfalt {at}",
           "due": "{target} forfaller {at}",
           "trigger": "regel «{name}»", "rule": "regel «{name}»",
           "alert_risk": "Varsel #{n} {at}: saken ble {band}",
           "alert_trigger": "Varsel #{n} {at} ({band}): regel «{name}» slo til",
           "alert_other": "Varsel #{n} {at} ({band})"},
}
BANDS = {
    "en": {"low": "low", "medium": "medium", "high": "high", "critical": "critical"},
    "de": {"low": "niedrig", "medium": "mittel", "high": "hoch", "critical": "kritisch"},
    "no": {"low": "lav", "medium": "middels", "high": "høy", "critical": "kritisk"},
}


def recipient(to: str) -> tuple[str | None, str | None]:
    """A due action's `to` code ('team_lead billing', 'assignee agent-7', 'assignee') as (kind, name)."""
    kind, _, name = to.partition(" ")
    return (kind, name or None) if kind in RECIPIENTS else (None, to or None)


def band_word(band: str | None, lang: str = "en") -> str:
    return BANDS[lang].get(band or "", band or "")


def action_step(a: DueAction, lang: str = "en") -> str:
    """The action itself: 'Escalate to level 2: the billing team lead', 'Remind agent-7 (assignee)'."""
    who_kind, who_name = recipient(a.to)
    return next_step(NextStep(kind=a.kind.value, level=a.level, who_kind=who_kind, who_name=who_name,
                              priority=a.priority.value if a.priority else None, team=a.team), lang)


def action_why(a: DueAction, targets: Sequence[TargetOut], zone: str, lang: str = "en") -> str:
    words = _WORDS[lang]
    name = (a.rule or "").replace("-", " ")
    if a.trigger:
        return words["trigger"].format(name=name)
    if a.target is not None:
        due = next((t.due_at for t in targets if t.target == a.target), None)
        target = TARGETS[lang].get(a.target.value, a.target.value.replace("_", " "))
        key = "was_due" if a.kind is ActionKind.ESCALATE else "due"
        return words[key].format(target=target, at=local_time(due, zone, lang))
    return words["rule"].format(name=name)


def action_words(a: DueAction, targets: Sequence[TargetOut], zone: str, lang: str = "en") -> str:
    """One due action as the page's history shows it, at its instant in the manager's time zone."""
    return _WORDS[lang]["entry"].format(
        at=local_time(a.at, zone, lang), step=action_step(a, lang), why=action_why(a, targets, zone, lang)
    )


def also_due(action: RecommendedAction, due: Sequence[DueAction], lang: str = "en") -> list[str]:
    """The due actions besides the recommended one, each once: the recommended one is the first of its
    `action_ids` when it goes to the step's recipient (a step of the model's or a follow-up on a breach has
    no action of its own)."""
    chosen = action.action_ids[0] if action.action_ids else None
    first = next((a for a in due if a.action_id == chosen), None)
    skip = chosen if first is not None and first.to == action.to else None
    return list(dict.fromkeys(action_step(a, lang) for a in due if a.action_id != skip))


def alert_words(alert: StoredAlert, actions: Mapping[str, DueAction], zone: str, lang: str = "en") -> str:
    """An alert from its kind and band: a band crossing, or the immediate trigger that fired it (its rule
    named by the action its dedup key holds: 'trigger:<action id>')."""
    words = _WORDS[lang]
    values = {"n": alert.alert_id, "at": local_time(alert.raised_at, zone, lang),
              "band": band_word(alert.band, lang)}
    if alert.kind == "risk":
        return words["alert_risk"].format(**values)
    fired = actions.get(alert.dedup_key.removeprefix("trigger:"))
    if alert.kind == "trigger" and fired is not None:
        return words["alert_trigger"].format(name=fired.rule.replace("-", " "), **values)
    return words["alert_other"].format(**values)


def due_by_id(assessments: Iterable[TicketAssessment]) -> dict[str, DueAction]:
    """Every action any of a ticket's assessments had due, by id (the latest wins)."""
    return {a.action_id: a for body in assessments for a in body.sla.actions_due}
