"""Conditions are data: `all` / `any` of `{field, operator, value}` over a typed set of fields.

Each field has a type, each type its operators, and a value is checked against both when the policy
file is read — so a typo fails at load time with its line, never silently at evaluation time.
Text comparisons ignore case. `compile_condition` turns a condition into a plain function of the
ticket facts (a dict), which keeps evaluation of 100k tickets cheap.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from core.enums import Channel, Priority
from core.text import SignalName
from rules.patterns import backtracking_problem

Facts = Mapping[str, Any]
Predicate = Callable[[Facts], bool]


class FieldType(StrEnum):
    KEYWORD = "keyword"  # exact value, case-sensitive as the helpdesk stores it
    PRIORITY = "priority"  # ordered: low < normal < high < urgent
    NUMBER = "number"
    TEXT = "text"  # free text, case-insensitive substring or regex
    SET = "set"  # names, e.g. conflict signals
    BOOLEAN = "boolean"  # yes/no, for custom fields such as `sla_breached`


FIELDS: dict[str, FieldType] = {
    "priority": FieldType.PRIORITY,
    "channel": FieldType.KEYWORD,
    "customer_id": FieldType.KEYWORD,
    "customer_tier": FieldType.KEYWORD,
    "customer_value": FieldType.NUMBER,
    "product": FieldType.KEYWORD,
    "category": FieldType.KEYWORD,
    "team": FieldType.KEYWORD,
    "language": FieldType.KEYWORD,
    "assignee": FieldType.KEYWORD,
    "subject": FieldType.TEXT,
    "body": FieldType.TEXT,  # the first customer message: the ticket's description
    "text": FieldType.TEXT,  # subject and body together
    "customer_text": FieldType.TEXT,  # every customer message so far
    "signals": FieldType.SET,  # conflict signals supplied by the caller
    "risk": FieldType.NUMBER,  # escalation risk supplied by the caller, 0..1
}
# The types a custom ticket field (declared under `custom_fields:` in the policy file) may have.
CUSTOM_TYPES = (FieldType.KEYWORD, FieldType.NUMBER, FieldType.TEXT, FieldType.BOOLEAN)
# Supplied per evaluation by the caller, not part of the ticket: choosing an SLA policy by them would
# make deadlines depend on a model version, so only immediate triggers may use them.
CALLER_FIELDS = frozenset({"signals", "risk"})

_EQUALITY = {"equal_to", "not_equal_to", "in", "not_in"}
OPERATORS: dict[FieldType, frozenset[str]] = {
    FieldType.KEYWORD: frozenset(_EQUALITY),
    FieldType.PRIORITY: frozenset(_EQUALITY | {"at_least", "at_most"}),
    FieldType.NUMBER: frozenset(
        {"equal_to", "not_equal_to", "greater_than", "at_least", "less_than", "at_most"}
    ),
    FieldType.TEXT: frozenset({"contains", "contains_any", "not_contains", "matches"}),
    FieldType.SET: frozenset({"contains", "contains_any", "not_contains"}),
    FieldType.BOOLEAN: frozenset({"equal_to", "not_equal_to"}),
}
_LIST_OPERATORS = {"in", "not_in", "contains_any"}


def _error(key: str, message: str) -> PydanticCustomError:
    # `key` lets the policy-file reader point at the line of that key, not just the condition's.
    # (pydantic only substitutes "{key}" placeholders, so braces in the message are safe.)
    return PydanticCustomError("policy_condition", message, {"key": key})


class Condition(BaseModel):
    """Either a combination (`all` or `any` of conditions) or one test `{field, operator, value}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    all: list[Condition] | None = None
    any: list[Condition] | None = None
    field: str | None = None
    operator: str | None = None
    value: Any = None

    @model_validator(mode="after")
    def _well_formed(self, info: ValidationInfo) -> Condition:
        shapes = [self.all is not None, self.any is not None, self.field is not None]
        if sum(shapes) != 1:
            raise _error(
                "field", "a condition is either `all: [...]`, `any: [...]` or `{field, operator, value}`"
            )
        if self.field is None:
            return self
        fields = known_fields((info.context or {}).get("custom_fields"))
        if self.field not in fields:
            # Custom ticket fields count only once declared (docs/sla-semantics.md): typos still fail.
            raise _error("field", f"unknown field {self.field!r}; known fields: {', '.join(sorted(fields))}")
        kind = fields[self.field]
        if self.operator not in OPERATORS[kind]:
            raise _error(
                "operator",
                f"operator {self.operator!r} does not apply to {kind.value} field {self.field!r}; "
                f"use one of: {', '.join(sorted(OPERATORS[kind]))}",
            )
        _check_value(self.field, kind, self.operator, self.value)
        return self

    def fields_used(self) -> set[str]:
        if self.field is not None:
            return {self.field}
        return set().union(*(c.fields_used() for c in (self.all or self.any or [])))


def known_fields(custom: Mapping[str, str] | None = None) -> dict[str, FieldType]:
    """The standard fields plus the declared custom ones (declarations are validated by the policy
    file: types from CUSTOM_TYPES, names not shadowing a standard field; others are ignored here)."""
    declared = {
        name: FieldType(kind)
        for name, kind in (custom or {}).items()
        if name not in FIELDS and kind in CUSTOM_TYPES
    }
    return {**FIELDS, **declared}


def _check_value(field: str, kind: FieldType, operator: str, value: Any) -> None:
    values = value if operator in _LIST_OPERATORS else [value]
    if operator in _LIST_OPERATORS and (not isinstance(value, list) or not value):
        raise _error("value", f"operator {operator!r} needs a non-empty list as value, e.g. [a, b]")
    for item in values:
        if kind is FieldType.BOOLEAN:
            if not isinstance(item, bool):
                raise _error("value", f"field {field!r} compares true/false; got {item!r}")
        elif kind is FieldType.NUMBER:
            ok = isinstance(item, int | float) and not isinstance(item, bool)
            if not ok:
                raise _error("value", f"field {field!r} compares numbers; got {item!r}")
            if math.isnan(item):  # every test with it is false, and `not_equal_to` true for every ticket
                raise _error("value", f"field {field!r} compares numbers; got nan, which equals nothing "
                             "(not even itself): give a number")
            if field == "risk" and not 0 <= item <= 1:  # a test beyond them could never, or always, hold
                raise _error("value", f"a risk is between 0 and 1 (0.8 for 80 %); got {item!r}")
        elif not isinstance(item, str):
            hint = " (YAML reads yes/no/on/off as booleans: quote it)" if isinstance(item, bool) else ""
            raise _error("value", f"field {field!r} compares text; got {item!r}{hint}")
        elif kind is FieldType.PRIORITY and item not in Priority.__members__.values():
            raise _error(
                "value", f"{item!r} is not a priority; use one of: {', '.join(p.value for p in Priority)}"
            )
        elif kind is FieldType.SET and field == "signals" and item not in SignalName.__members__.values():
            raise _error(
                "value",
                f"{item!r} is not a conflict signal; use one of: {', '.join(n.value for n in SignalName)}",
            )
        elif field == "channel" and item not in Channel.__members__.values():
            raise _error(
                "value", f"{item!r} is not a channel; use one of: {', '.join(c.value for c in Channel)}"
            )
        elif operator == "matches":
            try:
                re.compile(item)
            except re.error as exc:
                raise _error("value", f"{item!r} is not a valid regular expression: {exc}") from None
            slow = backtracking_problem(item)
            if slow is not None:
                raise _error("value", slow)


def compile_condition(condition: Condition | None, fields: Mapping[str, FieldType] = FIELDS) -> Predicate:
    """`fields`: the field types, custom ones included (`known_fields`)."""
    if condition is None:
        return lambda facts: True
    if condition.all is not None:
        return _all([compile_condition(c, fields) for c in condition.all])
    if condition.any is not None:
        return _any([compile_condition(c, fields) for c in condition.any])
    return _leaf(str(condition.field), fields[str(condition.field)], str(condition.operator), condition.value)


# Plain loops rather than all()/any() over a generator (SIM110): these run for every ticket and
# rule, and creating a generator each time made the whole evaluation about 10 % slower.
def _all(parts: list[Predicate]) -> Predicate:
    def check(facts: Facts) -> bool:
        for part in parts:  # noqa: SIM110
            if not part(facts):
                return False
        return True

    return check


def _any(parts: list[Predicate]) -> Predicate:
    def check(facts: Facts) -> bool:
        for part in parts:  # noqa: SIM110
            if part(facts):
                return True
        return False

    return check


def _leaf(field: str, kind: FieldType, op: str, value: Any) -> Predicate:
    if kind is FieldType.PRIORITY:
        rank = {p.value: p.rank for p in Priority}
        if op in ("at_least", "at_most"):
            bound = rank[value]
            if op == "at_least":
                return lambda f: rank[f[field]] >= bound
            return lambda f: rank[f[field]] <= bound
    if kind is FieldType.TEXT:
        if op == "matches":
            pattern = re.compile(value, re.IGNORECASE)
            return lambda f: pattern.search(f[field] or "") is not None
        hit = _contains_any(field, [v.casefold() for v in (value if op == "contains_any" else [value])])
        return (lambda f: not hit(f)) if op == "not_contains" else hit
    if kind is FieldType.SET:
        names = set(value if op == "contains_any" else [value])
        if op == "not_contains":
            return lambda f: not names & f[field]
        return lambda f: bool(names & f[field])
    return _compare(field, op, value)


def _contains_any(field: str, needles: list[str]) -> Predicate:
    def check(facts: Facts) -> bool:
        text = facts[field] or ""
        for needle in needles:  # noqa: SIM110 (as above)
            if needle in text:
                return True
        return False

    return check


def _compare(field: str, op: str, value: Any) -> Predicate:
    if op == "equal_to":
        return lambda f: f[field] == value
    if op == "not_equal_to":
        return lambda f: f[field] != value
    if op == "in":
        allowed = frozenset(value)
        return lambda f: f[field] in allowed
    if op == "not_in":
        banned = frozenset(value)
        return lambda f: f[field] not in banned
    # Numbers: a missing value (no risk score, no contract value) never matches a comparison.
    tests: dict[str, Callable[[Any], bool]] = {
        "greater_than": lambda x: x > value,
        "at_least": lambda x: x >= value,
        "less_than": lambda x: x < value,
        "at_most": lambda x: x <= value,
    }
    test = tests[op]
    return lambda f: f[field] is not None and test(f[field])


def explain_match(
    condition: Condition | None, facts: Facts, fields: Mapping[str, FieldType] = FIELDS
) -> list[str]:
    """The tests that made `condition` true, in words: what an agent needs to see why a rule applied."""
    if condition is None:
        return ["always (the rule has no conditions)"]
    if condition.all is not None:
        return [line for c in condition.all for line in explain_match(c, facts, fields)]
    if condition.any is not None:
        first = next(c for c in condition.any if compile_condition(c, fields)(facts))
        return explain_match(first, facts, fields)
    actual = facts.get(str(condition.field))
    shown = sorted(actual) if isinstance(actual, set | frozenset) else actual
    if isinstance(shown, StrEnum):
        shown = shown.value
    if isinstance(shown, str) and len(shown) > 60:
        shown = shown[:57] + "..."
    return [f"{condition.field} {condition.operator} {condition.value!r} (ticket: {shown!r})"]
