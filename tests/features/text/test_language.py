"""Language detection of short customer messages (the packaged py3langid model, offline)."""

from __future__ import annotations

import pytest

from features.text.language import detect_language

MESSAGES = [
    ("en", "I've been charged twice for my subscription this month."),
    ("en", "Still broken. Any update?"),
    ("en", "Where is my order? It was due on Monday."),
    ("en", "Please escalate this to your supervisor."),
    ("de", "Mir wurde der Betrag doppelt abgebucht."),
    ("de", "Immer noch kaputt. Gibt es Neuigkeiten?"),
    ("de", "Wo ist meine Bestellung? Sie sollte am Montag kommen."),
    ("de", "Bitte geben Sie mein Anliegen an die Teamleitung weiter."),
    ("no", "Jeg ble trukket to ganger for abonnementet denne måneden."),
    ("no", "Fortsatt ødelagt. Noen oppdatering?"),
    ("no", "Hvor er pakken min? Den skulle komme på mandag."),
    ("no", "Eg vil snakke med leiaren din om dette."),  # Nynorsk is Norwegian too
    ("no", "Her er listen over kundenumrene som mangler."),  # read as Danish when Danish is a candidate
]


@pytest.mark.parametrize(("lang", "text"), MESSAGES)
def test_detects_our_languages(lang: str, text: str) -> None:
    assert detect_language(text) == lang


def test_neighbours_keep_their_own_codes() -> None:
    assert detect_language("Jag vill säga upp mitt abonnemang, det fungerar inte.") == "sv"
    assert detect_language("Ik wil mijn abonnement opzeggen, het werkt niet.") == "nl"


@pytest.mark.parametrize("text", ["", "   ", "12345", "👍", "!!!"])
def test_text_without_letters_gets_the_default(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, default="de") == "de"
