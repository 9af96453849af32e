"""Hand-computed features of the small history (ticket_history.py) with the shipped policies."""

from __future__ import annotations

import math
from datetime import datetime

import pytest
from ticket_history import ANALYSES, at, pairs

from features.ticket import EmptyContext, HistoryContext, build_features
from rules import load_policies

POLICIES = load_policies()
PAIRS = pairs()
CONTEXT = HistoryContext(PAIRS.values())


def features(tid: str, when: str, analyses: dict = ANALYSES, context=CONTEXT) -> dict:  # type: ignore[type-arg]
    ticket, events = PAIRS[tid]
    return build_features(ticket, events, at(when), context, analyses, POLICIES)


def test_english_ticket_on_tuesday_after_a_weekend_and_a_pause() -> None:
    f = features("T-EN", "06-09 10:30")
    assert f["age_hours"] == pytest.approx(91.5)  # Fri 15:00 -> Tue 10:30
    assert f["age_business_hours"] == pytest.approx(1 + 8 + 2.5)  # Fri 15-16, Mon 8-16, Tue 8-10:30
    assert f["first_response_business_hours"] == pytest.approx(2.5)  # the bot at 15:01 does not count
    assert f["first_response_given"] == 1.0
    assert f["wait_business_hours"] == 0.0  # the customer has just written
    assert f["wait_run_business_hours"] == pytest.approx(0.5)  # unanswered since 10:00
    counts = ("customer_messages", "unanswered_messages", "human_replies", "bot_replies")
    assert [f[name] for name in counts] == [3, 2, 1, 1]
    # pending Mon 09:31 until the customer's answer Tue 10:00: 6h29m + 2h
    assert f["pending_business_hours"] == pytest.approx(6 + 29 / 60 + 2)
    assert (f["status"], f["priority"], f["team"], f["channel"], f["language"]) == (
        "open", "normal", "customer_accounts", "email", "en")
    assert (f["hour_of_day"], f["weekday"], f["in_business_hours"]) == (10, 1, 1)
    assert f["sla_policy"] == "standard"
    assert f["sla_first_response_breached"] == 0.0
    assert f["sla_next_response_remaining_business_hours"] == pytest.approx(7.5)  # 8h from 10:00
    assert f["sla_next_response_used_share"] == pytest.approx(0.5 / 8)
    # resolution: 11.5 h open time less the pause, of 5d = 120 h
    assert f["sla_resolution_remaining_business_hours"] == pytest.approx(120 - (11.5 - 8 - 29 / 60))
    assert f["escalations"] == 0 and f["reassignments"] == 0


def test_text_features_of_the_customer_messages_so_far() -> None:
    f = features("T-EN", "06-09 10:30")
    assert f["sentiment_last"] == pytest.approx(-0.9)
    assert f["sentiment_min"] == pytest.approx(-0.9)
    assert f["sentiment_mean"] == pytest.approx((0.1 - 0.5 - 0.9) / 3)
    assert f["sentiment_trend"] == pytest.approx(-0.5)  # slope of 0.1, -0.5, -0.9
    assert f["sentiment_drop"] == pytest.approx(1.0)
    assert f["negative_share"] == pytest.approx(2 / 3)
    assert f["signal_shouting"] == 1 and f["signal_repeated_contact"] == 1 and f["signal_insult"] == 0
    assert f["signal_shouting_last"] == 1 and f["signals_last_message"] == 2
    earlier = features("T-EN", "06-09 10:00")
    assert earlier["signal_shouting"] == 0 and earlier["sentiment_last"] == pytest.approx(-0.5)


def test_reassignment_escalation_solve_and_later() -> None:
    f = features("T-EN", "06-09 13:00")
    assert (f["reassignments"], f["escalations"], f["max_escalation_level"]) == (1, 1, 1)
    assert f["assignee_open_tickets"] == 0  # agent-2 holds nothing else
    solved = features("T-EN", "06-10 12:00")
    assert solved["status"] == "solved" and solved["reopens"] == 0
    assert solved["human_replies"] == 2 and solved["unanswered_messages"] == 0
    assert solved["wait_run_business_hours"] == 0


