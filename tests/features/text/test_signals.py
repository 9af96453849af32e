"""Conflict signals: labelled positives (with exact evidence) and negatives per signal and language,
including negations and look-alikes; spans, quoted mail, language choice."""

from __future__ import annotations

import pytest

from core.text import SignalName
from features.text.lexicon import Lexicon, load_lexicon
from features.text.signals import detect_signals

M, C, L, P, IN, S, R, F, U = (
    SignalName.MANAGER_REQUEST, SignalName.CHURN_THREAT, SignalName.LEGAL_THREAT, SignalName.PUBLIC_THREAT,
    SignalName.INSULT, SignalName.SHOUTING, SignalName.REPEATED_CONTACT, SignalName.FINANCIAL_HARM,
    SignalName.URGENCY,
)  # fmt: skip

# (language, signal, text, evidence): the signal is found with exactly this evidence.
POSITIVES = [
    ("en", M, "I want to speak to a manager.", "speak to a manager"),
    ("en", M, "Please escalate this to your supervisor.", "Please escalate"),
    ("en", M, "Who is your manager? I want their email.", "Who is your manager"),
    ("en", M, "Put me through to someone more senior, please.", "someone more senior"),
    ("en", M, "Have a supervisor call me back today.", "supervisor call me"),
    ("en", C, "If this isn't fixed by Friday I'm cancelling my subscription.", "cancelling my subscription"),
    ("en", C, "I'm seriously considering switching provider.", "switching provider"),
    ("en", C, "I'll be taking my business elsewhere.", "business elsewhere"),
    ("en", C, "We will not be renewing the contract.", "not be renewing"),
    ("en", C, "If it does not work I cancel my account", "cancel my account"),
    ("en", L, "My lawyer will be in touch.", "lawyer"),
    ("en", L, "I'm prepared to take this to small claims court.", "small claims"),
    ("en", L, "I'll report this to the consumer protection authority.", "consumer protection"),
    ("en", L, "I'll be filing a chargeback with my bank.", "chargeback"),
    ("en", L, "We will take legal action.", "legal action"),
    ("en", P, "I'll be leaving a review on Trustpilot.", "review on Trustpilot"),
    ("en", P, "Expect a one-star review from me.", "one-star review"),
    ("en", P, "Don't be surprised when you see this on social media.", "social media"),
    (
        "en",
        P,
        "I'm going to post screenshots of this conversation publicly.",
        "post screenshots of this conversation publicly",
    ),
    ("en", P, "I will warn everyone I know.", "warn everyone"),
    ("en", IN, "You people are completely useless.", "You people"),
    ("en", IN, "Your support is an absolute joke.", "is an absolute joke"),
    ("en", IN, "What a bunch of clowns.", "bunch of clowns"),
    ("en", IN, "This is the most incompetent company I've ever dealt with.", "incompetent"),
    ("en", IN, "Frankly, your product is crap.", "crap"),
    ("en", S, "THIS IS RIDICULOUS, answer me", "THIS IS RIDICULOUS"),
    ("en", S, "Where is my refund!!!", "!!!"),
    ("en", S, "Hello??? Anyone there", "???"),
    ("en", S, "I AM FURIOUS about this", "I AM FURIOUS"),
    ("en", S, "it is broken AGAIN AND AGAIN", "AGAIN AND AGAIN"),
    ("en", R, "This is the third time I write about this.", "third time"),
    ("en", R, "I've already contacted you about this twice.", "already contacted"),
    ("en", R, "I've called you three times this week.", "called you three times"),
    ("en", R, "Please read my previous messages.", "previous messages"),
    ("en", R, "It's not the first time I've reported this.", "not the first time"),
    ("en", F, "I've been charged twice for my subscription.", "charged twice"),
    ("en", F, "The payment failed but the money was taken anyway.", "payment failed"),
    ("en", F, "My card keeps getting declined.", "card keeps getting declined"),
    ("en", F, "I still haven't received my refund.", "still haven't received my refund"),
    ("en", F, "You overcharged me by €20.", "overcharged"),
    ("en", U, "This is urgent, please help.", "urgent"),
    ("en", U, "Our production system is down.", "production system is down"),
    ("en", U, "We have a deadline on Friday.", "deadline"),
    ("en", U, "Please fix this as soon as possible.", "as soon as possible"),
    ("en", U, "I need this sorted by the end of the day.", "by the end of the day"),
    ("de", M, "Ich möchte mit Ihrem Vorgesetzten sprechen.", "mit Ihrem Vorgesetzten"),
    ("de", M, "Bitte geben Sie das an die Teamleitung weiter.", "an die Teamleitung"),
    ("de", M, "Bitte eskalieren Sie den Fall.", "eskalieren"),
    ("de", M, "Ich will eine offizielle Beschwerde einreichen.", "offizielle Beschwerde"),
    (
        "de",
        M,
        "Verbinden Sie mich mit jemandem, der Entscheidungen treffen darf.",
        "jemandem, der Entscheidungen",
    ),
    ("de", C, "Wenn das nicht bald gelöst ist, kündige ich meinen Vertrag.", "kündige"),
    ("de", C, "Ich überlege ernsthaft, den Anbieter zu wechseln.", "Anbieter zu wechseln"),
    ("de", C, "Dann gehe ich eben zur Konkurrenz.", "Konkurrenz"),
    ("de", C, "Den Vertrag werden wir nicht verlängern.", "nicht verlängern"),
    ("de", C, "Wenn Sie das nicht lösen kündige ich", "kündige"),
    ("de", L, "Andernfalls schalte ich meinen Anwalt ein.", "Anwalt"),
    ("de", L, "Ich werde mich an die Verbraucherzentrale wenden.", "Verbraucherzentrale"),
    ("de", L, "Rechtliche Schritte behalte ich mir vor.", "Rechtliche Schritte"),
    ("de", L, "Ich prüfe Schadensersatzansprüche.", "Schadensersatzansprüche"),
    (
        "de",
        L,
        "Notfalls buche ich den Betrag über meine Bank zurück.",
        "buche ich den Betrag über meine Bank zurück",
    ),
    ("de", P, "Das schreibe ich in einer Bewertung auf Trustpilot.", "Bewertung auf Trustpilot"),
    ("de", P, "Eine Ein-Sterne-Bewertung haben Sie verdient.", "Ein-Sterne"),
    ("de", P, "Ich poste das heute noch auf Twitter.", "poste das heute noch auf Twitter"),
    ("de", P, "Vielleicht interessiert sich ja die Lokalzeitung dafür.", "Lokalzeitung"),
    ("de", P, "Ich werde das öffentlich machen.", "öffentlich machen"),
    ("de", IN, "Ihr seid wirklich komplett unfähig.", "unfähig"),
    ("de", IN, "Was für ein Saftladen.", "Saftladen"),
    ("de", IN, "Ihr Support ist ein schlechter Witz.", "ist ein schlechter Witz"),
    ("de", IN, "Sie sind völlig inkompetent.", "inkompetent"),
    ("de", IN, "So ein Mist, schon wieder.", "Mist"),
    ("de", S, "DAS IST EINE FRECHHEIT", "DAS IST EINE FRECHHEIT"),
    ("de", S, "Wo bleibt mein Geld???", "???"),
    ("de", S, "Warum antwortet niemand!!!!", "!!!!"),
    ("de", S, "Ich bin STINKSAUER UND ENTTÄUSCHT", "STINKSAUER UND ENTTÄUSCHT"),
    ("de", S, "Hallo?!? Jemand da?", "?!?"),
    ("de", R, "Das ist jetzt schon das dritte Mal, dass ich mich melde.", "schon das dritte"),
    ("de", R, "Ich melde mich schon wieder, das Internet ist weg.", "melde mich schon wieder"),
    ("de", R, "Ich schreibe Ihnen nun bereits zum wiederholten Mal.", "zum wiederholten Mal"),
    ("de", R, "Ich habe das schon zweimal am Telefon erklärt.", "schon zweimal am Telefon erklärt"),
    ("de", R, "Ich habe bereits am 3. März geschrieben.", "bereits am 3. März geschrieben"),
    ("de", F, "Mir wurde der Betrag doppelt abgebucht.", "doppelt abgebucht"),
    ("de", F, "Die Zahlung ist fehlgeschlagen.", "Zahlung ist fehlgeschlagen"),
    ("de", F, "Meine Kreditkarte wurde abgelehnt.", "Kreditkarte wurde abgelehnt"),
    ("de", F, "Sie haben mir zu viel berechnet.", "zu viel berechnet"),
    ("de", F, "Trotz Kündigung wurde wieder abgebucht.", "Trotz Kündigung wurde wieder abgebucht"),
    ("de", U, "Es ist dringend!", "dringend"),
    ("de", U, "Bitte sofort beheben.", "sofort"),
    ("de", U, "Unsere Produktion steht still.", "Produktion steht"),
    ("de", U, "Die Frist endet morgen.", "Frist"),
    ("de", U, "Der Server ist nicht erreichbar.", "nicht erreichbar"),
    ("no", M, "Jeg vil snakke med lederen din.", "snakke med lederen"),
    ("no", M, "Sett meg over til en overordnet.", "Sett meg over til en overordnet"),
    ("no", M, "Dette må løftes til noen høyere opp.", "løftes til noen høyere"),
    ("no", M, "Kan du be sjefen din kontakte meg?", "sjefen din"),
    ("no", M, "Jeg vil at en leder ringer meg i dag.", "leder ringer meg"),
    ("no", C, "Blir ikke dette løst, sier jeg opp abonnementet.", "sier jeg opp"),
    ("no", C, "Jeg vurderer seriøst å bytte leverandør.", "bytte leverandør"),
    ("no", C, "Send meg oppsigelsesskjemaet.", "oppsigelsesskjemaet"),
    ("no", C, "Vi kommer ikke til å fornye kontrakten.", "ikke til å fornye"),
    ("no", C, "Hvis dere ikke fikser dette sier jeg opp", "sier jeg opp"),
    ("no", L, "Jeg har kontaktet advokat.", "advokat"),
    ("no", L, "Jeg klager saken inn for Forbrukerrådet.", "Forbrukerrådet"),
    ("no", L, "Jeg tar saken til forliksrådet.", "forliksrådet"),
    ("no", L, "Dette er et klart brudd på forbrukerkjøpsloven.", "brudd på forbrukerkjøpsloven"),
    ("no", L, "Jeg kommer til å kreve erstatning.", "kreve erstatning"),
    ("no", P, "Jeg skriver en ærlig anmeldelse på Trustpilot.", "ærlig anmeldelse"),
    ("no", P, "Dette legger jeg ut på Facebook.", "legger jeg ut på Facebook"),
    ("no", P, "Jeg vurderer å kontakte media.", "media"),
    ("no", P, "Dette er verdt én stjerne.", "én stjerne"),
    ("no", P, "Jeg kommer til å advare alle jeg kjenner.", "advare alle"),
    ("no", IN, "For en gjeng amatører.", "amatører"),
    ("no", IN, "Dere er helt ubrukelige.", "ubrukelige"),
    ("no", IN, "Kundeservicen deres er en vits.", "er en vits"),
    ("no", IN, "Latterlig dårlig service.", "Latterlig"),
    ("no", IN, "Dere burde skamme dere.", "skamme dere"),
    ("no", S, "DETTE ER HELT UTROLIG", "DETTE ER HELT UTROLIG"),
    ("no", S, "Hvor er pengene mine???", "???"),
    ("no", S, "Svar meg!!!", "!!!"),
    ("no", S, "JEG ER LEI AV DETTE", "JEG ER LEI AV DETTE"),
    ("no", S, "Hallo?!?!", "?!?!"),
    ("no", R, "Dette er tredje gang jeg skriver om dette.", "tredje gang"),
    ("no", R, "Jeg har ringt igjen og igjen.", "igjen og igjen"),
    ("no", R, "Jeg har allerede tatt kontakt om dette.", "allerede tatt kontakt"),
    ("no", R, "Det er ikke første gang jeg tar dette opp.", "ikke første gang"),
    ("no", R, "Jeg har ringt dere flere ganger.", "ringt dere flere ganger"),
    ("no", F, "Jeg ble trukket to ganger for samme faktura.", "trukket to ganger"),
    ("no", F, "Betalingen feilet, men pengene er borte.", "Betalingen feilet"),
    ("no", F, "Kortet mitt ble avvist.", "Kortet mitt ble avvist"),
    ("no", F, "Dere har trukket feil beløp.", "feil beløp"),
    ("no", F, "Jeg har fått for mye trukket.", "for mye trukket"),
    ("no", U, "Det haster!", "haster"),
    ("no", U, "Svar snarest.", "snarest"),
    ("no", U, "Nettet er nede igjen.", "Nettet er nede"),
    ("no", U, "Produksjonen står stille.", "Produksjonen står"),
    ("no", U, "Fristen er i morgen.", "Fristen"),
    # alternatives are for one word: entries that meant two-word alternatives matched nothing before
    ("de", IN, "Liebe DB, eure Ansagen am Bahnhof sind für'n Arsch.", "für'n Arsch"),
    ("de", IN, "Die neue App ist echt fürn Arsch", "fürn Arsch"),
    ("no", P, "Dette skal jeg si til alle jeg kjenner.", "si til alle"),
    ("no", P, "Jeg kommer til å fortelle det til alle.", "fortelle det til alle"),
    ("no", P, "Hold dere unna dette selskapet!", "Hold dere unna"),
    ("no", P, "Alle skal få vite om dette.", "Alle skal få vite"),
    ("no", U, "Jeg trenger det i dag, ellers mister jeg jobben.", "trenger det i dag"),
    ("de", P, "Ich schreibe eine Bewertung im Play Store.", "Bewertung im Play Store"),
    ("en", P, "I don't recommend this company to anyone.", "don't recommend"),
    ("en", IN, "Honestly the worst company I have dealt with.", "worst company"),
    ("en", R, "Nobody answers the phone at your office.", "Nobody answers"),
    ("en", R, "No one ever got back to me.", "No one ever got back"),
    ("en", R, "I tried to call your hotline this morning.", "tried to call"),
    ("en", R, "I keep getting transferred between departments.", "keep getting transferred"),
    ("en", R, "I told your agent exactly this.", "told your agent"),
    ("en", U, "I'm going to miss my flight if this is not sorted.", "miss my flight"),
    ("en", R, "I have complained countless times.", "countless times"),
    ("de", L, "Wenn das Geld nicht kommt, rufe ich die Polizei.", "rufe ich die Polizei"),
    ("de", L, "Ich gehe damit zur Polizei.", "zur Polizei"),
    ("de", L, "Ich werde die Polizei einschalten.", "Polizei einschalten"),
    ("de", C, "Ich fahre nie wieder mit der Bahn.", "nie wieder mit der Bahn"),
    ("de", C, "Nie wieder bestelle ich bei euch.", "Nie wieder bestelle"),
    # staff in front of the writer are not bystanders: the insult is aimed at the company
    ("en", IN, "The agent in front of me was useless.", "useless"),
    ("de", IN, "Der Mitarbeiter vor mir am Schalter war völlig unfähig.", "unfähig"),
    ("no", IN, "Den ansatte foran meg i skranken var noen amatører.", "amatører"),
    ("en", IN, "That was idiotic on your part.", "idiotic"),
]

