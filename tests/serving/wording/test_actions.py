"""The next step in words at the instant it is shown: a deadline's time left counts down from that instant,
and past it the step says how long it is overdue; an assessment stored before its step's parts were kept
shows its text as stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.assessment import NextStep, RecommendedAction
from serving.wording.actions import next_step, step_at

ASSESSED = datetime(2026, 11, 27, 9, 20, tzinfo=UTC)
REMIND = NextStep(kind="reminder", who_kind="assignee", who_name="agent-7", why="due_in",
                  target="first_response", seconds=2400.0, due_at=ASSESSED + timedelta(minutes=40))


def action(step: NextStep | None) -> RecommendedAction:
    return RecommendedAction(
        kind="reminder", text=next_step(REMIND), texts={"de": next_step(REMIND, "de")}, escalation_type=None,
        level=None, to="assignee agent-7", source="rules", action_ids=["rem-1"], step=step)


@pytest.mark.parametrize(
    ("later", "lang", "expected"),
    [
        (timedelta(0), "en", "first reply due in 40 min"),
        (timedelta(minutes=30), "en", "first reply due in 10 min"),
        (timedelta(minutes=40, seconds=30), "en", "first reply overdue since just now"),
        (timedelta(hours=2, minutes=5), "en", "first reply overdue by 1 h 25 min"),
        (timedelta(minutes=30), "de", "Erstantwort fällig in 10 Min."),
        (timedelta(minutes=50), "no", "første svar forfalt for 10 min siden"),
    ],
)
def test_a_deadline_counts_down_from_the_instant_shown(later: timedelta, lang: str, expected: str) -> None:
    head = {"en": "Remind agent-7 (assignee)", "de": "Erinnern: agent-7 (Bearbeiter)",
            "no": "Minn agent-7 (saksbehandler) på"}[lang]
    assert step_at(action(REMIND), ASSESSED + later, lang) == f"{head} — {expected}"


def test_without_the_steps_parts_the_stored_text_is_shown() -> None:
    old = action(None)
    assert step_at(old, ASSESSED + timedelta(minutes=30), "de") == old.texts["de"]
    assert step_at(old, ASSESSED + timedelta(minutes=30), "no") == old.text  # no Norwegian stored: English


def test_the_stored_texts_say_the_time_left_at_the_assessment() -> None:
    assert next_step(REMIND) == "Remind agent-7 (assignee) — first reply due in 40 min"


def test_an_early_warnings_risk_is_a_percentage_as_the_language_writes_it() -> None:
    step = NextStep(kind="review", who_kind="team_lead", team="billing", why="risk", risk=0.38)
    assert next_step(step).endswith("escalation risk 38%")
    assert next_step(step, "de").endswith("Eskalationsrisiko 38\u00a0%")
    assert next_step(step, "no").endswith("eskaleringsrisiko 38\u00a0%")
