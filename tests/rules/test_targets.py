"""Reminders, escalation levels, action ids and next_due_at; one test per policy option."""

from typing import Any

from sla_helpers import BASE, Log, at, policies, ticket

from core.enums import EscalationType
from core.sla import ActionKind, Recipient, TargetKind
from rules.engine import SlaEvaluation, evaluate
from rules.targets import ActionIds, action_id

RES = TargetKind.RESOLUTION
BASE_CALENDARS: dict[str, Any] = BASE["calendars"]
LADDER = {
    "resolution": [
        {"after": "0m", "to": "manager"},
        {"after": "1h", "to": {"group": "senior-finance"}},
        {"after": "2h", "to": {"person": "director"}},
    ]
}


def run(now: str, log: Log | None = None, created: str = "2025-03-03 09:00", **policy):
    log = log or Log(created[:10]).customer(created[11:])
    return evaluate(policies(policy), ticket(created), log.events, at(now))


def kinds(actions) -> list[tuple]:
    return [(a.kind.value, a.target.value if a.target else None, a.level, a.at) for a in actions]


def test_fixed_lead_reminder_and_its_instant() -> None:
    result = run("2025-03-03 09:00", reminders=[{"before": "30m", "targets": ["resolution"]}])
    assert kinds(result.upcoming) == [("reminder", "resolution", None, at("2025-03-04 08:30"))]
    assert result.next_due_at == at("2025-03-03 10:00")  # the first response deadline comes first
    due = run("2025-03-04 08:30", reminders=[{"before": "30m", "targets": ["resolution"]}])
    assert kinds(due.actions) == [("reminder", "resolution", None, at("2025-03-04 08:30"))]
    assert due.actions[0].to == Recipient("assignee", "alice")


def test_share_reminders() -> None:
    result = run(
        "2025-03-03 09:00", reminders=[{"at_share": 0.5, "targets": ["resolution"]}, {"at_share": 0.75}]
    )
    assert [a.at for a in result.upcoming if a.target is RES] == [
        at("2025-03-03 13:00"),
        at("2025-03-03 15:00"),
    ]
    assert [a.at for a in result.upcoming if a.target is TargetKind.FIRST_RESPONSE] == [
        at("2025-03-03 09:45")
    ]


def test_reminder_targets_option_limits_the_reminder() -> None:
    everywhere = run("2025-03-03 09:00", reminders=[{"before": "15m"}])
    only = run("2025-03-03 09:00", reminders=[{"before": "15m", "targets": ["first_response"]}])
    assert {a.target for a in everywhere.upcoming} == {TargetKind.FIRST_RESPONSE, RES}
    assert {a.target for a in only.upcoming} == {TargetKind.FIRST_RESPONSE}


def test_reminders_wait_for_business_hours() -> None:
    # Created 15:40: resolution due Tue 15:40; a 7h45m-before reminder lands Mon 15:55 (open).
    # Evaluated at 20:00 that evening (a late sweep), it is not sent at night but at Tue 08:00.
    policy = {"reminders": [{"before": "7h45m", "targets": ["resolution"]}]}
    result = run("2025-03-03 20:00", created="2025-03-03 15:40", **policy)
    assert result.actions == ()
    assert kinds(result.upcoming) == [("reminder", "resolution", None, at("2025-03-04 08:00"))]


def test_no_reminder_once_breached_and_none_longer_than_the_target() -> None:
    late = run("2025-03-04 09:30", reminders=[{"before": "30m", "targets": ["resolution"]}])
    assert [a for a in late.actions if a.kind is ActionKind.REMINDER] == []
    # 5h before: within the normal 8h target, longer than the urgent 4h one (a lead longer than every budget
    # of a target is refused at load, tests/rules/test_policy_file.py)
    lead = policies({"reminders": [{"before": "5h", "targets": ["resolution"]}]})
    log = Log("2025-03-03").customer("09:00")
    urgent = evaluate(lead, ticket(priority="urgent"), log.events, at("2025-03-03 09:00"))
    assert urgent.upcoming == ()
    normal = evaluate(lead, ticket(), log.events, at("2025-03-03 09:00"))
    assert kinds(normal.upcoming) == [("reminder", "resolution", None, at("2025-03-03 12:00"))]


