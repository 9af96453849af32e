"""Phrase syntax: the letters customers spell out (ä ö ü ß æ ø å) match in each spelling, in the regex and in
the words a phrase may start with; a dropped letter is not read."""

from __future__ import annotations

import re

import pytest

from features.text.phrase_syntax import IndexKey, index_keys, phrase_to_regex, spellings


@pytest.mark.parametrize(("phrase", "written"), [
    ("kündig*", "Ich kündige"), ("kündig*", "ich kuendige"), ("kündig*", "ICH KUENDIGE"),
    ("grüße", "Freundliche Grüsse"), ("grüße", "gruesse"), ("scheiß*", "Scheisse"),
    ("leverandør*", "bytter leverandoer"), ("leverandør*", "bytter leverandör"), ("fått svar", "faatt svar"),
    ("dårlig", "DAARLIG"), ("særlig", "saerlig"), ("særlig", "särlig"),
])
def test_a_spelled_out_letter_matches(phrase: str, written: str) -> None:
    assert re.search(phrase_to_regex(phrase), written, re.IGNORECASE)


@pytest.mark.parametrize(("phrase", "written"), [
    ("kündig*", "die kundige Beraterin"),  # the letter dropped: another word
    ("schön", "schon wieder"), ("får", "min far"), ("fått svar", "fatt svar"),
])
def test_a_dropped_letter_is_not_read(phrase: str, written: str) -> None:
    assert not re.search(phrase_to_regex(phrase), written, re.IGNORECASE)


def test_spellings_of_a_word_come_after_the_word_itself() -> None:
    assert spellings("så") == ["så", "saa"]
    assert spellings("während") == ["während", "waehrend", "wæhrend"]
    assert spellings("cancel") == ["cancel"]
    assert set(spellings("grüße")) == {"grüße", "grüsse", "grueße", "gruesse"}
    assert spellings("äöüäö") == ["äöüäö"]  # 162 spellings: indexed as written only


def test_a_phrase_may_start_at_each_spelling_of_its_first_word() -> None:
    assert index_keys("kündig*|gekündigt") == [
        IndexKey("kündig", True), IndexKey("kuendig", True), IndexKey("gekündigt", False),
        IndexKey("gekuendigt", False)]
