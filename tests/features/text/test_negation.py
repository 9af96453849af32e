"""Negation and context rules, in English, German and Norwegian: cues near a phrase that say it is not this
customer's signal (a denial, the writer about themself, someone else, a recurring problem, the weather)."""

from __future__ import annotations

import pytest

from core.text import SignalName
from features.text.lexicon import Lexicon, load_lexicon
from features.text.signals import detect_signals

C, L, P, IN, R = (
    SignalName.CHURN_THREAT, SignalName.LEGAL_THREAT, SignalName.PUBLIC_THREAT, SignalName.INSULT,
    SignalName.REPEATED_CONTACT,
)  # fmt: skip


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _found(lexicon: Lexicon, lang: str, text: str, signal: SignalName) -> list[str]:
    return [s.evidence for s in detect_signals(text, lang, lexicon=lexicon) if s.name is signal]


# (language, signal, text): a cue in reach drops the phrase.
NOT_THIS_CUSTOMERS = [
    ("en", C, "I absolutely do not want to cancel my subscription."),
    ("de", C, "Kündigen will ich auf keinen Fall, ich brauche nur mehr Datenvolumen."),
    ("no", C, "Jeg vil absolutt ikke si opp, jeg trenger bare mer data."),
    ("en", IN, "I'm such an idiot, I forgot my password."),
    ("en", IN, "Silly me, the idiot mistake was mine."),
    ("de", IN, "Ich Idiot habe das Passwort vergessen."),
    ("de", IN, "Ich bin so ein Trottel, der Fehler lag bei mir."),
    ("no", IN, "Jeg idiot glemte passordet."),
    ("no", IN, "Idiot av meg, jeg låste meg ute."),
    ("en", L, "My brother is a lawyer and recommended your plan."),
    ("en", L, "I need the paperwork for a solicitor, can you send it?"),
    ("de", L, "Meine Frau ist Anwältin und hat mir Ihren Tarif empfohlen."),
    ("de", L, "Ich bin Anwältin und möchte einen Firmenvertrag abschließen."),
    ("no", L, "Min kone er advokat og anbefalte dere."),
    ("no", L, "Jeg er advokat og vil bestille et bedriftsabonnement."),
    ("en", R, "Third time this year the app crashed on me."),
    ("en", R, "This is the 2nd time this has happened."),
    ("de", R, "Die Verbindung ist zum dritten Mal diese Woche ausgefallen."),
    ("no", R, "Dette er tredje gang i år at appen krasjer."),
    ("en", IN, "It is fucking cold on the platform."),
    ("de", IN, "Das Wetter ist scheiße, fährt der Bus trotzdem?"),
    ("en", P, "Your social media team was very kind."),
]

# (language, signal, text, evidence): the same words where they are this customer's signal.
STILL_FOUND = [
    ("en", C, "I will cancel my subscription.", "cancel my subscription"),
    ("de", C, "Ich kündige, wenn das so weitergeht.", "kündige"),
    ("no", C, "Jeg sier opp avtalen.", "sier opp"),
    ("en", IN, "You are useless idiots.", "idiots"),
    ("de", IN, "Ihr seid Idioten.", "seid Idioten"),
    ("no", IN, "Dere er idioter.", "idioter"),
    ("en", L, "My lawyer will contact you.", "lawyer"),
    ("en", L, "My brother is a lawyer and he will sue you.", "sue"),
    ("de", L, "Mein Anwalt wird sich bei Ihnen melden.", "Anwalt"),
    ("no", L, "Advokaten min tar kontakt med dere.", "Advokaten"),
    ("en", R, "This is the third time I'm writing about this.", "third time"),
    ("de", R, "Ich schreibe zum dritten Mal wegen der Rechnung.", "zum dritten Mal"),
    ("no", R, "Dette er tredje gang jeg skriver om dette.", "tredje gang"),
    ("en", P, "I will post this on social media.", "social media"),
]


@pytest.mark.parametrize(("lang", "signal", "text"), NOT_THIS_CUSTOMERS)
def test_a_cue_in_reach_drops_the_phrase(lexicon: Lexicon, lang: str, signal: SignalName, text: str) -> None:
    assert _found(lexicon, lang, text, signal) == []


@pytest.mark.parametrize(("lang", "signal", "text", "evidence"), STILL_FOUND)
def test_without_a_cue_the_phrase_stays(
    lexicon: Lexicon, lang: str, signal: SignalName, text: str, evidence: str
) -> None:
    assert evidence in _found(lexicon, lang, text, signal)


def test_context_rules_in_a_team_file_extend_the_shipped_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "team.yaml"
    path.write_text(
        "language: en\ncontext:\n  self_reference:\n    signals: [insult]\n"
        "    cues: [honestly]\nsignals:\n  insult: [muppet]\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon([path])
    assert _found(lexicon, "en", "Honestly muppet, that was me.", IN) == []
    assert _found(lexicon, "en", "I'm such an idiot.", IN) == []  # the shipped cues still apply
    assert _found(lexicon, "en", "You muppet.", IN) == ["muppet"]


@pytest.mark.parametrize("text", [
    "Det er ikke bra så jeg bytter leverandør",
    "Det er ikke bra saa jeg bytter leverandør",  # the scope break spelled out still ends the cue's reach
])
def test_a_spelled_out_scope_break_ends_the_cue_s_reach(lexicon: Lexicon, text: str) -> None:
    assert [s.name for s in detect_signals(text, "no", lexicon=lexicon)] == [C]
