# ruff: noqa: E501  (the exact messages read best unbroken)
"""Custom ticket fields (`Ticket.model_extra`) in conditions: declared under `custom_fields:` with a
type, checked when the file is loaded, read as their type at evaluation."""

import typing

import pytest
from sla_helpers import BASE, Log, at, policies, ticket

from core.errors import ConfigError, EscalationError
from rules.conditions import CUSTOM_TYPES
from rules.engine import evaluate
from rules.policy import CustomType
from rules.policy_file import parse_policies

EMEA = {
    "name": "emea",
    "when": {"field": "region", "operator": "equal_to", "value": "emea"},
    "calendar": "always",
    "targets": {"first_response": {"normal": "15m"}},
}
BREACHED = {
    "name": "was-breached",
    "when": {"field": "sla_breached", "operator": "equal_to", "value": True},
    "to": "team_lead",
}
TEXT = """custom_fields:
  region: keyword
calendars:
  office:
    timezone: Europe/Oslo
    hours:
      mon-fri: ["08:00-16:00"]
policies:
  - name: standard
    when: {field: regoin, operator: equal_to, value: emea}
    calendar: office
    targets:
      first_response: {normal: 1h}
"""


def run(ps, **extra):
    return evaluate(ps, ticket(**extra), Log().customer("09:00").events, at("2025-03-03 09:05"))


def with_custom(**sections):
    return policies(
        policies=[EMEA, BASE["policies"][0]],
        custom_fields={"region": "keyword", "sla_breached": "boolean"},
        **sections,
    )


def test_a_declared_custom_field_selects_the_policy() -> None:
    ps = with_custom()
    assert run(ps, region="emea").policy == "emea"
    assert run(ps, region="apac").policy == "standard"
    assert run(ps).policy == "standard"  # a ticket without the column: missing, equals nothing
    assert run(ps, region="emea").matched == ("region equal_to 'emea' (ticket: 'emea')",)


def test_boolean_custom_field_read_from_text_columns() -> None:
    ps = with_custom(triggers=[BREACHED])
    for value, fires in (
        (True, True),
        ("true", True),
        ("False", False),
        (None, False),
        (float("nan"), False),
    ):
        result = run(ps, sla_breached=value)
        assert [a.rule for a in result.actions] == (["was-breached"] if fires else []), value


def test_a_value_that_is_not_of_the_declared_type_is_an_error() -> None:
    with pytest.raises(
        EscalationError,
        match="ticket 'T1': custom field 'sla_breached' is declared as boolean in the policy file but has 'maybe'",
    ):
        run(with_custom(triggers=[BREACHED]), sla_breached="maybe")


def test_number_and_text_custom_fields() -> None:
    seats = {
        "name": "big",
        "when": {
            "all": [
                {"field": "seats", "operator": "at_least", "value": 100},
                {"field": "notes", "operator": "contains", "value": "VIP"},
            ]
        },
        "calendar": "always",
        "targets": {"first_response": {"normal": "15m"}},
    }
    ps = policies(policies=[seats, BASE["policies"][0]], custom_fields={"seats": "number", "notes": "text"})
    assert (
        run(ps, seats="250", notes="a vip account").policy == "big"
    )  # CSV text read as a number; text ignores case
    assert run(ps, seats=20, notes="vip").policy == "standard"


def test_undeclared_field_is_still_an_error_with_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_policies(TEXT, source="p.yaml")
    assert (
        "p.yaml, line 10, at policies[0].when.field: unknown field 'regoin'; known fields: assignee, body, category, channel, customer_id, customer_text, customer_tier, customer_value, language, priority, product, region, risk, signals, subject, team, text"
        in str(caught.value)
    )


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        (
            "  channel: keyword\n",
            "p.yaml, line 2, at custom_fields.channel: 'channel' is a standard field: use it without declaring it under custom_fields",
        ),
        (
            "  region: colour\n",
            "p.yaml, line 2, at custom_fields.region: Input should be 'keyword', 'number', 'text' or 'boolean' (got 'colour')",
        ),
    ],
    ids=["standard-name", "unknown-type"],
)
def test_bad_declarations_are_refused(declaration: str, expected: str) -> None:
    text = (
        TEXT.replace("  region: keyword\n", declaration)
        .replace("field: regoin", "field: channel")
        .replace("value: emea", "value: email")
    )
    with pytest.raises(ConfigError) as caught:
        parse_policies(text, source="p.yaml")
    assert expected in str(caught.value)


def test_value_type_is_checked_against_the_declaration() -> None:
    text = TEXT.replace("region: keyword", "region: boolean").replace("field: regoin", "field: region")
    with pytest.raises(ConfigError, match="field 'region' compares true/false; got 'emea'"):
        parse_policies(text, source="p.yaml")


def test_custom_types_are_one_list() -> None:
    assert set(typing.get_args(CustomType)) == {t.value for t in CUSTOM_TYPES}


PINNED_FILE = """calendars:
  office: {timezone: Europe/Oslo, hours: {mon-fri: ["08:00-16:00"]}}
policies:
  - name: standard
    calendar: office
    targets: {first_response: {normal: 8h}}
"""
PINNED_VERSION = "6663c7d7d6c4"


def test_a_file_without_custom_fields_keeps_its_version() -> None:
    # Adding the `custom_fields` section to the schema must not re-version existing files.
    # (pinned on a fixed text: the shipped file itself changes as the product does)
    assert parse_policies(PINNED_FILE).version == PINNED_VERSION
