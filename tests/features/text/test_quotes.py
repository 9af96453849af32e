"""Words in quotation marks are what someone else said or wrote: masked one for one, in every language."""

from __future__ import annotations

import pytest

from core.text import SignalName
from features.text.lexicon import Lexicon, load_lexicon
from features.text.quotes import MASK, mask_reported, quoted_spans
from features.text.signals import detect_signals


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.mark.parametrize(
    ("lang", "text", "signal"),
    [
        ("en", 'I got a mail saying "Urgent: pay immediately" - is that you?', SignalName.URGENCY),
        ("en", "The agent called me “a useless customer”, can I complain?", SignalName.INSULT),
        ("de", "Ich habe eine Mail bekommen: „Dringend: sofort zahlen“. Ist die echt?", SignalName.URGENCY),
        ("de", "Der Mitarbeiter nannte meinen Kollegen „unfähig“. Ist das üblich?", SignalName.INSULT),
        ("no", "Jeg fikk en SMS: «Betal umiddelbart». Er den fra dere?", SignalName.URGENCY),
        ("no", "Kollegaen min kalte dere «en gjeng idioter», men alt har gått fint.", SignalName.INSULT),
    ],
)
def test_reported_words_are_not_the_customers(
    lexicon: Lexicon, lang: str, text: str, signal: SignalName
) -> None:
    assert [s for s in detect_signals(text, lang, lexicon=lexicon) if s.name is signal] == []


@pytest.mark.parametrize(
    ("lang", "text", "evidence"),
    [
        ("en", 'They said "soon". This is urgent now.', "urgent"),
        ("de", "Sie schrieben „bald“. Es ist dringend.", "dringend"),
        ("no", "Dere sa «snart». Det haster.", "haster"),
    ],
)
def test_the_customers_own_words_around_a_quote_stay(
    lexicon: Lexicon, lang: str, text: str, evidence: str
) -> None:
    assert evidence in [s.evidence for s in detect_signals(text, lang, lexicon=lexicon)]


def test_masking_keeps_length_and_marks() -> None:
    text = 'a "b c" d „e“ f «g» h “i”'
    masked = mask_reported(text)
    assert len(masked) == len(text)
    assert masked == f'a "{MASK * 3}" d „{MASK}“ f «{MASK}» h “{MASK}”'
    assert quoted_spans(text) == [(3, 6), (11, 12), (17, 18), (23, 24)]


def test_unpaired_marks_and_quoted_tweets_stay() -> None:
    assert mask_reported('5" screen, no closing mark') == '5" screen, no closing mark'
    assert mask_reported('"@brand: your service is useless"') == '"@brand: your service is useless"'
