"""Regular expressions in `matches` conditions run on customers' texts: refuse those that backtrack for hours.

Python's `re` backtracks. A part that may match in several lengths inside a repeat — `(a+)+`, `(\\w+\\s?)*`,
`(x|y+)*` — can split a run of characters in exponentially many ways before it fails: `(a+)+$` against 30
`a`s and a `b` takes minutes, 40 never ends, and every request for that ticket (and the sweeper) would wait
on it. A repeat that cannot give back what it matched — possessive `a++` or atomic `(?>a+)` — has one way
only, so that is what the check asks for. (Ambiguous alternatives of fixed length, `(a|a)*`, are not found.)
"""

from __future__ import annotations

# The parser of the `re` module itself (Python 3.11+; typeshed does not describe these private modules).
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)


def backtracking_problem(pattern: str) -> str | None:
    """What is wrong with a valid `pattern` that can backtrack exponentially, or None."""
    if not _nested(_parser.parse(pattern), inside=False):
        return None
    return (
        f"{_quoted(pattern)} repeats a part that itself repeats (as in '(a+)+'): a customer's text could "
        "make matching run for hours; make the inner repeat possessive ('a++') or atomic ('(?>a+)'), "
        "or drop one"
    )


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