def test_escalation_ladder_on_business_time() -> None:
    result = run("2025-03-04 09:30", escalation=LADDER)  # resolution breached Tue 09:00
    assert kinds(result.actions) == [("escalate", "resolution", 1, at("2025-03-04 09:00"))]
    assert kinds(result.upcoming) == [
        ("escalate", "resolution", 2, at("2025-03-04 10:00")),
        ("escalate", "resolution", 3, at("2025-03-04 11:00")),
    ]
    assert result.actions[0].to == Recipient("manager", "alice")  # the assignee's manager
    assert result.actions[0].escalation_type is EscalationType.AUTOMATIC
    assert result.escalation_level == 1 and result.next_due_at == at("2025-03-04 10:00")


def test_escalation_clock_option() -> None:
    # Created 07:00 Monday -> resolution due 16:00; level 2 one hour later.
    business = run("2025-03-03 16:00", created="2025-03-03 07:00", escalation=LADDER)
    wall = run("2025-03-03 16:00", created="2025-03-03 07:00", escalation=LADDER, escalation_clock="wall")
    assert business.upcoming[0].at == at("2025-03-04 09:00")
    assert wall.upcoming[0].at == at("2025-03-03 17:00")


def test_team_lead_recipient_names_the_team() -> None:
    result = run("2025-03-04 09:30", escalation={"resolution": [{"to": "team_lead"}]})
    assert result.actions[0].to == Recipient("team_lead", "general")


def test_a_pause_after_the_breach_holds_further_levels() -> None:
    log = Log().customer("09:00").status("2025-03-04 09:30", "pending")
    result = run("2025-03-04 12:00", log=log, escalation=LADDER)
    assert [a.level for a in result.actions] == [1] and result.upcoming == () and result.next_due_at is None


def test_action_ids_are_stable_and_change_with_what_matters() -> None:
    first = run("2025-03-04 09:30", escalation=LADDER).actions[0]
    later = run("2025-03-04 10:30", escalation=LADDER).actions[0]
    assert first.action_id == later.action_id and len(first.action_id) == 20
    changed = run("2025-03-04 09:30", escalation={"resolution": [{"to": "team_lead"}]}).actions[0]
    assert changed.action_id != first.action_id  # another policy version
    reopened = Log().customer("09:00").status("10:00", "solved").status("10:30", "open")
    again = run("2025-03-04 11:00", log=reopened, escalation=LADDER).actions[0]
    assert again.action_id != first.action_id  # a new cycle


def test_dedup_keys_name_the_action_not_the_policy_version() -> None:
    """An edited file (a holiday added, a recipient renamed, another budget) gives new ids but the same keys:
    a caller that keeps fired keys does not fire the same reminder or level again. A new cycle, another
    level, another reminder or another target is another action."""
    reminders = [{"before": "1h", "targets": ["resolution"]}]
    base = run("2025-03-04 09:30", escalation=LADDER, reminders=reminders)
    first = {a.level: a for a in base.actions}
    assert len({a.dedup_key for a in base.actions + base.upcoming}) == 3 and len(first[1].dedup_key) == 20
    edits = [
        {"escalation": {"resolution": [{"after": "0m", "to": "team_lead"}, *LADDER["resolution"][1:]]}},
        {"targets": {"resolution": {"normal": "7h"}}, "escalation": LADDER},
    ]
    for edit in edits:
        edited = run("2025-03-04 09:30", reminders=reminders, **edit)
        again = {a.level: a for a in edited.actions}
        assert again[1].action_id != first[1].action_id and again[1].dedup_key == first[1].dedup_key
    early = run("2025-03-04 08:00", escalation=LADDER, reminders=reminders).actions[0]
    shorter = run("2025-03-03 15:30", escalation=LADDER, reminders=reminders,
                  targets={"resolution": {"normal": "7h"}}).actions[0]
    assert early.kind is shorter.kind is ActionKind.REMINDER and early.dedup_key == shorter.dedup_key
    assert early.dedup_key not in {a.dedup_key for a in base.actions + base.upcoming}
    reopened = Log().customer("09:00").status("10:00", "solved").status("10:30", "open")
    again = run("2025-03-04 11:00", log=reopened, escalation=LADDER).actions[0]
    assert again.dedup_key != first[1].dedup_key  # a new cycle


