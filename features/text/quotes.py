"""Hiding quoted earlier mails and reported words, so that what others wrote or said (the agent's mail
quoted back, a phishing text, what a colleague called you) does not count as the customer's. Quoted
characters are replaced by MASK, one for one, so spans found in the masked text are spans in the original."""

from __future__ import annotations

import re

# Neither a word character nor whitespace: no phrase, gap or caps run can reach across a quoted part.
MASK = "\x00"

_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
# A reply header, then everything below it is the quoted mail (top-posting, as mail clients write).
# Gmail/Apple style: "On 3 March 2025, X wrote:", "Am 03.03.2025 um 10:00 schrieb X:", "Den 3. mars 2025
# kl. 10:00 skrev X:" — it may wrap onto a second line, must hold a digit (the date) and end its line with
# ':', so that "On Monday I wrote: …" in running text stays the customer's. Outlook style: "From: …" with
# "Sent: …" (Von/Gesendet, Fra/Sendt) on one of the next two lines; "-----Original Message-----"; and a
# helpdesk's reply delimiter ("##- Please type your reply above this line -##", Zendesk's default).
_LEAD = r"(?:On|Am|Den|mon|tue|wed|thu|fri|sat|sun|mo|di|mi|do|fr|sa|so|man|tir|ons|tor|lør|søn)\b"
_REPLY_HEADER = re.compile(
    r"^[ \t]*(?:"
    rf"{_LEAD}[^\n]{{0,200}}?\d[^\n]{{0,200}}?(?:\n[^\n]{{0,200}}?)?"
    r"(?:\bwrote|\b(?:schrieb|skrev)\b[^\n]{0,200}):[ \t]*$"
    r"|(?:From|Von|Fra):[^\n]*\n(?:[^\n]*\n)?[ \t]*(?:Sent|Date|Gesendet|Datum|Sendt|Dato):"
    r"|-{2,}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Opprinnelig melding|Original melding)"
    r"[ \t]*-{2,}"
    # a helpdesk's reply delimiter, in any language: "##- Please type your reply above this line -##"
    r"|\#\#-[^\n]{1,200}?-\#\#[ \t]*$"
    r")",
    re.MULTILINE | re.IGNORECASE,
)
_HEADER_HINTS = ("wrote", "schrieb", "skrev", "----", "from:", "von:", "fra:", "##-")


def mask_quotes(text: str) -> str:
    """`text` with quoted lines ("> …") and everything from a reply header on replaced by MASK."""
    lowered = text.lower() if ">" not in text else ""
    if ">" not in text and not any(h in lowered for h in _HEADER_HINTS):
        return text  # the common case, decided without a regex pass
    header = _REPLY_HEADER.search(text)
    cut = header.start() if header else len(text)
    head = _QUOTED_LINE.sub(lambda m: MASK * len(m.group()), text[:cut]) if ">" in text else text[:cut]
    return head + MASK * (len(text) - cut)


def own_words(text: str) -> str:
    """What the customer wrote in this message: `text` without its quoted earlier mails (quoted lines and
    everything from a reply header on, as `mask_quotes` finds them), so that a "Thanks, that fixed it!"
    above a quoted angry thread reads as thanks ("👍" too). A bare forward, with nothing of its own above
    the quoted mail, is kept whole: then the quoted mail is all the message says. Words in quotation marks
    stay: they are part of the customer's own sentence ("they told me "we cannot refund you"")."""
    masked = mask_quotes(text)
    if MASK not in masked:
        return text
    kept = masked.replace(MASK, "")
    return kept if kept.strip() else text


# Words between quotation marks, as English, German and Norwegian write them: “…” „…“ ‚…‘ «…» »…« "…"
# (not '…': that mark is also the apostrophe).
# Up to _MAX_REPORTED characters, within one paragraph: a longer stretch is more likely an unpaired mark.
_MAX_REPORTED = 300
_REPORTED = re.compile(
    rf"“(?!@)[^”“\n]{{1,{_MAX_REPORTED}}}”|„[^“”„\n]{{1,{_MAX_REPORTED}}}[“”]|‚[^‘’\n]{{1,{_MAX_REPORTED}}}[‘’]"
    rf"|«[^»«\n]{{1,{_MAX_REPORTED}}}»|»[^«»\n]{{1,{_MAX_REPORTED}}}«"
    # ASCII quotes pair up in order. A quote opening on a handle ("@brand: …") is a quoted tweet that the
    # customer passes on as their own words, and stays.
    rf'|"(?!@)[^"\n]{{1,{_MAX_REPORTED}}}"'
)
_QUOTE_MARK = re.compile('[“„‚«»"]')


def mask_reported(text: str) -> str:
    """`text` with the words inside quotation marks replaced by MASK (the marks themselves stay)."""
    if not _QUOTE_MARK.search(text):
        return text
    return _REPORTED.sub(lambda m: m.group()[0] + MASK * (len(m.group()) - 2) + m.group()[-1], text)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of `text` that are quoted or reported, for display and tests."""
    masked = mask_reported(mask_quotes(text))
    return [(m.start(), m.end()) for m in re.finditer(f"{MASK}+", masked)]
