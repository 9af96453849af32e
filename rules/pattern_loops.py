"""`loop_ambiguous`: whether a repeat's body can go around its loop in two ways on one text — the
alternatives of `(a|aa)*`, or of `"(\\\\.|[^"])*"` where a backslash matches both — which rules/patterns.py
refuses. The body becomes a Thompson automaton whose end joins its start; two ways around on one text are a
cycle of the automaton's product with itself through a pair (q, q) that passes a pair of different edges (the
test for exponential ambiguity of Weber and Seidl)."""

from __future__ import annotations

import re

# The parser and compiler of the `re` module itself (Python 3.11+; typeshed does not describe them).
from re import _compiler, _parser  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from typing import Any

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_ATOMS = (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.CATEGORY)
# A repeat of at most this many rounds splits a run in at most 2**10 ways: slow, not hours.
FEW_ROUNDS = 10
_MOST_STATES = 200  # a larger repeat is not examined (a policy's patterns are a few words)
# Characters tried against two character classes to see whether both can match one: those the pattern names,
# and some of each kind (letters of both cases and beyond ASCII, digits, spaces, punctuation, controls).
_SAMPLES = "aAzZ09_ \t\n\r.,;:!?-'\"\\/@#$%&*()[]{}<>|~^`+=éÉßıİ\u00a0\u0660\u2028\x00§€"


class _Unknown(Exception):
    """A part the automaton does not model (a look-around, an atomic group, a back-reference): not examined"""


def loop_ambiguous(body: Any, state: Any) -> bool:
    """Whether the parsed `body` of a repeat (of the pattern parsed with `state`) reads some text in two ways
    around its loop. A body with a part the automaton does not model, or a large one, answers False."""
    nfa = _Automaton()
    try:
        nfa.loop(body)
    except _Unknown:
        return False
    if nfa.states > _MOST_STATES:
        return False
    edges = nfa.without_epsilons()
    matches = _Matcher(state)
    # The product of the automaton with itself: a pair of states reached by two paths on one text. Two ways
    # around a loop on one text = a cycle through a pair (q, q) that passes a pair of different edges.
    graph: dict[tuple[int, int], list[tuple[tuple[int, int], bool]]] = {}
    todo = [(q, q) for q in edges]
    while todo:
        pair = todo.pop()
        if pair in graph:
            continue
        graph[pair] = []
        for one in edges[pair[0]]:
            for two in edges[pair[1]]:
                if matches.overlap(one[0], two[0]):
                    target = (one[1], two[1])
                    graph[pair].append((target, one is not two))
                    todo.append(target)
    for component in _components(graph):
        if any(a == b for a, b in component) and any(
            a != b or (diverging and target in component)
            for a, b in component for target, diverging in graph[(a, b)]
        ):
            return True
    return False


class _Automaton:
    """A Thompson automaton of one repeat's body, its end joined back to its start."""

    def __init__(self) -> None:
        self.states = 1  # state 0: the loop's start
        self.epsilons: list[tuple[int, int]] = []
        self.chars: list[tuple[int, Any, int]] = []  # (from, atom node, to)

    def new(self) -> int:
        self.states += 1
        return self.states - 1

    def loop(self, body: Any) -> None:
        self.end = self.build(body, 0)

    def build(self, items: Any, at: int) -> int:
        for op, av in items:
            if op in _ATOMS:
                to = self.new()
                self.chars.append((at, (op, av), to))
                at = to
            elif op is sre.SUBPATTERN and not av[1] and not av[2]:  # a group without flags of its own
                at = self.build(av[-1], at)
            elif op is sre.BRANCH:
                end = self.new()
                for branch in av[1]:
                    start = self.new()  # each alternative its own way in, so two empty ones are two paths
                    self.epsilons.append((at, start))
                    self.epsilons.append((self.build(branch, start), end))
                at = end
            elif op in _REPEATS and av[0] == av[1] <= FEW_ROUNDS:  # a fixed count: written out
                for _ in range(av[0]):
                    at = self.build(av[2], at)
            elif op is not sre.AT:  # an anchor reads nothing
                raise _Unknown(op)
        return at

    def without_epsilons(self) -> dict[int, list[list[Any]]]:
        """Each state a character leads to (and the start): its character edges after any empty path, one edge
        for each empty path (counted up to two: two empty paths to one edge are two ways already)."""
        following: dict[int, list[int]] = {}
        for a, b in self.epsilons:
            following.setdefault(a, []).append(b)
        counts: dict[int, dict[int, int]] = {}

        def paths(state: int) -> dict[int, int]:  # the body without the loop back is acyclic
            if state not in counts:
                found = {state: 1}
                for nxt in following.get(state, []):
                    for reached, n in paths(nxt).items():
                        found[reached] = min(found.get(reached, 0) + n, 2)
                counts[state] = found
            return counts[state]

        leaving: dict[int, list[tuple[Any, int]]] = {}
        for a, atom, b in self.chars:
            leaving.setdefault(a, []).append((atom, b))
        edges: dict[int, list[list[Any]]] = {}
        for state in {0, *(b for _, _, b in self.chars)}:
            reached = dict(paths(state))
            for again, n in paths(0).items():  # round the loop once more, if the end is reached
                reached[again] = min(reached.get(again, 0) + reached.get(self.end, 0) * n, 2)
            # each a list of its own: `is` tells two edges apart, however alike
            edges[state] = [[atom, b] for via, n in reached.items() for atom, b in leaving.get(via, [])
                            for _ in range(n)]
        return edges


class _Matcher:
    """Whether two one-character parts of a pattern can match one character, tried on samples: those above,
    and the characters either part names (and their other case)."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self.compiled: dict[tuple[Any, str], Any] = {}

    def overlap(self, one: Any, two: Any) -> bool:
        samples = _SAMPLES + _named(one) + _named(two)
        return any(self.accepts(one, c) and self.accepts(two, c) for c in samples)

    def accepts(self, atom: Any, char: str) -> bool:
        key = (atom[0], repr(atom[1]))
        if key not in self.compiled:
            self.compiled[key] = _compiler.compile(_parser.SubPattern(self.state, [atom]), re.IGNORECASE)
        return self.compiled[key].fullmatch(char) is not None


def _named(atom: Any) -> str:
    named = [atom[1]] if atom[0] in (sre.LITERAL, sre.NOT_LITERAL) else []
    if atom[0] is sre.IN:
        for op, av in atom[1]:
            named += [av] if op is sre.LITERAL else [av[0], av[0] + 1, av[1]] if op is sre.RANGE else []
    return "".join(chr(c) + chr(c).swapcase() for c in named if isinstance(c, int))


def _components(graph: dict[Any, list[tuple[Any, bool]]]) -> list[set[Any]]:
    """Strongly connected components (Tarjan's, without recursion)."""
    index: dict[Any, int] = {}
    low: dict[Any, int] = {}
    stack: list[Any] = []
    on_stack: set[Any] = set()
    found: list[set[Any]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = graph[node]
            if i < len(targets):
                work.append((node, i + 1))
                nxt = targets[i][0]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found