# (language, signal, text): the signal is not found (negations, look-alikes, calm texts).
NEGATIVES = [
    ("en", M, "The manager of our account said thanks."),
    ("en", M, "I don't need to speak to a manager, just fix it."),
    ("en", M, "Our office manager will send the invoice."),
    ("en", C, "I don't want to cancel my subscription."),
    ("en", C, "Please cancel the order, I ordered the wrong size."),
    ("en", C, "I have no intention of cancelling my account."),
    ("en", C, "Can I cancel my order from yesterday?"),
    ("en", L, "I'm not going to take legal action, I just want it fixed."),
    ("en", L, "Thanks for the courtesy call."),
    ("en", L, "Please send the contract to our legal department for review."),
    ("en", P, "Thanks, I'll leave a great review!"),
    ("en", P, "I read the reviews before buying."),
    ("en", P, "I won't post about this online."),
    ("en", IN, "You've been incredibly helpful, thank you."),
    ("en", IN, "Your feedback form is easy to use."),
    ("en", IN, "The app is not useless at all, I just need one feature."),
    ("en", S, "Thanks so much!! Works now."),
    ("en", S, "The VAT ID is wrong."),
    ("en", S, "Is this fixed? Thanks."),
    ("en", R, "This is the first time I write to you."),
    ("en", R, "Please call me back tomorrow."),
    ("en", R, "Thanks again for your help!"),
    ("en", F, "The payment went through fine, thanks."),
    ("en", F, "I was not charged twice, only once."),
    ("en", F, "My card was not declined."),
    ("en", U, "This is not urgent, take your time."),
    ("en", U, "No rush at all."),
    ("en", U, "It works now, thanks."),
    ("en", U, "At the end of the day it is fine."),
    ("de", M, "Mein Vorgesetzter hat mich gebeten, das zu klären."),
    ("de", M, "Ich will nicht mit Ihrem Chef sprechen."),
    ("de", M, "Unsere Teamleiterin hat sich bedankt."),
    ("de", C, "Ich will nicht kündigen."),
    ("de", C, "Ich kündige nicht, ich will nur eine Lösung."),
    ("de", C, "Bitte stornieren Sie die Bestellung."),
    ("de", C, "Kündigen ist nicht geplant."),
    ("de", L, "Ich will keinen Anwalt einschalten."),
    ("de", L, "Mein Paket steht vor der Tür."),
    ("de", L, "Die Klagenfurter Filiale ist geschlossen."),
    ("de", P, "Ich habe Sie über Google gefunden."),
    ("de", P, "Ich habe die Bewertungen vor dem Kauf gelesen."),
    ("de", P, "Ich werde keine schlechte Bewertung schreiben."),
    ("de", IN, "Sie waren sehr hilfreich, danke."),
    ("de", IN, "Das war kein Witz, es ist wirklich passiert."),
    ("de", IN, "Ich bin kein Amateur, ich habe alles probiert."),
    ("de", S, "Danke!! Jetzt geht es."),
    ("de", S, "Die IBAN ist DE12 3456."),
    ("de", S, "Bitte per E-Mail antworten."),
    ("de", R, "Ich schreibe Ihnen zum ersten Mal."),
    ("de", R, "Bitte rufen Sie mich morgen an."),
    ("de", R, "Das zweite Gerät funktioniert."),
    ("de", F, "Die Zahlung hat geklappt, danke."),
    ("de", F, "Ich wurde nicht doppelt belastet."),
    ("de", F, "Kann ich mit Karte zahlen?"),
    ("de", U, "Es eilt nicht."),
    ("de", U, "Kein Notfall, nur eine Frage."),
    ("de", U, "Nicht dringend, aber bitte prüfen."),
    ("no", M, "Lederen vår takket for hjelpen."),
    ("no", M, "Jeg vil ikke snakke med en leder."),
    ("no", M, "Takk for god service."),
    ("no", C, "Jeg vil ikke si opp."),
    ("no", C, "Jeg vil kansellere bestillingen."),
    ("no", C, "Jeg har ingen planer om å si opp."),
    ("no", L, "Jeg vil ikke involvere advokat."),
    ("no", L, "Retten til å angre gjelder ikke her."),
    ("no", L, "Takk for svaret."),
    ("no", P, "Takk, jeg gir dere fem stjerner!"),
    ("no", P, "Jeg så annonsen deres på Facebook."),
    ("no", P, "Jeg skal ikke skrive en dårlig anmeldelse."),
    ("no", IN, "Dere var veldig hjelpsomme."),
    ("no", IN, "Dette er ikke en vits."),
    ("no", IN, "Jeg er ikke inkompetent, jeg har prøvd alt."),
    ("no", S, "Tusen takk!! Nå virker det."),
    ("no", S, "Kundenummeret er NO 1234."),
    ("no", S, "Er det fikset? Takk."),
    ("no", R, "Dette er første gang jeg skriver."),
    ("no", R, "Jeg ble trukket to ganger."),
    ("no", R, "Takk igjen!"),
    ("no", F, "Betalingen gikk fint, takk."),
    ("no", F, "Jeg ble ikke trukket to ganger."),
    ("no", F, "Kortet ble ikke avvist."),
    ("no", U, "Det haster ikke."),
    ("no", U, "Ikke kritisk, bare et spørsmål."),
    ("no", U, "Nettet er oppe igjen."),
    # an insult at a fellow passenger, not at the company
    ("en", IN, "The guy next to me on the plane is a total idiot."),
    ("en", IN, "My fellow passengers are idiots, but your crew was great."),
    ("de", IN, "Das Arschloch mir gegenüber hört seit einer Stunde laute Musik."),
    ("de", IN, "Schon wieder Randalierer im Abteil, was für Idioten."),
    ("no", IN, "Idioten ved siden av meg snakker i telefonen hele turen."),
    ("no", IN, "Medpassasjerene mine er noen idioter, men konduktøren var grei."),
    ("en", IN, "The idiot next to me keeps kicking my seat."),
    ("de", IN, "Der Typ neben mir ist ein Vollidiot."),
    ("no", IN, "Fyren ved siden av meg er en skikkelig idiot."),
    ("en", IN, "That was idiotic on my part, sorry."),
    # words that mostly are not the signal: an intensifier, a plain complaint, the police in the news
    ("en", IN, "That was damn quick, thank you."),
    ("en", IN, "The agent was polite but unhelpful."),
    ("de", IN, "Das war verdammt schnell, danke!"),
    ("de", L, "Die Polizei hat den Bahnhof wegen eines Einsatzes gesperrt."),
    ("de", C, "Bahn-Chef verspricht: Nie wieder Chaos bei der Bahn."),
]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.mark.parametrize(("lang", "signal", "text", "evidence"), POSITIVES)
def test_positive(lexicon: Lexicon, lang: str, signal: SignalName, text: str, evidence: str) -> None:
    found = [s for s in detect_signals(text, lang, lexicon=lexicon) if s.name is signal]
    assert evidence in [s.evidence for s in found]
    assert all(text[s.start : s.end] == s.evidence for s in found)


