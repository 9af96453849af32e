"""core/bounds.py: ticket ids, and the walk over the extra fields: its answers, and that it leaves no garbage
cycles behind."""

import gc
from types import FunctionType

import pytest
from pydantic import TypeAdapter, ValidationError

from core.bounds import EXTRA_DEPTH, EXTRA_VALUES, Id, extras_problem


def nested(depth: int) -> object:
    value: object = "leaf"
    for _ in range(depth):
        value = {"inner": value}
    return value


def test_extras_within_bounds_pass():
    assert extras_problem(None) is None
    extras = {"plan": "gold", "seats": 12, "tags": ["a", "b"], "meta": nested(EXTRA_DEPTH)}
    assert extras_problem(extras) is None


def test_each_bound_names_the_field_and_the_limit():
    assert extras_problem({"meta": nested(EXTRA_DEPTH + 1)}) == (
        f"'meta': nested deeper than {EXTRA_DEPTH} levels; extra fields nest {EXTRA_DEPTH} deep at most"
    )
    assert extras_problem({"many": list(range(EXTRA_VALUES))}) == (
        f"'many': more than {EXTRA_VALUES} values in the extra fields; send fewer"
    )
    assert "2^63" in (extras_problem({"n": 2**63}) or "")
    assert "finite" in (extras_problem({"x": float("inf")}) or "")


def test_the_count_spans_all_fields_of_one_request_and_starts_again_for_the_next():
    half = list(range(EXTRA_VALUES // 2))
    assert extras_problem({"a": half, "b": half}) is not None  # two lists plus their values: over
    assert extras_problem({"a": half}) is None


def test_a_check_leaves_no_reference_cycle_for_the_garbage_collector():
    """It runs for every event of every request: a recursive closure made a cycle each time, and those
    cycles were most of what made a server process stop to collect under load. (Only this module's
    objects are counted: other threads of the test process may leave garbage of their own meanwhile.)"""
    extras = {"plan": "gold", "meta": {"seats": [1, 2, 3]}}
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds is kept in gc.garbage to be looked at
    try:
        for _ in range(200):
            assert extras_problem(extras) is None
        gc.collect()
        ours = [o for o in gc.garbage if _from_bounds(o)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert ours == []


def _from_bounds(obj: object) -> bool:
    if isinstance(obj, FunctionType):
        return obj.__module__ == "core.bounds"
    return type(obj).__module__ == "core.bounds"


@pytest.mark.parametrize("value", ["T-1\n", "T-1\r\n", "\n"])
def test_a_ticket_id_with_a_line_break_is_refused_naming_it(value: str) -> None:
    # the pattern's `$` matches before a trailing newline: re.match let 'T-1\n' through
    with pytest.raises(ValidationError) as refused:
        TypeAdapter(Id).validate_python(value)
    bad = value.strip("T-1")[0]
    assert f"holds {bad!r} at position {value.index(bad)}" in str(refused.value)
