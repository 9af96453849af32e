"""Lifecycle table with hand-computed deadlines. Calendar `office`: Mon-Fri 08:00-16:00 Europe/Oslo,
holidays 2025-04-18 and 17 May (recurring). Policy `standard` (normal): first response 1h, next
response 2h, resolution 8h; urgent: 30m, 1h, 4h. Tickets are created Mon 2025-03-03 09:00."""

from datetime import timedelta

import pytest
from sla_helpers import BASE, Log, at, policies, ticket

from core.errors import EscalationError
from core.sla import TargetKind, TargetState
from rules.engine import evaluate

FIRST, NEXT, RES = TargetKind.FIRST_RESPONSE, TargetKind.NEXT_RESPONSE, TargetKind.RESOLUTION
MIN = timedelta(minutes=1)
FINANCE = {
    "name": "finance",
    "when": {"field": "team", "operator": "equal_to", "value": "finance"},
    "calendar": "always",
    "targets": {"first_response": {"normal": "1h"}, "resolution": {"normal": "2h"}},
}


def state(log: Log, now: str, kind: TargetKind, created: str = "2025-03-03 09:00", ps=None, **fields):
    result = evaluate(ps or policies(), ticket(created, **fields), log.events, at(now))
    return result.target(kind), result


def test_plain_running_clock() -> None:
    first, result = state(Log().customer("09:00"), "2025-03-03 09:30", FIRST)
    assert (first.state, first.due_at, first.remaining) == (
        TargetState.RUNNING,
        at("2025-03-03 10:00"),
        30 * MIN,
    )
    assert result.policy == "standard" and result.matched == ("always (the rule has no conditions)",)
    assert result.target(NEXT) is None  # no customer message after an agent reply yet


def test_created_outside_hours_starts_at_opening() -> None:
    first, _ = state(
        Log("2025-03-08").customer("12:00"), "2025-03-08 13:00", FIRST, created="2025-03-08 12:00"
    )
    assert first.due_at == at("2025-03-10 09:00") and first.elapsed == timedelta(0)


def test_public_reply_fulfils_first_response() -> None:
    first, _ = state(Log().customer("09:00").reply("09:40"), "2025-03-03 12:00", FIRST)
    assert (first.state, first.fulfilled_at, first.breached_at) == (
        TargetState.MET,
        at("2025-03-03 09:40"),
        None,
    )


@pytest.mark.parametrize(
    "log",
    [Log().customer("09:00").note("09:40"), Log().customer("09:00").reply("09:01", role="bot")],
    ids=["internal-note", "auto-reply"],
)
def test_notes_and_auto_replies_do_not_fulfil(log: Log) -> None:
    first, result = state(log, "2025-03-03 10:30", FIRST)
    assert first.state is TargetState.BREACHED
    assert (first.breached_at, first.breached_by) == (at("2025-03-03 10:00"), 30 * MIN)
    assert result.escalation_level == 0  # the base policy has no escalation matrix


@pytest.mark.parametrize("solve_first", [False, True], ids=["reply-first", "solve-first"])
def test_a_reply_sent_with_the_solve_answers_whichever_arrived_first(solve_first: bool) -> None:
    """Zendesk's "Submit as solved" reaches us as two webhooks with one time, in either order; read
    solve-first, the first response read as stopped by the solve and the ticket as not resolved at first
    contact."""
    log = Log().customer("09:00")
    if solve_first:
        log = log.status("09:40", "solved").reply("09:40")
    else:
        log = log.reply("09:40").status("09:40", "solved")
    first, _ = state(log, "2025-03-03 12:00", FIRST)
    assert (first.state, first.fulfilled_at) == (TargetState.MET, at("2025-03-03 09:40"))


def test_reply_exactly_at_the_deadline_is_in_time() -> None:
    first, _ = state(Log().customer("09:00").reply("10:00"), "2025-03-03 12:00", FIRST)
    assert first.state is TargetState.MET