@pytest.mark.parametrize(("lang", "signal", "text"), NEGATIVES)
def test_negative(lexicon: Lexicon, lang: str, signal: SignalName, text: str) -> None:
    assert [s for s in detect_signals(text, lang, lexicon=lexicon) if s.name is signal] == []


@pytest.mark.parametrize(("lang", "signal", "text", "evidence"), POSITIVES[::7])
def test_without_language_every_language_is_checked(
    lexicon: Lexicon, lang: str, signal: SignalName, text: str, evidence: str
) -> None:
    assert evidence in [s.evidence for s in detect_signals(text, None, lexicon=lexicon) if s.name is signal]


def test_enough_examples_per_signal_and_language() -> None:
    for lang in ("en", "de", "no"):
        for signal in SignalName:
            assert sum(1 for x in POSITIVES if x[:2] == (lang, signal)) >= 5, (lang, signal)
            assert sum(1 for x in NEGATIVES if x[:2] == (lang, signal)) >= 3, (lang, signal)


QUOTED = [
    # (text, the customer's own signal evidence): nothing from the quoted agent mail is reported.
    (
        "Still broken, this is urgent.\n\nOn 3 March 2026, at 10:00, Nimbus Support <support@nimbus.example> "
        "wrote:\n> If you want to cancel your subscription, contact a manager.\n> THIS IS AN AUTOMATED NOTE",
        ["urgent"],
    ),
    (
        "Das ist dringend.\nAm 03.03.2026 um 10:00 schrieb Nimbus Support <support@nimbus.example>:\n"
        "> Sie können Ihren Vertrag kündigen.",
        ["dringend"],
    ),
    (
        "Det haster.\nDen 3. mars 2026 kl. 10:00 skrev Nimbus Support <support@nimbus.example>:\n"
        "> Du kan si opp avtalen her.",
        ["haster"],
    ),
    ("> I want to cancel my contract\nThanks, all good now.", []),
    ("Hi,\n> lawyer lawyer\nI was charged twice.", ["charged twice"]),
    (
        "Thanks\n\n-----Original Message-----\nFrom: Nimbus\nPlease escalate this to a manager.",
        [],
    ),
    ("Hi\nFrom: Nimbus Support <a@b.example>\nSent: Monday\nSubject: cancel your subscription", []),
]


