"""Words in quotation marks are what someone else said or wrote: masked one for one, in every language."""

from __future__ import annotations

import pytest

from core.text import SignalName
from features.text.lexicon import Lexicon, load_lexicon
from features.text.quotes import MASK, mask_reported, own_words, quoted_spans
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


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("Thanks, solved.\n\nOn 3 March 2026, Sam wrote:\n> this useless thing", "Thanks, solved.\n\n"),
        ("Danke!\n\nAm 03.03.2026 um 10:00 schrieb Sam:\n> Saftladen", "Danke!\n\n"),
        ("Takk!\n\nDen 3. mars 2026 kl. 10:00 skrev Sam:\n> amatører", "Takk!\n\n"),
        ("👍\n\nOn 3 March 2026, Sam wrote:\n> this useless thing", "👍\n\n"),
        ("See below.\n> first quoted line\nMy answer.\n> second", "See below.\n\nMy answer.\n"),
        ("Still broken.\n-----Original Message-----\nFrom: Support", "Still broken.\n"),
        ("Still broken.\n##- Please type your reply above this line -##\nYou useless lot", "Still broken.\n"),
        ("Geht nicht.\n##- Bitte oberhalb dieser Zeile antworten -##\nSaftladen", "Geht nicht.\n"),
        ("Virker ikke.\n##- Skriv svaret over denne linjen -##\namatører", "Virker ikke.\n"),
    ],
)
def test_own_words_leave_the_quoted_mail_out(text: str, own: str) -> None:
    assert own_words(text) == own


def test_own_words_keep_a_bare_forward_and_reported_words_whole() -> None:
    forward = "-----Original Message-----\nFrom: Support\nSent: Monday\nYour refund was refused."
    assert own_words(forward) == forward  # nothing of the customer's own: the forwarded mail is the message
    assert own_words("> only a quoted line") == "> only a quoted line"
    said = 'They told me "we cannot refund you". Unacceptable.'
    assert own_words(said) == said
    assert own_words("On Monday I wrote: please call me.") == "On Monday I wrote: please call me."
    inline = "Rated ##-great-## by me, ##- not a delimiter"
    assert own_words(inline) == inline
