import pytest
from pydantic import ValidationError

from rules.conditions import Condition, compile_condition, explain_match

FACTS = {
    "priority": "high",
    "channel": "twitter",
    "customer_tier": "vip",
    "customer_value": 50_000.0,
    "category": "billing",
    "text": "payment failed\nmy card was declined",
    "signals": frozenset({"insult"}),
    "risk": None,
    "team": "general",
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"field": "channel", "operator": "equal_to", "value": "twitter"}, True),
        ({"field": "channel", "operator": "not_equal_to", "value": "twitter"}, False),
        ({"field": "channel", "operator": "in", "value": ["twitter", "facebook"]}, True),
        ({"field": "channel", "operator": "not_in", "value": ["twitter"]}, False),
        ({"field": "priority", "operator": "at_least", "value": "high"}, True),
        ({"field": "priority", "operator": "at_least", "value": "urgent"}, False),
        ({"field": "priority", "operator": "at_most", "value": "normal"}, False),
        ({"field": "customer_value", "operator": "greater_than", "value": 10_000}, True),
        ({"field": "customer_value", "operator": "less_than", "value": 10_000}, False),
        ({"field": "risk", "operator": "at_least", "value": 0.5}, False),  # no score: no match
        ({"field": "text", "operator": "contains", "value": "Payment Failed"}, True),  # case-insensitive
        ({"field": "text", "operator": "contains_any", "value": ["outage", "declined"]}, True),
        ({"field": "text", "operator": "not_contains", "value": "refund"}, True),
        ({"field": "text", "operator": "matches", "value": r"card\s+was"}, True),
        ({"field": "signals", "operator": "contains", "value": "insult"}, True),
        ({"field": "signals", "operator": "contains_any", "value": ["legal_threat", "churn_threat"]}, False),
        (
            {
                "all": [
                    {"field": "category", "operator": "equal_to", "value": "billing"},
                    {"field": "customer_tier", "operator": "equal_to", "value": "vip"},
                ]
            },
            True,
        ),
        (
            {
                "any": [
                    {"field": "category", "operator": "equal_to", "value": "tech"},
                    {"field": "customer_tier", "operator": "equal_to", "value": "vip"},
                ]
            },
            True,
        ),
    ],
)
def test_operators(condition: dict, expected: bool) -> None:
    assert compile_condition(Condition.model_validate(condition))(FACTS) is expected


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"field": "channel", "operator": "in", "value": "twitter"}, "operator 'in' needs a non-empty list"),
        (
            {"field": "language", "operator": "equal_to", "value": False},
            "YAML reads yes/no/on/off as booleans",
        ),
        ({"field": "priority", "operator": "equal_to", "value": "asap"}, "'asap' is not a priority"),
        ({"field": "risk", "operator": "at_least", "value": "high"}, "field 'risk' compares numbers"),
        (
            {"field": "customer_value", "operator": "not_equal_to", "value": float("nan")},
            r"field 'customer_value' compares numbers; got nan, which equals nothing \(not even itself\)",
        ),
        (
            {"field": "risk", "operator": "at_least", "value": 80},
            r"a risk is between 0 and 1 \(0.8 for 80 %\); got 80",
        ),
        ({"field": "risk", "operator": "at_most", "value": -0.1}, r"a risk is between 0 and 1 .*; got -0.1"),
        ({"field": "text", "operator": "matches", "value": "("}, "is not a valid regular expression"),
        (
            {"field": "customer_text", "operator": "matches", "value": r"^(\w+\s?)*$"},
            r"repeats a part that itself repeats \(as in '\(a\+\)\+'\): a customer's text could make",
        ),
        ({"field": "channel", "all": []}, "a condition is either"),
    ],
)
def test_invalid_conditions(condition: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Condition.model_validate(condition)


def test_explain_names_the_tests_that_matched() -> None:
    cond = Condition.model_validate(
        {
            "any": [
                {"field": "category", "operator": "equal_to", "value": "tech"},
                {"field": "customer_tier", "operator": "in", "value": ["vip"]},
            ]
        }
    )
    assert explain_match(cond, FACTS) == ["customer_tier in ['vip'] (ticket: 'vip')"]
    assert explain_match(None, FACTS) == ["always (the rule has no conditions)"]