@pytest.mark.parametrize(("text", "evidence"), QUOTED)
def test_quoted_mail_is_ignored_and_spans_stay_in_the_original(
    lexicon: Lexicon, text: str, evidence: list[str]
) -> None:
    found = detect_signals(text, None, lexicon=lexicon)
    assert [s.evidence for s in found] == evidence
    assert all(text[s.start : s.end] == s.evidence for s in found)


def test_running_text_that_looks_like_a_header_is_kept(lexicon: Lexicon) -> None:
    text = "On Monday I wrote: I want to speak to a manager."
    assert [s.evidence for s in detect_signals(text, "en", lexicon=lexicon)] == ["speak to a manager"]


def test_signals_come_in_text_order_with_exact_spans(lexicon: Lexicon) -> None:
    text = "I was charged twice!!! This is the third time I write. I want to speak to a manager NOW OR NEVER."
    found = detect_signals(text, "en", lexicon=lexicon)
    assert [(s.name.value, s.evidence) for s in found] == [
        ("financial_harm", "charged twice"),
        ("shouting", "!!!"),
        ("repeated_contact", "third time"),
        ("manager_request", "speak to a manager"),
        ("shouting", "NOW OR NEVER"),
    ]
    assert [s.start for s in found] == sorted(s.start for s in found)
    assert all(text[s.start : s.end] == s.evidence for s in found)
    assert found[0].to_dict() == {
        "name": "financial_harm",
        "evidence": "charged twice",
        "start": 6,
        "end": 19,
    }


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I don't want to cancel my account, but I will cancel my subscription if this goes on.",
         ["cancel my subscription"]),
        ("I do not really want to cancel my account", []),  # cue three words before
        ("If it does not work I cancel my account", ["cancel my account"]),  # the cue is in the condition
        ("Not happy, I cancel my account", ["cancel my account"]),  # the comma ends the cue's reach
        ("i dont want to cancel my account", []),  # no apostrophe
        ("I won’t cancel my account", []),  # typographic apostrophe
    ],
)  # fmt: skip
def test_negation_scope(lexicon: Lexicon, text: str, found: list[str]) -> None:
    assert [s.evidence for s in detect_signals(text, "en", lexicon=lexicon)] == found


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        ("de", "Ich kündige meinen Vertrag nicht.", []),  # cue after the match
        ("de", "Ich kündige, wenn das nicht klappt.", ["kündige"]),
        ("no", "Jeg sier ikke opp.", []),  # the cue sits in the gap of `si|sier ...1 opp`
        ("no", "Om dere ikke svarer sier jeg opp", ["sier jeg opp"]),
    ],
)
def test_negation_in_german_and_norwegian(lexicon: Lexicon, lang: str, text: str, found: list[str]) -> None:
    assert [s.evidence for s in detect_signals(text, lang, lexicon=lexicon)] == found


