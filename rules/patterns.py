"""Regular expressions in `matches` conditions run on customers' texts: refuse those that backtrack for hours.

Python's `re` backtracks. A part that may match in several lengths inside a repeat — `(a+)+`, `(\\w+\\s?)*`,
`(x|y+)*` — can split a run of characters in exponentially many ways before it fails: `(a+)+$` against 30
`a`s and a `b` takes minutes, 40 never ends, and every request for that ticket (and the sweeper) would wait
on it. A repeat that cannot give back what it matched — possessive `a++` or atomic `(?>a+)` — has one way
only, so that is what the check asks for.

Alternatives that can match the same text inside a repeat split a run likewise: `(a|a)*$`, `(a|aa)*$`,
`"(\\.|[^"])*"` (a backslash matches both). That is found on the repeat's automaton: two different ways
around the loop that read the same characters (the test for exponential ambiguity of Weber and Seidl, on
the product of the automaton with itself, rules/pattern_loops.py). `(a|ab)*c` and `(foo|foobar)+` have
one way to read any text, and pass.
"""

from __future__ import annotations

# The parser of the `re` module itself (Python 3.11+; typeshed does not describe these private modules).
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from rules.pattern_loops import FEW_ROUNDS, loop_ambiguous

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)


def backtracking_problem(pattern: str) -> str | None:
    """What is wrong with a valid `pattern` that can backtrack exponentially, or None."""
    parsed = _parser.parse(pattern)
    if _nested(parsed, inside=False):
        return (
            f"{_quoted(pattern)} repeats a part that itself repeats (as in '(a+)+'): a customer's text could "
            "make matching run for hours; make the inner repeat possessive ('a++') or atomic ('(?>a+)'), "
            "or drop one"
        )
    if _ambiguous(parsed, parsed.state):
        return (
            f"{_quoted(pattern)} repeats alternatives that can match the same text (as in '(a|aa)*' or "
            "'(\\\\.|[^\"])*', where a backslash matches both): a customer's text could make matching run "
            "for hours; make the alternatives exclusive ('(\\\\.|[^\"\\\\])*') or the repeat possessive "
            "('(?:a|aa)*+')"
        )
    return None


def _nested(items: Any, inside: bool) -> bool:
    """Whether a repeat of variable length sits inside another repeat (`inside`: within one that repeats)."""
    for op, av in items:
        if op in _REPEATS:
            low, high, sub = av
            if (inside and low != high) or _nested(sub, inside or high > 1):
                return True
        elif any(_nested(part, within) for part, within in _parts(op, av, inside)):
            return True
    return False


def _parts(op: Any, av: Any, inside: bool) -> list[tuple[Any, bool]]:
    """The sub-patterns of one node, each with whether it is within a repeat."""
    if op is sre.POSSESSIVE_REPEAT:
        return [(av[2], False)]  # gives nothing back: one way to match, checked on its own
    if op is sre.ATOMIC_GROUP:
        return [(av, False)]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [(av[1], False)]
    if op is sre.SUBPATTERN:
        return [(av[-1], inside)]
    if op is sre.BRANCH:
        return [(branch, inside) for branch in av[1]]
    if op is sre.GROUPREF_EXISTS:
        return [(branch, inside) for branch in av[1:] if branch is not None]
    return []


def _quoted(pattern: str, limit: int = 60) -> str:
    return repr(pattern) if len(pattern) <= limit else repr(pattern[:limit]) + "…"


def _ambiguous(items: Any, state: Any) -> bool:
    """Whether some repeat of many rounds (not possessive) can go around its loop in two ways on one text."""
    for op, av in items:
        if op in _REPEATS:
            if (av[1] > FEW_ROUNDS and loop_ambiguous(av[2], state)) or _ambiguous(av[2], state):
                return True
        elif any(_ambiguous(part, state) for part, _ in _parts(op, av, False)):
            return True
    return False
