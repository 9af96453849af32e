"""Message bodies as plain text: helpdesks send e-mails and replies as HTML; the text analysis reads words.
A quoted earlier mail (`<blockquote>`, as Freshdesk, Zammad and mail clients quote) becomes lines starting
with "> ", as plain-text mail quotes it, so that the analysis knows it for someone else's words
(features/text/quotes.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "pre",
           "table", "ul", "ol", "dl", "dt", "dd", "caption", "section", "article", "header", "footer", "main",
           "nav", "aside", "address", "figure", "figcaption"}
_CELLS = {"td", "th"}  # a table's cells are words apart: "<td>Order</td><td>12345</td>" is not "Order12345"
_SKIPPED = {"script", "style", "head"}
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")
_MARKUP = re.compile(r"<(br|p|div|span|html|body|a|b|i|strong|em|ul|ol|li|table|tr|td|th|img|blockquote"
                     r"|h[1-6]|hr|pre)\b", re.I)
_QUOTED = "\ue000"  # a private-use character: marks text inside a <blockquote> until the lines are made


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._quoting = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BREAKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append(" ")
        if tag == "blockquote":
            self._quoting += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append(" ")
        if tag == "blockquote":
            self._quoting = max(0, self._quoting - 1)

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(_QUOTED + data.replace("\n", "\n" + _QUOTED) if self._quoting else data)


def plain_text(body: str, is_html: bool) -> str:
    """The text of a body; HTML loses its tags (line breaks kept) and entities, plain text is kept as is."""
    if not is_html:
        return body.strip()
    parser = _Text()
    parser.feed(body)
    parser.close()
    # the parser has decoded the entities (convert_charrefs): decoding again would read "&amp;lt;" as "<"
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [_line(_SPACES.sub(" ", line).strip()) for line in text.split("\n")]
    return _LINES.sub("\n\n", "\n".join(lines)).strip()


def _line(line: str) -> str:
    """A line of text inside a <blockquote> as "> …"; others as they are."""
    if _QUOTED not in line:
        return line
    words = line.replace(_QUOTED, "").strip()
    return f"> {words}" if words else ""


def looks_like_html(body: str) -> bool:
    """Whether a body holds HTML markup: a tag of those an e-mail is made of (a quoted earlier mail alone,
    `<blockquote>…</blockquote>`, included), not merely an angle bracket."""
    return bool(_MARKUP.search(body))