@pytest.mark.parametrize("lang", ["nb", "nn", "NO", "no-NO"])
def test_norwegian_codes_are_understood(lexicon: Lexicon, lang: str) -> None:
    assert [s.evidence for s in detect_signals("Jeg vil bytte leverandør.", lang, lexicon=lexicon)] == [
        "bytte leverandør"
    ]


def test_a_language_without_phrases_uses_all_of_them(lexicon: Lexicon) -> None:
    assert [s.evidence for s in detect_signals("Ich kündige!", "fr", lexicon=lexicon)] == ["kündige"]


def test_given_language_only_uses_its_phrases(lexicon: Lexicon) -> None:
    assert detect_signals("Ich kündige.", "en", lexicon=lexicon) == ()


def test_empty_and_plain_texts(lexicon: Lexicon) -> None:
    assert detect_signals("", None, lexicon=lexicon) == ()
    assert detect_signals("Hello, where is my parcel? Thanks.", None, lexicon=lexicon) == ()


def test_default_lexicon_comes_from_settings() -> None:
    assert [s.evidence for s in detect_signals("I want to speak to a manager")] == ["speak to a manager"]


def test_a_phrase_dropped_for_its_context_is_a_veto_in_every_language() -> None:
    from features.text.signals import detect_signals_and_vetoes

    for lang, text in [
        ("en", "I absolutely do not want to cancel my subscription."),
        ("de", "Kündigen will ich auf keinen Fall."),
        ("no", "Jeg vil absolutt ikke si opp."),
    ]:
        signals, vetoed = detect_signals_and_vetoes(text, lang)
        assert signals == () and vetoed == {SignalName.CHURN_THREAT}, (lang, signals, vetoed)
    # a signal found elsewhere in the message is no veto
    text = "I don't want to cancel. But I will cancel my contract now!"
    signals, vetoed = detect_signals_and_vetoes(text, "en")
    assert {s.name for s in signals} == {SignalName.CHURN_THREAT} and vetoed == frozenset()


