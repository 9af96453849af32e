"""Shouting by the labelling guide's surface rule: two capitalised non-acronym words, or !!! / ???."""

from __future__ import annotations

import pytest

from features.text.shouting import find_shouting


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("IVE TWEETED U three times", ["IVE TWEETED U"]),
        ("Airline SUCKS! Service SUCKS!", ["SUCKS", "SUCKS"]),  # two words, apart
        ("DAS IST EINE FRECHHEIT", ["DAS IST EINE FRECHHEIT"]),
        ("JEG ER LEI AV DETTE", ["JEG ER LEI AV DETTE"]),
        ("Thank you so much!!!", ["!!!"]),  # thanks with !!! is shouting by the surface rule
        ("The VAT ID is wrong.", []),  # acronyms
        ("Flight BWI-BOSTON and MAN--LHR", []),  # codes
        ("Die IBAN ist DE12 3456.", []),
        ("It is NOT fixed", []),  # one word
        ("Kundenummeret er NO 1234.", []),
    ],
)
def test_surface_rule(text: str, spans: list[str]) -> None:
    assert [text[a:b] for a, b in find_shouting(text)] == spans
