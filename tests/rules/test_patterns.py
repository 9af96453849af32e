"""Regular expressions that could backtrack for hours on a customer's text are refused; usual ones pass."""

import re
import time

import pytest

from rules.patterns import backtracking_problem


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"^(\w+\s?)*$",
        r"(?:x|y+)*z",
        r"((ab)*)+c",
        r"(a{1,3})+$",
        r"(?>(a+)+$)",  # the atomic group is around the whole: inside it, it still backtracks
        r"(?=(a+)+$)",
        r"(?:(a*)b?)*c",
    ],
)
def test_nested_repeats_of_variable_length_are_refused(pattern: str) -> None:
    problem = backtracking_problem(pattern)
    assert problem == (
        f"{pattern!r} repeats a part that itself repeats (as in '(a+)+'): a customer's text could make "
        "matching run for hours; make the inner repeat possessive ('a++') or atomic ('(?>a+)'), or drop one"
    )


@pytest.mark.parametrize(
    "pattern",
    [
        r"refund|chargeback",
        r"\b(order|invoice) ?#?\d+",
        r"(a++)+$",
        r"(?>a+)+$",
        r"(a+)++$",
        r"(\d{3}-)+\d{4}",  # a fixed-length part repeated: one way to split
        r"a+b+c*",
        r"(ab)+",
        r"(?i)not (working|funktioniert)",
        r"^(\w++\s?+)*$",  # the spellings docs/sla-semantics.md gives for '(\w+\s?)*'
        r"^(?>\w+\s?)*$",
    ],
)
def test_usual_patterns_pass(pattern: str) -> None:
    assert backtracking_problem(pattern) is None


@pytest.mark.parametrize("pattern", [r"(a++)+$", r"(?>a+)+$", r"(a+)++$"])
def test_the_suggested_spellings_are_fast(pattern: str) -> None:
    started = time.perf_counter()
    assert re.search(pattern, "a" * 5_000 + "b") is None
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a|a)*$",
        r"(?:a|aa)*$",  # 'aa' is one 'aa' or two 'a's
        r'"(\\.|[^"])*"',  # a backslash matches both alternatives
        r"(x(a|a))*$",
        r"(?:ab|\w)+c",
    ],
)
def test_repeated_alternatives_that_match_the_same_text_are_refused(pattern: str) -> None:
    assert backtracking_problem(pattern) == (
        f"{pattern!r} repeats alternatives that can match the same text (as in '(a|aa)*' or "
        "'(\\\\.|[^\"])*', where a backslash matches both): a customer's text could make matching run for "
        "hours; make the alternatives exclusive ('(\\\\.|[^\"\\\\])*') or the repeat possessive "
        "('(?:a|aa)*+')"
    )


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a|ab)*c",  # one way to read any text: after 'a' comes 'b' or another 'a'
        r"(foo|foobar)+$",
        r'"(\\.|[^"\\])*"',
        r"(?:a|aa)*+$",
        r"(a|a){1,3}$",  # a few rounds: a few ways
        r"(?:refund|chargeback|cancel(?:lation)?)",
        r"(\w|-)+@",
        r"(?:\bre:\s?)",
    ],
)
def test_repeated_alternatives_with_one_way_to_match_pass(pattern: str) -> None:
    assert backtracking_problem(pattern) is None


SLOW = [(r"(a|a)*$", "a" * 24 + "!"), (r'"(\\.|[^"])*"', '"' + "\\" * 32)]


@pytest.mark.parametrize(("pattern", "text"), SLOW)
def test_the_refused_alternatives_are_slow(pattern: str, text: str) -> None:
    started = time.perf_counter()
    re.search(pattern, text)
    assert time.perf_counter() - started > 0.2  # doubling with every character more


FAST = [(r"(a|ab)*c", "ab" * 500), (r"(foo|foobar)+$", "foo" * 500 + "!"),
        (r'"(\\.|[^"\\])*"', '"' + "\\" * 500)]


@pytest.mark.parametrize(("pattern", "text"), FAST)
def test_the_passed_alternatives_are_fast(pattern: str, text: str) -> None:
    started = time.perf_counter()
    re.search(pattern, text)
    assert time.perf_counter() - started < 1.0