def test_pause_before_first_response_holds_the_clock() -> None:
    log = Log().customer("09:00").status("09:20", "pending")
    first, result = state(log, "2025-03-03 10:30", FIRST)
    assert (first.state, first.paused, first.due_at, first.remaining) == (
        TargetState.PAUSED,
        True,
        None,
        40 * MIN,
    )
    assert result.next_due_at is None  # nothing scheduled while waiting on the customer
    first, _ = state(log.status("11:00", "open"), "2025-03-03 11:10", FIRST)
    assert (first.state, first.due_at) == (TargetState.RUNNING, at("2025-03-03 11:40"))


def test_pause_spanning_closed_hours() -> None:
    log = Log().customer("09:00").reply("09:10").status("15:30", "pending").status("2025-03-04 10:00", "open")
    res, _ = state(log, "2025-03-04 10:00", RES)
    assert res.due_at == at("2025-03-04 11:30")  # 6h30m used on Monday, 1h30m left from Tuesday 10:00


def test_a_deadline_at_closing_stays_breached_when_the_ticket_is_paused_after_closing() -> None:
    # Created 15:00, first response 1h: due at 16:00, the closing instant. Set pending at 17:00, the deadline
    # has passed: breached at 16:00 while paused and after it resumes, not moved to the resume (10:00).
    log = Log().status("17:00", "pending")
    first, _ = state(log, "2025-03-03 18:00", FIRST, created="2025-03-03 15:00")
    assert (first.state, first.due_at, first.breached_at) == (
        TargetState.BREACHED, at("2025-03-03 16:00"), at("2025-03-03 16:00")
    )
    resumed = log.status("2025-03-04 10:00", "open")
    first, _ = state(resumed, "2025-03-04 12:00", FIRST, created="2025-03-03 15:00")
    assert (first.due_at, first.breached_by) == (at("2025-03-03 16:00"), 2 * 60 * MIN)
    # Set pending at 16:00 itself, the clock stops as its time runs out: due when it resumes (documented).
    first, _ = state(Log().status("16:00", "pending"), "2025-03-03 18:00", FIRST, created="2025-03-03 15:00")
    assert (first.state, first.due_at) == (TargetState.PAUSED, None)


def test_customer_reply_while_pending_resumes_and_starts_next_response() -> None:
    log = Log().customer("09:00").reply("09:30").status("09:35", "pending").customer("13:00")
    res, result = state(log, "2025-03-03 13:00", RES)
    assert res.due_at == at("2025-03-04 12:25")  # 35m used, 7h25m from 13:00: 3h today, 4h25m tomorrow
    assert result.target(NEXT).due_at == at("2025-03-03 15:00")


def test_without_customer_message_resumes_the_reply_leaves_it_paused() -> None:
    log = Log().customer("09:00").reply("09:30").status("09:35", "pending").customer("13:00")
    res, result = state(log, "2025-03-03 13:00", RES, ps=policies({"customer_message_resumes": False}))
    assert (res.state, res.due_at) == (TargetState.PAUSED, None)
    assert result.target(NEXT).state is TargetState.PAUSED


def test_next_response_restarts_at_each_customer_message_after_a_reply() -> None:
    log = Log().customer("09:00").reply("09:30").customer("10:00").customer("10:30").reply("11:00")
    nxt, _ = state(log, "2025-03-03 11:30", NEXT)
    assert (nxt.state, nxt.started_at, nxt.fulfilled_at) == (
        TargetState.MET,
        at("2025-03-03 10:00"),
        at("2025-03-03 11:00"),
    )
    nxt, _ = state(log.customer("14:00"), "2025-03-03 15:00", NEXT)
    assert (nxt.state, nxt.started_at, nxt.due_at) == (
        TargetState.RUNNING,
        at("2025-03-03 14:00"),
        at("2025-03-03 16:00"),
    )


def test_earlier_cycles_keep_their_verdicts() -> None:
    """A breached next response, then one met, then one running: the latest is reported, the earlier
    verdicts are counted beside it; a reopen's resolution cycle counts the missed one before it."""
    log = Log().customer("09:00").reply("09:30").customer("10:00").reply("13:00")  # 3 h: breached
    log = log.customer("13:30").reply("14:00")  # met
    nxt, _ = state(log.customer("15:00"), "2025-03-03 15:30", NEXT)
    assert (nxt.state, nxt.earlier_met, nxt.earlier_failed) == (TargetState.RUNNING, 1, 1)
    log = Log().customer("09:00").reply("09:30").status("2025-03-05 09:00", "solved")
    log = log.status("2025-03-05 10:00", "open").status("2025-03-05 10:30", "solved")
    res, _ = state(log, "2025-03-05 11:00", RES)
    assert (res.state, res.earlier_met, res.earlier_failed) == (TargetState.MET, 0, 1)
    first, _ = state(log, "2025-03-05 11:00", FIRST)
    assert (first.earlier_met, first.earlier_failed) == (0, 0)  # one cycle only


