"""Context through the whole analysis (phrase files + the packaged learned head on the real encoder), in
English, German and Norwegian: what is not this customer's signal stays out — the learned head must not add
back what the phrase rules dropped — and everyday phrasings no phrase list foresees are found."""

from __future__ import annotations

import pytest

from core.text import SignalName
from features.text.analysis import MessageAnalyser, MessageIn
from features.text.loading import load_analyser

C, L, IN, R, F, U, S = (
    SignalName.CHURN_THREAT, SignalName.LEGAL_THREAT, SignalName.INSULT, SignalName.REPEATED_CONTACT,
    SignalName.FINANCIAL_HARM, SignalName.URGENCY, SignalName.SHOUTING,
)  # fmt: skip


@pytest.fixture(scope="module")
def analyser() -> MessageAnalyser:
    found = load_analyser()
    assert found.signals is not None, "the packaged signal head should load for the default encoder"
    return found


NOT_THIS_CUSTOMERS = [
    # negation
    ("en", C, "I absolutely do not want to cancel my subscription, I just need more data."),
    ("de", C, "Kündigen will ich auf keinen Fall, ich brauche nur mehr Datenvolumen."),
    ("no", C, "Jeg vil absolutt ikke si opp, jeg trenger bare mer data."),
    # the writer about themself
    ("en", IN, "I'm such an idiot, I forgot my password again."),
    ("de", IN, "Ich Idiot habe das Passwort schon wieder vergessen."),
    ("no", IN, "Jeg idiot glemte passordet igjen."),
    # a third party
    ("en", L, "My wife is a lawyer and recommended your plan."),
    ("de", L, "Meine Frau ist Anwältin und hat mir Ihren Tarif empfohlen."),
    ("no", L, "Min kone er advokat og anbefalte dere."),
    # a recurring problem, not a repeated contact
    ("en", R, "Third time this year the app crashed on me."),
    ("de", R, "Die Verbindung ist zum dritten Mal diese Woche ausgefallen."),
    ("no", R, "Dette er tredje gang i år at appen krasjer."),
    # an insult at a fellow passenger, not at the company
    ("en", IN, "The guy next to me on the plane is a total idiot."),
    ("de", IN, "Das Arschloch mir gegenüber hört seit einer Stunde laute Musik."),
    ("no", IN, "Idioten ved siden av meg snakker i telefonen hele turen."),
    # reported or quoted words (a phishing mail)
    ("en", U, 'I got a mail saying "Urgent: verify your account now" - is it from you?'),
    ("de", U, "Ich habe eine Mail bekommen: „Dringend: Konto sofort bestätigen“ – ist die von Ihnen?"),
    ("no", U, "Jeg fikk en e-post: «Haster: bekreft kontoen din nå» – er den fra dere?"),
    # a quoted earlier mail
    ("en", IN, "Thanks, solved.\n\nOn 3 March 2026, Sam wrote:\n> this useless thing never works"),
    ("de", IN, "Danke, gelöst.\n\nAm 03.03.2026 um 10:00 schrieb Sam:\n> dieser Saftladen"),
    ("no", IN, "Takk, løst.\n\nDen 3. mars 2026 kl. 10:00 skrev Sam:\n> for noen amatører"),
]


@pytest.mark.parametrize(("lang", "signal", "text"), NOT_THIS_CUSTOMERS)
def test_not_this_customers_signal(
    analyser: MessageAnalyser, lang: str, signal: SignalName, text: str
) -> None:
    (result,) = analyser.analyse([MessageIn(text, lang)])
    assert signal not in {s.name for s in result.signals}


@pytest.mark.parametrize(
    "text", ["Thank you so much!!! Works perfectly now.", "Vielen Dank!!! Jetzt klappt alles.",
             "Tusen takk!!! Nå fungerer alt."]
)  # fmt: skip
def test_thanks_with_marks_is_shouting_by_the_rule_and_nothing_else(
    analyser: MessageAnalyser, text: str
) -> None:
    (result,) = analyser.analyse([MessageIn(text)])
    assert [s.name for s in result.signals] == [S]
    assert result.sentiment is not None and result.sentiment.label.value == "positive"


THANKS_ABOVE_AN_ANGRY_THREAD = [
    ("en", "Thanks, that fixed it!",
     "\n\nOn 3 March 2026, Sam wrote:\n> This is the THIRD time I write. You useless lot charged me twice."
     "\n> I want my money back or I cancel and call my lawyer!"),
    ("de", "Danke, jetzt klappt es!",
     "\n\nAm 03.03.2026 um 10:00 schrieb Sam:\n> Ich schreibe zum dritten Mal. Ihr Saftladen hat doppelt "
     "abgebucht.\n> Ich will mein Geld zurück, sonst kündige ich und gehe zum Anwalt!"),
    ("no", "Takk, nå virker det!",
     "\n\nDen 3. mars 2026 kl. 10:00 skrev Sam:\n> Dette er tredje gang jeg skriver. Dere har trukket meg "
     "to ganger.\n> Jeg vil ha pengene tilbake, ellers sier jeg opp og går til advokat!"),
]


@pytest.mark.parametrize(("lang", "own", "quoted"), THANKS_ABOVE_AN_ANGRY_THREAD)
def test_a_reply_above_a_quoted_thread_is_read_as_its_own_words(
    analyser: MessageAnalyser, lang: str, own: str, quoted: str
) -> None:
    """The encoder and the learned head read only what the customer wrote this time: the same analysis as
    the reply without the quoted thread, which alone is angry and full of signals."""
    thread_text = " ".join(line[2:] for line in quoted.splitlines() if line.startswith("> "))
    reply, alone, thread = analyser.analyse(
        [MessageIn(own + quoted, lang), MessageIn(own, lang), MessageIn(thread_text, lang)]
    )
    assert reply.sentiment == alone.sentiment and reply.sentiment is not None
    assert reply.sentiment.label.value == "positive" and reply.signals == ()
    assert thread.sentiment is not None and thread.sentiment.label.value == "negative"
    assert len({s.name for s in thread.signals}) >= 3


EVERYDAY = [
    ("en", F, "Y'all charged my account 8 times"),
    ("en", R, "No response. Again."),
    ("en", F, "I want my money back"),
    ("de", F, "Ich möchte mein Geld zurück, das ist eine Katastrophe."),
    ("no", F, "Dere har fakturert meg 800 kr for mye og lagt på purregebyr."),
]


@pytest.mark.parametrize(("lang", "signal", "text"), EVERYDAY)
def test_everyday_phrasings_are_found_with_evidence(
    analyser: MessageAnalyser, lang: str, signal: SignalName, text: str
) -> None:
    (result,) = analyser.analyse([MessageIn(text, lang)])
    found = [s for s in result.signals if s.name is signal]
    assert found and all(text[s.start : s.end] == s.evidence for s in found)