def test_a_phrase_only_in_quoted_or_reported_words_is_a_veto_in_every_language() -> None:
    """Quoted mails and words in quotation marks are someone else's: the learned head, which reads words in
    quotation marks and a bare forward's quoted mail, may not report their signal either."""
    from features.text.signals import detect_signals_and_vetoes

    for lang, text in [
        ("en", "Thanks, solved.\n\nOn 3 March 2026, Sam wrote:\n> this useless thing never works"),
        ("de", "Der Kollege nannte euch „unfähig“, ich sehe das nicht so."),
        ("no", "Takk for svaret. En kollega kalte dere «en gjeng klovner», men jeg er fornøyd."),
    ]:
        signals, vetoed = detect_signals_and_vetoes(text, lang)
        assert SignalName.INSULT not in {s.name for s in signals}, (lang, signals)
        assert SignalName.INSULT in vetoed, (lang, vetoed)
    # the customer's own words still count, and then there is no veto
    text = "You called it \"useless\" yourself, and you useless lot still have not fixed it."
    signals, vetoed = detect_signals_and_vetoes(text, "en")
    assert SignalName.INSULT in {s.name for s in signals} and SignalName.INSULT not in vetoed


@pytest.mark.parametrize(("lang", "signal", "text", "evidence"), [
    ("de", C, "Ich kuendige meinen Vertrag zum Monatsende.", "kuendige"),  # no umlaut on the keyboard
    ("de", F, "Ich will das Geld zurueck.", "Geld zurueck"),
    ("de", IN, "Das ist eine Scheisse, ehrlich.", "Scheisse"),  # Swiss German writes no ß
    ("no", C, "Jeg bytter leverandoer hvis dette ikke ordner seg.", "bytter leverandoer"),
    ("no", C, "Jeg bytter leverandör nå.", "bytter leverandör"),  # a Swedish keyboard's ö
    ("no", R, "Jeg har ikke faatt svar paa tre uker.", "ikke faatt svar"),
    ("no", L, "Jeg går til Forbrukerraadet med dette.", "Forbrukerraadet"),
])
def test_letters_spelled_out_are_read_and_the_evidence_is_as_written(
    lexicon: Lexicon, lang: str, signal: SignalName, text: str, evidence: str
) -> None:
    found = detect_signals(text, lang, lexicon=lexicon)
    assert [(s.name, s.evidence) for s in found if s.name is signal] == [(signal, evidence)]
