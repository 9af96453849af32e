"""Shouting found from the shape of the text rather than from phrases, by the labelling guide's surface rule:
at least two fully capitalised words that are not acronyms ("THIS IS RIDICULOUS", "IVE TWEETED U",
"SUCKS! ... NO courtesy"), or a run of three or more !/? ("!!!", "???", "?!?"). Language-independent."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Upper-case letters of English, German and Norwegian (Latin-1 range, plus ẞ).
_UPPER = "A-ZÀ-ÖØ-Þẞ"
# A capitalised word on its own: not part of a code ("BWI-BOSTON", "NASDAQ:JBLU", "DE12"), a handle or a
# hashtag ("@AA", "#CSFAIL"), nor a word with lower-case letters ("iPHONE").
_CAPS_WORD = re.compile(rf"(?<![\w@#&/:.-])[{_UPPER}]+(?:['’][{_UPPER}]+)?(?![\w/:-]|\.\w)")
_TWO_CAPS = re.compile(f"[{_UPPER}]{{2}}")
# Capitalised words closer than this (spaces, punctuation) are reported as one span: "THIS IS RIDICULOUS".
_JOIN = re.compile(r"[ \t,;.!?]{1,3}")
# Words of four or more letters count unless they are one of these acronyms; shorter ones ("IT", "MY",
# "IVE") only when they are everyday words, since most short capitals are codes (airports, "VAT ID").
MIN_WORD_LETTERS = 4
ACRONYMS = frozenset(
    {
        "ASAP", "IBAN", "SWIFT", "HTTP", "HTTPS", "HTML", "JSON", "NASA", "GDPR", "DSGVO", "LMAO", "ROFL",
        "LMFAO", "SMS", "MMS", "USB", "HDMI", "WIFI", "WLAN", "NASDAQ", "FAQS", "PDF", "BVG", "IATA",
        "ICAO", "UEFA", "FIFA", "NATO", "OPEC", "BAFIN", "DHL", "UPS", "FEDEX", "HBO", "CNN", "ESPN",
    }
)
SHORT_WORDS = frozenset(
    {
        # English
        "AM", "AN", "AS", "AT", "BE", "BY", "DO", "GO", "HE", "IF", "IN", "IS", "IT", "ME", "MY", "NO",
        "OF", "OH", "OK", "ON", "OR", "SO", "TO", "UP", "US", "WE", "YA", "ALL", "AND", "ANY", "ARE",
        "BAD", "BUT", "CAN", "DID", "FOR", "GET", "GOT", "HAD", "HAS", "HER", "HIM", "HIS", "HOW", "ITS",
        "LET", "NOT", "NOW", "OFF", "ONE", "OUR", "OUT", "SHE", "THE", "TOO", "TWO", "WAS", "WAY", "WHO",
        "WHY", "YES", "YET", "YOU", "IVE", "IM", "ILL", "ID", "DONT", "CANT", "WONT", "UGH", "WOW", "OMG",
        "EVER", "DAY",
        # German
        "DA", "DU", "ER", "ES", "JA", "MIR", "MAL", "NIE", "NUN", "WO", "ZU", "DAS", "DER", "DEN", "DEM",
        "DIE", "EIN", "ICH", "IHR", "IST", "NUR", "UND", "WER", "WIE", "WAR", "HAT", "BIN", "SIE", "UNS",
        # Norwegian (DU, ER shared with German)
        "DE", "EN", "ET", "HAN", "HUN", "JEG", "MEG", "MIN", "NÅ", "OG", "PÅ", "SÅ", "VI", "DET", "DEG",
        "DIN", "HAR", "IKKE", "MED", "SEG",
    }
)


def find_shouting(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) spans of shouting in `text`."""
    if _TWO_CAPS.search(text):  # most messages have no two capitals in a row: one quick pass
        words = list(_CAPS_WORD.finditer(text))
        if sum(1 for m in words if _counts(m.group())) >= 2:
            yield from _runs(text, words)
    if "!!" in text or "??" in text or "?!" in text or "!?" in text:
        for m in re.finditer(r"[!?]{3,}", text):
            yield m.start(), m.end()


def _counts(word: str) -> bool:
    letters = word.replace("'", "").replace("’", "")
    if len(letters) >= MIN_WORD_LETTERS:
        return letters not in ACRONYMS
    return letters in SHORT_WORDS


def _runs(text: str, words: list[re.Match[str]]) -> Iterator[tuple[int, int]]:
    """Neighbouring capitalised words as one span ("I AM FURIOUS", "LEI AV"), where one of them counts:
    a lone acronym or "I" is no shouting of its own."""
    run = [words[0]]
    for m in [*words[1:], None]:
        if m is not None and _JOIN.fullmatch(text, run[-1].end(), m.start()):
            run.append(m)
            continue
        if any(_counts(w.group()) for w in run):
            yield run[0].start(), run[-1].end()
        if m is not None:
            run = [m]
