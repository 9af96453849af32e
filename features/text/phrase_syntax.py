"""Phrase syntax of the signal phrase files, turned into regular-expression source.

A phrase is words separated by spaces, matched case-insensitively on word boundaries:
  cancel* ... subscription|contract    `*` any word characters (inflection: cancel, cancelled, cancelling)
                                       `a|b` alternatives for one word
                                       `...` a gap of up to 3 words (`...5`: up to 5) within a sentence
  don't, one-star                      `'` also matches ’; `-` also matches a space or nothing
  kündig*, leverandør                  ä ö ü ß æ ø å also as customers spell them out (`SPELLED`)
Everything else is literal. docs/signals.md has the full format.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

# Letters customers also write otherwise: spelled out on a keyboard without them ("kuendige", "faatt svar"),
# by habit (Swiss German has no ß: "Scheisse", "Grüsse"), or a Swedish keyboard's letter for the Norwegian
# one ("dörlig"). A phrase's letter matches each of its spellings (and, by the case-insensitive match, their
# capitals). The word with the letters dropped ("kundige") is not read: too many other words ("schon" for
# "schön", "far" for "får") are spelled that way.
SPELLED: dict[str, tuple[str, ...]] = {
    "ä": ("ae", "æ"), "ö": ("oe", "ø"), "ü": ("ue",), "ß": ("ss",),
    "æ": ("ae", "ä"), "ø": ("oe", "ö"), "å": ("aa",),
}
# Each letter as a keyboard without it usually spells it (its first spelling): the learned heads' n-grams read
# the letters so (features/text/ngrams.py), and bench/bench_spelling.py writes messages so.
SPELLED_OUT: dict[str, str] = {letter: spelled[0] for letter, spelled in SPELLED.items()}
# How the phrases are read: part of an analysis's version, so that a kept analysis made under another reading
# is not recalled. 2: `SPELLED`.
SYNTAX_VERSION = 2
_MAX_SPELLINGS = 81  # four such letters in one word; a word with more is indexed as written only

_GAP = re.compile(r"\.\.\.([1-9])?")
_LEADING_WORD = re.compile(r"\w+")
# Words a gap may skip: no sentence end inside, so "cancel. My account" does not match `cancel* ... account`.
_GAP_WORD = r"(?:\d+\.|[^\s.!?;]+)"  # a date's "3." may be skipped, a sentence end not
# Between two words: spaces, after an optional comma or colon ("Mal, dass", "Zum x-ten Mal: Ich").
_SEP = r"[,:]?\s+"


@dataclass(frozen=True, slots=True)
class IndexKey:
    """Lower-cased first word of a phrase (or its literal start): the phrase is tried only there."""

    text: str
    is_prefix: bool  # the token must start with `text` rather than equal it


def phrase_to_regex(phrase: str) -> str:
    """The regular-expression source of `phrase`; ValueError says what is wrong with it."""
    slots = phrase.split()
    if not slots:
        raise ValueError("empty phrase; write at least one word")
    if _GAP.fullmatch(slots[0]) or _GAP.fullmatch(slots[-1]):
        raise ValueError(f"phrase {phrase!r} starts or ends with a gap ('...'); a gap goes between two words")
    parts: list[str] = []
    gap_before: str | None = None
    for slot in slots:
        gap = _GAP.fullmatch(slot)
        if gap:
            if gap_before is not None:
                raise ValueError(
                    f"phrase {phrase!r} has two gaps in a row; write one gap ('...N', N up to 9)"
                )
            gap_before = gap.group(1) or "3"
            continue
        if parts:
            # Gap words are followed by whitespace, so `cancel ...2 account` also matches "cancel account".
            parts.append(rf"{_SEP}(?:{_GAP_WORD}\s+){{0,{gap_before}}}?" if gap_before else _SEP)
        parts.append(_slot_to_regex(slot, phrase))
        gap_before = None
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


def _slot_to_regex(slot: str, phrase: str) -> str:
    alternatives = slot.split("|")
    if any(not a.strip("*") for a in alternatives):
        raise ValueError(
            f"phrase {phrase!r}: word {slot!r} has an empty alternative or only '*'; "
            "write e.g. 'manager|supervisor' or 'cancel*'"
        )
    if "..." in slot:
        raise ValueError(
            f"phrase {phrase!r}: write the gap '...' as a word of its own, with spaces around it"
        )
    out = [_word_to_regex(a) for a in alternatives]
    return out[0] if len(out) == 1 else "(?:" + "|".join(out) + ")"


def _word_to_regex(word: str) -> str:
    out = []
    for ch in word:
        if ch == "*":
            out.append(r"\w*")
        elif ch in "'’":
            out.append("['’]")
        elif ch == "-":
            out.append(r"[-\s]?")  # one-star = one star = onestar
        elif ch.lower() in SPELLED:
            out.append("(?:" + "|".join(re.escape(x) for x in (ch, *SPELLED[ch.lower()])) + ")")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def index_keys(phrase: str) -> list[IndexKey] | None:
    """Where `phrase` can start: one key per alternative of its first word. None when it can start
    anywhere (an alternative begins with '*' or a non-word character): search the whole text then."""
    keys = []
    for alternative in phrase.split()[0].split("|"):
        lead = _LEADING_WORD.match(alternative)
        if not lead:
            return None
        rest = alternative[lead.end() :]
        # After '*' or '-' the text's token may go on ("cancelling", "email" for "e-mail").
        prefix = rest[:1] in ("*", "-")
        keys += [IndexKey(spelling, is_prefix=prefix) for spelling in spellings(lead.group().lower())]
    return keys


def spellings(word: str) -> list[str]:
    """`word` (lower case) and the other ways customers spell it (`SPELLED`), the word itself first: where a
    phrase may start, and the scope-break and conditional words of negation."""
    options = [(ch, *SPELLED[ch]) if ch in SPELLED else (ch,) for ch in word]
    if not 1 < math.prod(len(o) for o in options) <= _MAX_SPELLINGS:
        return [word]
    return list(dict.fromkeys("".join(p) for p in itertools.product(*options)))
