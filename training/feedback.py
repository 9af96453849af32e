"""Managers' feedback on the served model's warnings (a history's feedback file, written by
`escalation export-history`), in the training report: alert precision per team, useful ÷ (useful + false
alarm). It judges the model that was serving when the alerts were raised, not the one just trained: a
figure to read beside the test period's precision, on the alerts people actually acted on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.feedback import Feedback, Verdict


@dataclass(frozen=True, slots=True)
class TeamPrecision:
    team: str
    useful: int
    false_alarm: int

    @property
    def judged(self) -> int:
        return self.useful + self.false_alarm

    @property
    def precision(self) -> float | None:
        return self.useful / self.judged if self.judged else None


def latest_verdicts(feedback: Iterable[Feedback]) -> list[Feedback]:
    """One verdict per alert (per ticket for verdicts that name none): the latest, so a manager's correction
    or a second click does not count twice."""
    latest: dict[tuple[str, str], Feedback] = {}
    for item in sorted(feedback, key=lambda f: (f.at, f.feedback_id)):
        key = ("alert", str(item.alert_id)) if item.alert_id is not None else ("ticket", item.ticket_id)
        latest[key] = item
    return list(latest.values())


def alert_precision(feedback: Iterable[Feedback]) -> list[TeamPrecision]:
    """Per team (the team each alert counted for), by team name; the verdicts `latest_verdicts` keeps."""
    counts: dict[str, list[int]] = {}
    for item in latest_verdicts(feedback):
        useful_false = counts.setdefault(item.team, [0, 0])
        useful_false[0 if item.verdict == Verdict.USEFUL else 1] += 1
    return [TeamPrecision(team, u, f) for team, (u, f) in sorted(counts.items())]


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    """The report's `feedback`: the verdicts read, those counted (the latest per alert), over which days,
    and the precision overall and per team."""

    verdicts: int
    total: TeamPrecision  # team "all"
    teams: tuple[TeamPrecision, ...]
    first: str | None  # ISO instants of the first and last verdict read
    last: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdicts": self.verdicts,
            "counted": self.total.judged,
            "from": self.first,
            "to": self.last,
            "precision": self.total.precision,
            "teams": {t.team: {"useful": t.useful, "false_alarm": t.false_alarm, "precision": t.precision}
                      for t in self.teams},
        }


def feedback_report(feedback: list[Feedback]) -> FeedbackSummary:
    """The verdicts read and counted, overall and per team."""
    teams = alert_precision(feedback)
    total = TeamPrecision("all", sum(t.useful for t in teams), sum(t.false_alarm for t in teams))
    return FeedbackSummary(
        verdicts=len(feedback),
        total=total,
        teams=tuple(teams),
        first=min(f.at for f in feedback).isoformat() if feedback else None,
        last=max(f.at for f in feedback).isoformat() if feedback else None,
    )


def feedback_lines(done: FeedbackSummary | None) -> list[str]:
    """The summary's lines for the report's feedback; none without feedback."""
    if done is None or not done.total.judged or done.first is None or done.last is None:
        return []
    lines = [
        f"feedback on served alerts ({done.total.judged:,} judged, {done.first[:10]} to {done.last[:10]}): "
        f"precision {_f(done.total.precision)} = useful / (useful + false alarm)"
    ]
    width = max(len(t.team) for t in done.teams)
    for t in done.teams:
        lines.append(f"  {t.team:<{width}}  {_f(t.precision)}  ({t.useful} useful, {t.false_alarm} "
                     "false alarm)")
    return lines


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
