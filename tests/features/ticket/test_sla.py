"""SLA features straight from the rules engine; no matching policy -> NaN, not an error."""

from __future__ import annotations

import math

import yaml
from ticket_history import ANALYSES, at, pairs

from features.ticket import EmptyContext, build_features
from features.ticket.sla import business_hours
from rules import parse_policies

ONLY_SOCIAL = parse_policies(yaml.safe_dump({
    "calendars": {"always": {"timezone": "Europe/Oslo", "hours": "24/7"}},
    "policies": [{
        "name": "social", "calendar": "always",
        "when": {"field": "channel", "operator": "in", "value": ["twitter"]},
        "targets": {"first_response": {"normal": "1h"}},
    }],
}), source="test.yaml")


def test_no_matching_policy_leaves_business_time_and_sla_unknown() -> None:
    ticket, events = pairs()["T-EN"]  # email: the only policy is for twitter
    f = build_features(ticket, events, at("06-09 10:30"), EmptyContext(), ANALYSES, ONLY_SOCIAL)
    assert f["sla_policy"] is None
    for name in ("age_business_hours", "wait_run_business_hours", "in_business_hours",
                 "sla_first_response_remaining_business_hours", "sla_resolution_breached"):
        assert math.isnan(f[name]), name
    assert f["age_hours"] == 91.5 and f["hour_of_day"] == 8  # 10:30 Oslo is 08:30 UTC


def test_a_policy_without_a_target_gives_nan_for_that_target_only() -> None:
    ticket, events = pairs()["T-NO"]
    f = build_features(ticket, events, at("06-08 20:30"), EmptyContext(), ANALYSES, ONLY_SOCIAL)
    assert f["sla_policy"] == "social"
    assert f["sla_first_response_remaining_business_hours"] == 0.5  # 24/7: 1h from 20:00
    assert math.isnan(f["sla_resolution_remaining_business_hours"])
    assert f["age_business_hours"] == 0.5


def test_business_hours_without_a_calendar_is_nan() -> None:
    assert math.isnan(business_hours(None, at("06-08 08:00"), at("06-08 09:00")))
