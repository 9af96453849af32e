"""The next step in words: 'Escalate to level 2: agent-7's manager — resolution overdue by 4 business hours'.
`NextStep` (core/assessment.py) is what the decision chose (serving/assess/recommend.py); `next_step` words it
in one language, at the assessment's instant or, for a page, at the page's (`now`)."""

from __future__ import annotations

from datetime import datetime

from core.assessment import NextStep, RecommendedAction
from serving.wording.clock import business_time, percent, span
from serving.wording.phrases import TARGETS

_STEPS = {
    "en": {"escalate": "Escalate to level {level}: {who}", "review": "Review now with {who}",
           "follow_up": "Follow up with {who} (already at level {level})",
           "reprioritise": "Raise the priority to {priority}", "route": "Hand over to the {team} team",
           "reminder": "Remind {who}", "none": "Nothing due: keep watching"},
    "de": {"escalate": "Auf Stufe {level} eskalieren: {who}", "review": "Jetzt prüfen mit: {who}",
           "follow_up": "Nachhaken bei: {who} (bereits Stufe {level})",
           "reprioritise": "Priorität auf {priority} erhöhen", "route": "An das Team {team} übergeben",
           "reminder": "Erinnern: {who}", "none": "Nichts fällig: weiter beobachten"},
    "no": {"escalate": "Eskaler til nivå {level}: {who}", "review": "Gå gjennom nå med {who}",
           "follow_up": "Følg opp med {who} (allerede nivå {level})",
           "reprioritise": "Hev prioriteten til {priority}", "route": "Overfør til teamet {team}",
           "reminder": "Minn {who} på", "none": "Ingenting forfalt: følg med"},
}
_WHO = {
    "en": {"manager": "{name}'s manager", "manager?": "the assignee's manager",
           "team_lead": "the {name} team lead",
           "group": "the {name} group", "person": "{name}", "assignee": "{name} (assignee)",
           "assignee?": "the assignee", "team": "the {name} team"},
    "de": {"manager": "die Führungskraft von {name}", "manager?": "die Führungskraft des Bearbeiters",
           "team_lead": "die Teamleitung {name}", "group": "die Gruppe {name}", "person": "{name}",
           "assignee": "{name} (Bearbeiter)", "assignee?": "den Bearbeiter", "team": "das Team {name}"},
    "no": {"manager": "lederen til {name}", "manager?": "saksbehandlerens leder",
           "team_lead": "teamlederen i {name}",
           "group": "gruppen {name}", "person": "{name}", "assignee": "{name} (saksbehandler)",
           "assignee?": "saksbehandleren", "team": "teamet {name}"},
}
_WHY = {
    "en": {"overdue": "{target} overdue by {t}", "overdue_now": "{target} overdue since just now",
           "due_in": "{target} due in {t}", "trigger": "policy rule “{name}”",
           "risk": "early warning: escalation risk {risk}", "rule": "rule “{name}”"},
    "de": {"overdue": "{target} seit {t} überfällig", "overdue_now": "{target} gerade überfällig geworden",
           "due_in": "{target} fällig in {t}", "trigger": "Regel „{name}“",
           "risk": "Frühwarnung: Eskalationsrisiko {risk}", "rule": "Regel „{name}“"},
    "no": {"overdue": "{target} forfalt for {t} siden", "overdue_now": "{target} forfalt akkurat nå",
           "due_in": "{target} forfaller om {t}", "trigger": "regel «{name}»",
           "risk": "tidlig varsel: eskaleringsrisiko {risk}", "rule": "regel «{name}»"},
}


def who(kind: str | None, name: str | None, lang: str = "en") -> str:
    table = _WHO[lang]
    if kind is None:
        return table["assignee?"]
    if name is None and f"{kind}?" in table:
        return table[f"{kind}?"]
    return table.get(kind, "{name}").format(name=name or kind)


def why(step: NextStep, lang: str = "en", now: datetime | None = None) -> str | None:
    """Why the step is due. A `due_in` step with its deadline, worded at `now`: the time left from `now`, or
    how long it is overdue (wall-clock) once `now` is past it."""
    if step.why is None:
        return None
    table = _WHY[lang]
    target = TARGETS[lang].get(step.target or "", (step.target or "").replace("_", " "))
    if step.why == "overdue":
        if (step.seconds or 0) < 60:
            return table["overdue_now"].format(target=target)
        return table["overdue"].format(target=target, t=business_time((step.seconds or 0) / 3600, lang))
    if step.why == "due_in":
        left = (step.due_at - now).total_seconds() if now is not None and step.due_at else step.seconds or 0
        if left >= 0:
            return table["due_in"].format(target=target, t=span(left, lang))
        if -left < 60:
            return table["overdue_now"].format(target=target)
        return table["overdue"].format(target=target, t=span(-left, lang))
    if step.why == "risk":
        return table["risk"].format(risk=percent(step.risk or 0, lang))
    return table[step.why].format(name=(step.name or "").replace("-", " "))


def next_step(step: NextStep, lang: str = "en", now: datetime | None = None) -> str:
    head = _STEPS[lang][step.kind].format(
        level=step.level, who=who(step.who_kind, step.who_name, lang), priority=step.priority, team=step.team
    )
    reason = why(step, lang, now)
    return f"{head} — {reason}" if reason else head


def step_at(action: RecommendedAction, now: datetime, lang: str = "en") -> str:
    """The recommended step as a page shows it at `now` (its deadline's time left counted from `now`); an
    assessment stored before its step's parts were kept: its text as stored."""
    if action.step is None:
        return action.texts.get(lang) or action.text
    return next_step(action.step, lang, now)
