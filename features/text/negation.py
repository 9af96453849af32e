"""Whether a phrase match is negated: "I don't want to cancel", "ich kündige nicht", "jeg vil ikke si opp".

A cue counts when it stands within `window` words before the match (or `window_after` words after it)
in the same clause: punctuation and scope-break words ("but", "aber", "men") end a cue's reach, so
"not happy, but I will cancel" is a churn threat. A cue after a conditional word is part of a condition,
not a denial: "if it does not work I cancel" is a threat too."""

from __future__ import annotations

import re

from features.text.lexicon import Negation
from features.text.quotes import MASK

_TOKEN = re.compile(rf"[\w'’]+|[.!?;:,()\n{MASK}]")
_IN_SENTENCE = frozenset(",:()")  # marks that end a clause but not a sentence
_LOOK = 160  # characters searched around a match; a clause of window words fits easily


def is_negated(text: str, start: int, end: int, rules: Negation, *, check_inside: bool = False) -> bool:
    """Whether the match text[start:end] is negated; `check_inside` also counts a cue within the match
    (one that a gap let in: "my card was not declined" for `card ... declined`)."""
    if rules.cue is None:
        return False
    if check_inside and rules.cue.search(text, start, end):
        return True
    if rules.window and _negated_before(text, start, rules):
        return True
    return bool(rules.window_after) and _negated_after(text, end, rules)


def _clause_words(tokens: list[re.Match[str]], rules: Negation) -> list[re.Match[str]]:
    """Word tokens in order until a clause boundary (tokens are given walking away from the match)."""
    words = []
    for tok in tokens:
        word = tok.group()
        if not (word[0].isalnum() or word[0] == "_"):
            if rules.sentence_only and word in _IN_SENTENCE:
                continue
            break
        if word.lower() in rules.scope_breaks:
            break
        words.append(tok)
    return words


def _negated_before(text: str, start: int, rules: Negation) -> bool:
    offset = max(0, start - _LOOK)
    tokens = list(_TOKEN.finditer(text, offset, start))
    clause = _clause_words(reversed(tokens), rules)  # type: ignore[arg-type]
    window = clause[: rules.window]
    if not window:
        return False
    cue = rules.cue.search(text, window[-1].start(), start) if rules.cue else None
    if cue is None:
        return False
    # "if … not …": a conditional earlier in the clause makes the cue part of the condition.
    return not any(w.group().lower() in rules.conditionals for w in clause if w.start() < cue.start())


def _negated_after(text: str, end: int, rules: Negation) -> bool:
    tokens = _TOKEN.finditer(text, end, min(len(text), end + _LOOK))
    window: list[re.Match[str]] = []
    for tok in _clause_words(tokens, rules):  # type: ignore[arg-type]
        if tok.group().lower() in rules.conditionals or len(window) == rules.window_after:
            break
        window.append(tok)
    if not window or rules.cue is None:
        return False
    return rules.cue.search(text, window[0].start(), window[-1].end()) is not None
