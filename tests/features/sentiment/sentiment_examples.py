"""Hand-written customer messages (written for these tests; none comes from the training data), six clearly
positive and six clearly negative per language, as customers write to a helpdesk."""

from __future__ import annotations

POSITIVE: dict[str, list[str]] = {
    "en": [
        "Thank you so much, the problem is solved and everything works perfectly now!",
        "Great support, your agent was friendly and incredibly helpful.",
        "I'm really happy with the quick answer, thanks a lot!",
        "Excellent service as always, I love this product.",
        "Wonderful, the refund arrived today. Thanks for your help!",
        "Fantastic job, you fixed it in five minutes. Much appreciated!",
    ],
    "de": [
        "Vielen Dank, das Problem ist gelöst und alles funktioniert jetzt perfekt!",
        "Super Service, Ihre Mitarbeiterin war sehr freundlich und hilfsbereit.",
        "Ich bin total zufrieden mit der schnellen Antwort, danke!",
        "Ausgezeichneter Kundendienst, ich bin begeistert.",
        "Wunderbar, die Erstattung ist heute angekommen. Herzlichen Dank!",
        "Tolle Arbeit, das ging ja richtig schnell. Vielen Dank!",
    ],
    "no": [
        "Tusen takk, problemet er løst og alt fungerer perfekt nå!",
        "Kjempegod service, medarbeideren var veldig hyggelig og hjelpsom.",
        "Jeg er veldig fornøyd med det raske svaret, takk skal dere ha!",
        "Utmerket kundeservice, jeg er strålende fornøyd.",
        "Fantastisk, refusjonen kom i dag. Takk for hjelpen!",
        "Flott jobb, dere fikset det på fem minutter. Tusen takk!",
    ],
}

NEGATIVE: dict[str, list[str]] = {
    "en": [
        "This is absolutely unacceptable, I have been waiting for three weeks and nobody answers!",
        "Terrible service, your agent was rude and useless.",
        "I'm extremely angry, you charged me twice and still haven't refunded me.",
        "Worst company ever, the product broke after one day.",
        "I'm fed up with your excuses, this is a disaster.",
        "Awful experience, I will never buy from you again.",
    ],
    "de": [
        "Das ist absolut inakzeptabel, ich warte seit drei Wochen und niemand antwortet!",
        "Miserabler Service, Ihr Mitarbeiter war unhöflich und völlig nutzlos.",
        "Ich bin extrem verärgert, Sie haben mir doppelt abgebucht und nichts erstattet.",
        "Schlechteste Firma überhaupt, das Gerät war nach einem Tag kaputt.",
        "Ich habe die Nase voll von Ihren Ausreden, das ist eine Katastrophe.",
        "Furchtbare Erfahrung, ich kaufe nie wieder bei Ihnen.",
    ],
    "no": [
        "Dette er helt uakseptabelt, jeg har ventet i tre uker og ingen svarer!",
        "Elendig service, medarbeideren var frekk og ubrukelig.",
        "Jeg er ekstremt sint, dere har trukket meg to ganger og fortsatt ikke refundert.",
        "Verste firma noensinne, produktet ble ødelagt etter én dag.",
        "Jeg er lei av unnskyldningene deres, dette er en katastrofe.",
        "Forferdelig opplevelse, jeg kommer aldri til å handle hos dere igjen.",
    ],
}