def test_german_ticket_on_saturday_with_the_extended_calendar() -> None:
    f = features("T-DE", "06-06 12:30")
    assert f["sla_policy"] == "billing-urgent"
    assert f["age_business_hours"] == pytest.approx(0.5)  # Saturday 09-13 is open on this calendar
    assert f["first_response_given"] == 0.0
    assert f["first_response_business_hours"] == pytest.approx(0.5)  # elapsed without a reply so far
    assert f["sla_first_response_remaining_business_hours"] == pytest.approx(0.5)  # high: 1h
    assert f["sla_escalation_level"] == 1  # the manager-requested trigger ('vorgesetzten')
    assert (f["hour_of_day"], f["weekday"]) == (12, 5)
    assert f["customer_value"] == 90000.0 and f["customer_tier"] == "enterprise"
    assert f["assignee_open_tickets"] == 1  # agent-1 also holds T-EN (pending is not solved)
    answered = features("T-DE", "06-08 07:45")
    assert answered["first_response_business_hours"] == pytest.approx(1.5)  # Sat 12-13, Mon 07-07:30
    assert answered["sla_first_response_breached"] == 1.0  # answered after its 1h
    assert answered["priority"] == "urgent"
    assert answered["priority_raised"] == answered["priority_changes"] == 1


def test_customer_history_relative_to_their_normal() -> None:
    f = features("T-EN", "06-09 10:30")
    # C-1's other ticket T-NO (created Mon 20:00, one message, open)
    assert f["customer_prior_tickets"] == f["customer_open_tickets"] == 1
    assert f["customer_prior_escalated"] == 0
    assert f["customer_median_messages"] == 1 and f["messages_vs_customer_median"] == 3
    assert f["customer_days_since_last_ticket"] == pytest.approx(14.5 / 24)
    assert math.isnan(f["customer_last_csat"])  # T-EN's own rating (Wednesday) never counts for T-EN


def test_no_customer_history_gives_zero_counts_and_nan_ratios() -> None:
    f = features("T-DE", "06-06 12:30")
    assert f["customer_prior_tickets"] == 0
    assert math.isnan(f["customer_prior_escalation_rate"]) and math.isnan(f["messages_vs_customer_median"])
    alone = features("T-EN", "06-09 10:30", context=EmptyContext())
    assert alone["customer_prior_tickets"] == 0 and alone["assignee_open_tickets"] == 0


def test_missing_analyses_give_nan_never_an_error() -> None:
    f = features("T-EN", "06-09 10:30", analyses={})
    for name in ("sentiment_last", "sentiment_min", "sentiment_mean", "sentiment_trend", "negative_share",
                 "signal_shouting", "signal_urgency_last", "signals_last_message"):
        assert math.isnan(f[name]), name
    assert f["analysed_messages"] == 0
    partial = features("T-EN", "06-09 10:30", analyses={"a1": ANALYSES["a1"], "a5": ANALYSES["a5"]})
    assert math.isnan(partial["sentiment_last"])  # the last message has no analysis
    assert partial["sentiment_min"] == pytest.approx(-0.5) and partial["analysed_messages"] == 2
    assert partial["signal_shouting"] == 0 and math.isnan(partial["signal_shouting_last"])


def test_events_after_t_are_ignored_whatever_the_caller_passes() -> None:
    ticket, events = PAIRS["T-EN"]
    cut = [e for e in events if e.at <= at("06-09 10:30")]
    full = build_features(ticket, events, at("06-09 10:30"), CONTEXT, ANALYSES, POLICIES)
    shuffled = build_features(ticket, events[::-1], at("06-09 10:30"), CONTEXT, ANALYSES, POLICIES)
    assert full == build_features(ticket, cut, at("06-09 10:30"), CONTEXT, ANALYSES, POLICIES) == shuffled


def test_a_naive_time_is_refused_with_what_to_do() -> None:
    ticket, events = PAIRS["T-EN"]
    with pytest.raises(ValueError, match="no time zone"):
        build_features(ticket, events, datetime(2026, 6, 9, 10, 30), CONTEXT, ANALYSES, POLICIES)
