"""Conflict signals in one customer message, with the evidence as written and its span.

Phrases come from the phrase files (shipped en/de/no plus the team's, see lexicon.py); shouting also from
the shape of the text. Quoted earlier mails and words in quotation marks are ignored, negated phrases ("I
don't want to cancel") too, and so are phrases whose context says they are not this customer's signal
(context rules: "I'm such an idiot", "my brother is a lawyer", "third time this year it crashed").
Speed: the text is tokenised once and each signal's regex is tried only where one of its phrases can start
(by first word), so cost grows with the words of the message, not with the size of the phrase lists."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.text import Signal, SignalName
from features.text.lexicon import Lexicon, Target, View, default_lexicon
from features.text.negation import is_negated
from features.text.quotes import MASK, mask_quotes, mask_reported
from features.text.shouting import find_shouting

_WORD = re.compile(r"\w+")


def detect_signals(
    text: str, lang: str | None = None, *, lexicon: Lexicon | None = None
) -> tuple[Signal, ...]:
    """The signals in `text`, ordered by position. `lang` picks that language's phrases ('en', 'de', 'no';
    'nb'/'nn'/'de-AT' are understood); None, or a language without phrases, uses every language's."""
    return detect_signals_and_vetoes(text, lang, lexicon=lexicon)[0]


def detect_signals_and_vetoes(
    text: str, lang: str | None = None, *, lexicon: Lexicon | None = None
) -> tuple[tuple[Signal, ...], frozenset[SignalName]]:
    """`detect_signals`, and the signals whose phrases matched but were dropped for their context (negated,
    the writer about themself, a third party, a recurring problem, in quoted or reported words) or taken back
    by a team's `exclude`, and matched nowhere else: the phrase files' evidence that the message does *not*
    carry them, which the learned head must respect."""
    lex = lexicon if lexicon is not None else default_lexicon()
    view = lex.view(lang)
    masked = mask_reported(mask_quotes(text))
    spans: dict[tuple[SignalName, int, int], None] = {}  # ordered set
    vetoed: set[SignalName] = set()

    def accept(target: Target, m: re.Match[str]) -> None:
        start, end = m.span()
        if end == start or MASK in m.group():
            return
        if target.excluded:  # a phrase the team took back: these words are not the signal
            vetoed.add(target.signal)
            return
        if target.negation is not None:
            inside = m.lastgroup not in target.cue_entries  # a cue inside this match negates it
            if is_negated(masked, start, end, target.negation, check_inside=inside):
                vetoed.add(target.signal)
                return
        for context in target.contexts:  # the writer about themself, someone else, a recurring problem
            if is_negated(masked, start, end, context):
                vetoed.add(target.signal)
                return
        spans[(target.signal, start, end)] = None

    for target, m in _matches(view, masked):
        accept(target, m)
    if masked != text:  # a phrase only in quoted or reported words is someone else's: the head may not add it
        for target, m in _matches(view, text):
            if not target.excluded and MASK in masked[m.start() : m.end()]:
                vetoed.add(target.signal)
    for start, end in find_shouting(masked):
        spans[(SignalName.SHOUTING, start, end)] = None
    kept = _drop_contained(sorted(spans, key=lambda k: (k[1], -k[2], k[0])))
    signals = tuple(Signal(name, text[start:end], start, end) for name, start, end in kept)
    return signals, frozenset(vetoed - {s.name for s in signals})


def _matches(view: View, text: str) -> Iterator[tuple[Target, re.Match[str]]]:
    """Every phrase match in `text`: each target's regex tried where one of its phrases can start (by first
    word), the regex entries over the whole text; one target's matches do not overlap."""
    busy_until: dict[int, int] = {}  # id(target) → end of its last match
    targets_for = view.targets_for
    for word in _WORD.finditer(text):
        targets = targets_for(word.group().lower())
        if not targets:
            continue
        pos = word.start()
        for target in targets:
            if busy_until.get(id(target), -1) > pos:
                continue
            m = target.regex.match(text, pos)
            if m:
                busy_until[id(target)] = m.end()
                yield target, m
    for target in view.scan:
        for m in target.regex.finditer(text):
            yield target, m


def _drop_contained(found: list[tuple[SignalName, int, int]]) -> list[tuple[SignalName, int, int]]:
    """Drop a match inside a longer match of the same signal (two languages, or two overlapping phrases)."""
    kept: list[tuple[SignalName, int, int]] = []
    reach: dict[SignalName, int] = {}  # end of the furthest-reaching kept match per signal
    for name, start, end in found:  # sorted by start, longest first
        if end <= reach.get(name, -1):
            continue
        kept.append((name, start, end))
        reach[name] = max(end, reach.get(name, -1))
    return kept
