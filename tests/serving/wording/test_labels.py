"""The dashboard's words: every language has every word with the same fields, the translations are not
English left in place, and the browser's Accept-Language picks the language."""

from __future__ import annotations

from string import Formatter

import pytest

from serving.wording.labels import LABELS, accepted_language, label

# the same in every language: names, abbreviations and numbers
SAME = {"col_sla", "team", "ticket_title", "m_roc", "m_pr", "scope_team", "col_ticket", "ticket", "helpdesk",
        "snooze_in_force", "in_helpdesk", "channel", "filters", "kpis", "nav_kpis"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["de", "no"])
def test_every_language_has_every_word_with_the_same_fields(lang: str) -> None:
    assert LABELS[lang].keys() == LABELS["en"].keys()
    for key, english in LABELS["en"].items():
        assert _fields(LABELS[lang][key]) == _fields(english), key


@pytest.mark.parametrize("lang", ["de", "no"])
def test_translations_are_not_english_left_in_place(lang: str) -> None:
    left = sorted(k for k, v in LABELS[lang].items() if v == LABELS["en"][k] and len(v) > 3 and k not in SAME)
    assert left == []


def test_label_fills_its_fields() -> None:
    assert label("snoozed_by_until", "de", who="lead", until="Fr 4 Dez 09:00") == \
        "zurückgestellt von lead bis Fr 4 Dez 09:00"
    assert label("snooze_tomorrow", "no") == "i morgen 09:00"
    assert label("snooze_tomorrow") == "tomorrow 09:00"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("nb-NO,nb;q=0.9", "no"),
        ("nn", "no"),
        ("no", "no"),
        ("fr-FR, de;q=0.5, en;q=0.7", "en"),  # by weight, not by order
        ("fr, it", "en"),  # none of ours: the setting
        ("de;q=0, no", "no"),  # q=0: not wanted
        ("de;q=abc, en-GB", "en"),
    ],
)
def test_the_browser_language_wins_when_the_pages_have_it(header: str | None, expected: str) -> None:
    assert accepted_language(header, "en") == expected


def test_without_a_language_of_ours_the_setting_decides() -> None:
    assert accepted_language("fr", "no") == "no"
    assert accepted_language(None, "de") == "de"