def test_dedup_keys_of_a_holiday_added_to_the_calendar() -> None:
    reminders = [{"at_share": 0.5, "targets": ["resolution"]}]
    before = run("2025-03-04 09:30", escalation=LADDER, reminders=reminders)
    edited = dict(BASE_CALENDARS)
    office = edited["office"]
    edited["office"] = {**office, "holidays": [*office["holidays"], {"date": "2025-12-24"}]}
    log = Log().customer("09:00")
    after = evaluate(policies({"escalation": LADDER, "reminders": reminders}, calendars=edited), ticket(),
                     log.events, at("2025-03-04 09:30"))
    assert after.policy_version != before.policy_version
    assert [a.action_id for a in after.actions] != [a.action_id for a in before.actions]
    assert [a.dedup_key for a in after.actions] == [a.dedup_key for a in before.actions]


def test_next_due_at_is_the_earliest_of_deadlines_and_actions() -> None:
    result = run("2025-03-03 09:10", reminders=[{"before": "50m", "targets": ["first_response"]}])
    assert kinds(result.actions) == [("reminder", "first_response", None, at("2025-03-03 09:10"))]
    assert result.next_due_at == at("2025-03-03 10:00")  # due now is in `actions`; next is the deadline
    result = run("2025-03-03 09:20", escalation=LADDER)
    assert result.next_due_at == at("2025-03-03 10:00")  # first response due; nothing earlier scheduled


def test_pause_statuses_option() -> None:
    log = Log().customer("09:00").status("09:20", "on_hold")
    default = run("2025-03-03 10:30", log=log)
    on_hold = run("2025-03-03 10:30", log=log, pause_statuses=["pending", "on_hold"])
    assert default.target(TargetKind.FIRST_RESPONSE).state.value == "breached"
    assert on_hold.target(TargetKind.FIRST_RESPONSE).state.value == "paused"


def test_auto_priority_raises_and_only_lowers_when_allowed() -> None:
    rule = {
        "name": "outage",
        "when": {"field": "text", "operator": "contains", "value": "Not Working"},
        "set_priority": "urgent",
    }
    ps = policies(auto_priority=[rule])
    log = Log().customer("09:00", body="the app is not working")
    result = evaluate(ps, ticket(), log.events, at("2025-03-03 09:10"))
    assert result.priority.value == "urgent"
    assert result.target(TargetKind.FIRST_RESPONSE).due_at == at("2025-03-03 09:30")
    assert [(a.kind.value, a.priority.value) for a in result.actions] == [("reprioritise", "urgent")]
    lower = {**rule, "set_priority": "low"}
    assert (
        evaluate(policies(auto_priority=[lower]), ticket(), log.events, at("2025-03-03 09:10")).priority.value
        == "normal"
    )
    allowed = {**lower, "allow_lower": True}
    assert (
        evaluate(
            policies(auto_priority=[allowed]), ticket(), log.events, at("2025-03-03 09:10")
        ).priority.value
        == "low"
    )
    manual = Log().customer("09:00", body="not working").priority("09:05", "high")
    assert (
        evaluate(ps, ticket(), manual.events, at("2025-03-03 09:10")).actions == ()
    )  # a person's choice wins


