"""Typos, shouting, quoting and localised values."""

from __future__ import annotations

import re

from synthetic.dice import Dice
from synthetic.realism import add_typos, exclaim, local_amount, quote, shout, typo

TEXT = "Hello, my router stopped working on Monday. Order 40211873 was charged twice! Please check."


def test_typos_change_words_but_never_numbers() -> None:
    dice = Dice(1)
    changed = [add_typos(TEXT, 0.3, dice) for _ in range(50)]
    assert sum(c != TEXT for c in changed) > 40
    assert all("40211873" in c for c in changed)
    assert add_typos(TEXT, 0.0, dice) == TEXT


def test_a_typo_keeps_the_first_letter() -> None:
    dice = Dice(2)
    for _ in range(200):
        t = typo("support", dice)
        assert t[0] == "s" and 6 <= len(t) <= 8


def test_shouting_and_exclaiming() -> None:
    dice = Dice(3)
    loud = shout(TEXT, dice)
    assert any(s.isupper() for s in re.split(r"(?<=[.!?])\s+", loud))
    assert "!!" in exclaim(TEXT, dice) or "!?!" in exclaim(TEXT, dice)


def test_quote_per_language() -> None:
    at = 1_780_000_000.0
    assert quote("Hi\n\nCould you send the invoice?", "en", at).startswith("On ")
    assert "schrieb Nimbus Support" in quote("Hallo", "de", at)
    q = quote("a\nb\nc\nd\ne\nf", "no", at)
    assert q.splitlines()[0].startswith("Den ") and q.count("\n> ") == 4  # cut to keep files small


def test_local_amounts() -> None:
    assert local_amount(1490.5, "en") == "€1,490.50"
    assert local_amount(1490.5, "de") == "1.490,50 €"
    assert local_amount(100.0, "no") == "1 150 kr"