def test_solving_ends_resolution_and_open_response_clocks() -> None:
    log = Log().customer("09:00").status("09:30", "solved")
    first, result = state(log, "2025-03-03 12:00", FIRST)
    assert first.state is TargetState.STOPPED  # solved without a reply: nothing owed, not breached
    assert result.target(RES).state is TargetState.MET and result.actions == ()


def test_reopen_restarts_resolution_from_the_reopen() -> None:
    log = Log().customer("09:00").reply("09:30").status("12:00", "solved").status("2025-03-05 10:00", "open")
    res, _ = state(log, "2025-03-05 10:00", RES)
    assert (res.started_at, res.due_at, res.elapsed) == (
        at("2025-03-05 10:00"),
        at("2025-03-06 10:00"),
        timedelta(0),
    )


def test_customer_message_on_a_solved_ticket_reopens_it() -> None:
    log = Log().customer("09:00").reply("09:30").status("12:00", "solved").customer("2025-03-05 10:00")
    res, result = state(log, "2025-03-05 10:00", RES)
    assert (res.state, res.started_at) == (TargetState.RUNNING, at("2025-03-05 10:00"))
    assert result.target(NEXT).started_at == at("2025-03-05 10:00")


def test_holiday_and_weekend_are_skipped() -> None:
    log = Log("2025-04-17").customer("15:00")
    res, _ = state(log, "2025-04-17 15:00", RES, created="2025-04-17 15:00")
    assert res.due_at == at("2025-04-21 15:00")  # 1h Thursday, Good Friday and the weekend closed, 7h Monday


def test_dst_spring_forward_on_a_24_7_calendar() -> None:
    ps = policies({"calendar": "always"})
    res, _ = state(
        Log("2025-03-29").customer("23:00"), "2025-03-29 23:00", RES, created="2025-03-29 23:00", ps=ps
    )
    assert res.due_at == at("2025-03-30 08:00")  # 8 real hours: 23:00 CET -> 08:00 CEST


def test_transfer_between_teams_reselects_and_recounts_from_the_start() -> None:
    ps = policies(policies=[FINANCE, BASE["policies"][0]])
    res, result = state(Log().customer("09:00").transfer("10:00", "finance"), "2025-03-03 10:00", RES, ps=ps)
    assert result.policy == "finance"
    assert res.due_at == at("2025-03-03 11:00")  # 2h on the 24/7 calendar, counted from creation


def test_transfer_after_the_new_target_is_used_up_is_due_at_the_transfer() -> None:
    ps = policies(policies=[FINANCE, BASE["policies"][0]])
    res, _ = state(Log().customer("09:00").transfer("12:00", "finance"), "2025-03-03 12:30", RES, ps=ps)
    assert (res.state, res.due_at, res.breached_by) == (
        TargetState.BREACHED,
        at("2025-03-03 12:00"),
        30 * MIN,
    )


def test_priority_raise_tightens_open_targets() -> None:
    first, result = state(Log().customer("09:00").priority("09:10", "urgent"), "2025-03-03 09:10", FIRST)
    assert (result.priority.value, first.due_at) == ("urgent", at("2025-03-03 09:30"))


def test_a_met_target_keeps_the_policy_it_was_met_under() -> None:
    log = Log().customer("09:00").reply("09:50").priority("10:00", "urgent")
    first, result = state(log, "2025-03-03 10:10", FIRST)
    assert first.state is TargetState.MET and first.budget == timedelta(
        hours=1
    )  # not missed under urgent's 30m
    assert result.target(RES).budget == timedelta(hours=4)