def test_routing_is_functional_and_respects_a_manual_transfer() -> None:
    route = [
        {
            "name": "pay",
            "when": {"field": "category", "operator": "equal_to", "value": "billing"},
            "team": "finance",
        }
    ]
    ps = policies(routing=route)
    result = evaluate(ps, ticket(category="billing"), Log().customer("09:00").events, at("2025-03-03 09:10"))
    (action,) = result.actions
    assert (action.kind, action.team, action.escalation_type) == (
        ActionKind.ROUTE,
        "finance",
        EscalationType.FUNCTIONAL,
    )
    moved = Log().customer("09:00").transfer("09:05", "tech")
    assert evaluate(ps, ticket(category="billing"), moved.events, at("2025-03-03 09:10")).actions == ()


def test_triggers_use_caller_signals_and_risk() -> None:
    triggers = [
        {
            "name": "angry",
            "when": {"field": "signals", "operator": "contains", "value": "insult"},
            "to": "team_lead",
        },
        {
            "name": "risky",
            "when": {"field": "risk", "operator": "at_least", "value": 0.9},
            "to": {"person": "boss"},
            "level": 2,
            "type": "automatic",
        },
    ]
    ps = policies(triggers=triggers)
    events = Log().customer("09:00").events
    calm = evaluate(ps, ticket(), events, at("2025-03-03 09:10"), risk=0.5)
    hot = evaluate(ps, ticket(), events, at("2025-03-03 09:10"), signals=["insult"], risk=0.95)
    assert calm.actions == () and calm.escalation_level == 0
    assert [(a.rule, a.level, a.escalation_type.value, str(a.to)) for a in hot.actions] == [
        ("angry", 1, "hierarchical", "team_lead general"),
        ("risky", 2, "automatic", "person boss"),
    ]
    assert hot.escalation_level == 2
    solved = Log().customer("09:00").status("09:05", "solved").events
    assert evaluate(ps, ticket(), solved, at("2025-03-03 09:10"), signals=["insult"]).actions == ()


def test_one_evaluation_answers_each_set_of_trigger_inputs_as_evaluate_does() -> None:
    """Serving evaluates a ticket once a request and asks it twice (features without signals and risk, the
    answer with them): each result equals its own `evaluate`, in either order."""
    triggers = [{"name": "angry", "when": {"field": "signals", "operator": "contains", "value": "insult"},
                 "to": "team_lead"}]
    ps = policies(triggers=triggers)
    events = Log().customer("09:00").reply("09:20").customer("10:00").events
    now = at("2025-03-03 13:10")
    evaluation = SlaEvaluation(ps, ticket(), events, now)
    asks: list[dict[str, Any]] = [{"signals": ["insult"], "risk": 0.95}, {}, {"signals": ["insult"]}]
    for ask in asks:
        assert evaluation.result(**ask) == evaluate(ps, ticket(), events, now, **ask)
    assert evaluation.result().actions != evaluation.result(signals=["insult"]).actions


def test_cycle_ids_hash_the_same_text_as_before() -> None:
    # Callers store fired ids: hashing a cycle's shared key once must not change any id.
    key = ("T1", RES, 1740988800000000, 28800000000, "abcdef123456")
    assert ActionIds(*key)("escalate", 2) == action_id(*key, "escalate", 2) == "5954fe554805f6057a2c"


def test_a_withdrawn_ticket_gets_no_escalation_no_reminder_and_no_trigger() -> None:
    """Breached at 09:00 the next day with a three-level ladder and an immediate trigger matching: merged at
    08:00 (before the breach) or 12:00 (after it), nothing is due or upcoming."""
    triggers = [{"name": "angry", "when": {"field": "signals", "operator": "contains", "value": "insult"},
                 "to": "team_lead"}]
    reminders = [{"before": "30m", "targets": ["resolution"]}]
    for merged in ("2025-03-04 08:00", "2025-03-04 12:00"):
        log = Log().customer("09:00").status(merged, "withdrawn")
        ps = policies({"escalation": LADDER, "reminders": reminders}, triggers=triggers)
        result = evaluate(ps, ticket(), log.events, at("2025-03-05 12:00"), signals=["insult"], risk=0.99)
        assert (result.actions, result.upcoming, result.next_due_at) == ((), (), None)
        assert result.escalation_level == 0
