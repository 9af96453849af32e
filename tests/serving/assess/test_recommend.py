"""One next step per ticket: the highest level due, once; never below the ticket's level; never "nothing to
do" on a breached ticket; a person or role by name; the other due actions as history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.enums import Band, EscalationType, Priority
from core.sla import Action, ActionKind, Recipient, SlaResult, TargetKind, TargetState, TargetStatus
from serving.assess.recommend import recommend

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _target(kind: TargetKind, state: TargetState, due: timedelta, by_h: float | None = None,
            level: int = 0) -> TargetStatus:
    return TargetStatus(
        target=kind, state=state, budget=timedelta(hours=8), started_at=NOW - timedelta(days=2),
        due_at=NOW + due, remaining=-timedelta(hours=by_h or 0), elapsed=timedelta(hours=8), paused=False,
        breached_at=NOW + due if by_h is not None else None,
        breached_by=timedelta(hours=by_h) if by_h is not None else None, escalation_level=level,
    )


def _escalate(level: int, to: Recipient, target: TargetKind = TargetKind.RESOLUTION) -> Action:
    return Action(
        action_id=f"esc-{target.value}-{level}", kind=ActionKind.ESCALATE,
        at=NOW - timedelta(hours=4 - level), to=to,
        reason=f"{target.value} breached at 2026-11-24T12:31:50.768761+00:00", target=target, level=level,
        escalation_type=EscalationType.AUTOMATIC, rule="billing-urgent",
    )


def _sla(targets: list[TargetStatus], actions: list[Action], level: int) -> SlaResult:
    return SlaResult(
        ticket_id="T", evaluated_at=NOW, policy="billing-urgent", priority=Priority.HIGH,
        targets=tuple(targets), escalation_level=level, actions=tuple(actions), upcoming=(), next_due_at=None,
    )


BREACHED = _target(TargetKind.RESOLUTION, TargetState.BREACHED, -timedelta(hours=20), by_h=4.51, level=3)


def test_the_highest_level_due_once_with_the_others_as_history() -> None:
    due = [
        _escalate(1, Recipient("manager", "agent-7")),
        _escalate(2, Recipient("group", "senior-finance-managers")),
        _escalate(3, Recipient("person", "director-finance-operations")),
    ]
    action = recommend(_sla([BREACHED], due, 3), Band.LOW, 0.05, "billing")
    assert action.kind == "escalate" and action.level == 3
    assert action.text == (
        "Escalate to level 3: director-finance-operations — resolution overdue by 4 business hours"
    )
    assert action.text.count("Escalate") == 1 and "T12:31" not in action.text
    assert action.others == [
        "Escalate to level 1: agent-7's manager — resolution overdue by 4 business hours",
        "Escalate to level 2: the senior-finance-managers group — resolution overdue by 4 business hours",
    ]
    assert action.action_ids[0] == "esc-resolution-3" and len(action.action_ids) == 3
    assert action.texts["de"].startswith("Auf Stufe 3 eskalieren: director-finance-operations")
    assert action.texts["no"].startswith("Eskaler til nivå 3: director-finance-operations")


def test_never_a_level_below_the_tickets_level() -> None:
    # the ticket stands at level 2; only the first reply's level 1 is due: follow up, do not step down
    first = _target(TargetKind.FIRST_RESPONSE, TargetState.BREACHED, -timedelta(hours=1), by_h=1.0, level=1)
    due = [_escalate(1, Recipient("team_lead", "billing"), TargetKind.FIRST_RESPONSE)]
    action = recommend(_sla([first, BREACHED], due, 2), Band.LOW, 0.05, "billing")
    assert action.kind == "follow_up" and action.level == 2
    assert "level 1" not in action.text and action.text.startswith("Follow up with the billing team lead")


def test_the_same_action_twice_is_worded_once() -> None:
    twice = [_escalate(1, Recipient("team_lead", "billing")), _escalate(1, Recipient("team_lead", "billing"))]
    twice[1].action_id = "esc-resolution-1-again"
    action = recommend(_sla([BREACHED], twice, 1), None, None, "billing")
    assert action.others == []  # the second says what the first says


def test_a_breached_ticket_with_nothing_due_still_gets_a_step() -> None:
    action = recommend(_sla([BREACHED], [], 0), Band.LOW, 0.02, "billing")
    assert action.kind == "follow_up" and "no action" not in action.text.lower()
    assert action.text == (
        "Follow up with the billing team lead (already at level 0) — resolution overdue by 4 business hours"
    )


def test_just_breached_is_not_overdue_by_zero() -> None:
    now = _target(TargetKind.RESOLUTION, TargetState.BREACHED, -timedelta(seconds=20), by_h=10 / 3600)
    action = recommend(_sla([now], [], 0), None, None, "billing")
    assert "overdue since just now" in action.text and "0 min" not in action.text


def test_a_model_warning_asks_for_a_review_one_level_up() -> None:
    running = _target(TargetKind.RESOLUTION, TargetState.RUNNING, timedelta(hours=5))
    high = recommend(_sla([running], [], 0), Band.HIGH, 0.384, "billing")
    assert high.kind == "review" and high.level == 1 and high.source == "model"
    assert high.text == "Review now with the billing team lead — early warning: escalation risk 38%"
    critical = recommend(_sla([running], [], 1), Band.CRITICAL, 0.81, "billing")
    assert critical.kind == "escalate" and critical.level == 2


def test_a_reminder_names_the_assignee_and_the_deadline() -> None:
    running = _target(TargetKind.FIRST_RESPONSE, TargetState.RUNNING, timedelta(minutes=40))
    remind = Action(action_id="r", kind=ActionKind.REMINDER, at=NOW, to=Recipient("assignee", "agent-3"),
                    reason="first_response due …", target=TargetKind.FIRST_RESPONSE)
    action = recommend(_sla([running], [remind], 0), Band.LOW, 0.02, "billing")
    assert action.text == "Remind agent-3 (assignee) — first reply due in 40 min"


def test_nothing_due_says_so() -> None:
    running = _target(TargetKind.RESOLUTION, TargetState.RUNNING, timedelta(days=2))
    action = recommend(_sla([running], [], 0), Band.LOW, 0.02, "billing")
    assert action.kind == "none" and action.text == "Nothing due: keep watching" and action.source == "none"