def test_policy_file_change_recomputes() -> None:
    log = Log().customer("09:00")
    old, r1 = state(log, "2025-03-03 09:30", FIRST)
    new, r2 = state(
        log, "2025-03-03 09:30", FIRST, ps=policies({"targets": {"first_response": {"normal": "2h"}}})
    )
    assert (old.due_at, new.due_at) == (at("2025-03-03 10:00"), at("2025-03-03 11:00"))
    assert old.policy_version != new.policy_version and r1.policies_version != r2.policies_version


def test_no_target_for_the_priority_means_no_clock() -> None:
    first, _ = state(Log().customer("09:00"), "2025-03-03 09:30", FIRST, priority="low")
    assert first is None


def test_no_matching_policy() -> None:
    ps = policies({"when": {"field": "channel", "operator": "equal_to", "value": "chat"}})
    result = evaluate(ps, ticket(), Log().customer("09:00").events, at("2025-03-03 10:00"))
    assert (result.policy, result.targets, result.next_due_at) == (None, (), None)


def test_future_events_are_ignored() -> None:
    first, _ = state(Log().customer("09:00").reply("11:00"), "2025-03-03 10:30", FIRST)
    assert first.state is TargetState.BREACHED


def test_events_of_another_ticket_are_refused() -> None:
    log = Log().customer("09:00")
    with pytest.raises(EscalationError, match="belongs to ticket 'T1', not 'T2'"):
        evaluate(policies(), ticket(ticket_id="T2"), log.events, at("2025-03-03 10:00"))


def test_event_order_in_the_input_does_not_matter() -> None:
    log = Log().customer("09:00").reply("09:30").customer("10:00").status("10:05", "pending")
    a = evaluate(policies(), ticket(), log.events, at("2025-03-03 12:00"))
    b = evaluate(policies(), ticket(), list(reversed(log.events)), at("2025-03-03 12:00"))
    assert a == b


def test_a_withdrawn_ticket_stops_every_clock_without_a_verdict() -> None:
    """Merged into another ticket (or deleted, or spam) at 11:00: the first response, breached at 10:00, and
    the running resolution both stop there unjudged, neither met nor breached; nothing is due or wakes."""
    log = Log().customer("09:00").status("11:00", "withdrawn")
    first, result = state(log, "2025-03-05 12:00", FIRST)
    res = result.target(RES)
    for target in (first, res):
        assert (target.state, target.breached_at, target.breached_by, target.fulfilled_at) == (
            TargetState.STOPPED, None, None, None,
        )
        assert target.escalation_level == 0
    assert (result.actions, result.upcoming, result.next_due_at) == ((), (), None)


def test_messages_and_replies_on_a_withdrawn_ticket_start_and_fulfil_nothing() -> None:
    log = Log().customer("09:00").reply("09:10").status("09:30", "withdrawn").customer("10:00").reply("13:00")
    nxt, result = state(log, "2025-03-03 14:00", NEXT)
    assert nxt is None or nxt.started_at < at("2025-03-03 10:00")  # no next response owed after 10:00
    assert result.target(RES).state is TargetState.STOPPED and result.actions == ()


@pytest.mark.parametrize("then", ["closed", "solved"])
def test_a_withdrawn_ticket_closed_by_its_helpdesk_stays_withdrawn(then: str) -> None:
    """Zendesk closes the ticket it merges: a close after the merge is no solve; resolution stays unjudged."""
    log = Log().customer("09:00").reply("09:10").status("09:30", "withdrawn").status("09:30", then)
    res, _ = state(log, "2025-03-03 12:00", RES)
    assert (res.state, res.fulfilled_at) == (TargetState.STOPPED, None)


def test_a_restored_ticket_runs_a_new_resolution_cycle_and_keeps_no_verdict_for_the_old() -> None:
    log = Log().customer("09:00").reply("09:10").status("09:30", "withdrawn").status("10:00", "open")
    res, _ = state(log, "2025-03-03 10:30", RES)
    assert (res.state, res.started_at, res.earlier_met, res.earlier_failed) == (
        TargetState.RUNNING, at("2025-03-03 10:00"), 0, 0,
    )


def test_a_verdict_given_before_the_withdrawal_stands() -> None:
    log = Log().customer("09:00").reply("09:10").status("09:30", "solved").status("10:00", "withdrawn")
    first, result = state(log, "2025-03-03 12:00", FIRST)
    assert first.state is TargetState.MET and result.target(RES).state is TargetState.MET
