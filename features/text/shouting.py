"""Shouting found from the shape of the text rather than from phrases: runs of capitalised words
("THIS IS RIDICULOUS") and runs of !/? ("!!!", "???", "?!?"). Language-independent."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Upper-case letters of English, German and Norwegian (Latin-1 range, plus ẞ).
_UPPER = "A-ZÀ-ÖØ-Þẞ"
_CAPS_WORD = rf"[{_UPPER}]+(?:['’][{_UPPER}]+)?"
_CAPS_RUN = re.compile(rf"(?<!\w){_CAPS_WORD}(?:[ \t,:;.!?-]+{_CAPS_WORD})+(?!\w)")
# Two marks are common in friendly writing ("Thanks!!"); three or more read as raised voice.
_MARK_RUN = re.compile(r"[!?]{3,}")
# Short capitalised runs are mostly acronyms ("VAT ID", "EU GDPR"): ask for two words and eight letters.
MIN_CAPS_LETTERS = 8


def find_shouting(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) spans of shouting in `text`."""
    for m in _CAPS_RUN.finditer(text):
        if sum(ch.isalpha() for ch in m.group()) >= MIN_CAPS_LETTERS:
            yield m.start(), m.end()
    if "!!" in text or "??" in text or "?!" in text or "!?" in text:
        for m in _MARK_RUN.finditer(text):
            yield m.start(), m.end()
