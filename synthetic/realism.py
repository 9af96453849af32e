"""What makes generated text look typed by people: typos, SHOUTING, "!!!", quoted earlier mails,
phone signatures, and localised amounts and dates. Pure functions of (text, dice)."""

from __future__ import annotations

import datetime as dt
import re

from synthetic.dice import Dice

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, str]:
    """Keys next to each letter on a QWERTY keyboard (close enough for QWERTZ and Nordic layouts)."""
    out: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, ch in enumerate(row):
            near = [row[j] for j in (c - 1, c + 1) if 0 <= j < len(row)]
            near += [
                _ROWS[q][j] for q in (r - 1, r + 1) if 0 <= q < 3 for j in (c, c + 1) if j < len(_ROWS[q])
            ]
            out[ch] = "".join(near)
    return out


NEIGHBOURS = _neighbours()
_WORD = re.compile(r"[^\W\d_]{4,}")  # letters only: never garble order numbers, amounts or ids
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

QUOTE_HEADER = {
    "en": "On {date}, Nimbus Support <support@nimbus.example> wrote:",
    "de": "Am {date} schrieb Nimbus Support <support@nimbus.example>:",
    "no": "Den {date} skrev Nimbus Support <support@nimbus.example>:",
}
DEVICE_SIGNATURE = {
    "en": ("Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for Android"),
    "de": (
        "Von meinem iPhone gesendet",
        "Gesendet von Outlook für Android",
        "Von meinem Samsung Galaxy gesendet",
    ),
    "no": (
        "Sendt fra min iPhone",
        "Sendt fra Outlook for Android",
        "Sendt fra min Samsung Galaxy-smarttelefon",
    ),
}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def typo(word: str, dice: Dice) -> str:
    i = 1 + dice.index(len(word) - 2)  # keep the first letter: people rarely miss that one
    kind = dice.random()
    if kind < 0.3:  # neighbouring key
        near = NEIGHBOURS.get(word[i].lower())
        return word[:i] + dice.pick(near) + word[i + 1 :] if near else word
    if kind < 0.55:  # swapped letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.8:  # dropped letter
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # doubled letter


def add_typos(text: str, rate: float, dice: Dice) -> str:
    """About `rate` typos per word of four letters or more."""
    words = list(_WORD.finditer(text))
    k = dice.poisson(rate * len(words)) if words else 0
    if k == 0:
        return text
    chosen = sorted({dice.index(len(words)) for _ in range(k)})
    parts, last = [], 0
    for j in chosen:
        m = words[j]
        parts += [text[last : m.start()], typo(m.group(), dice)]
        last = m.end()
    parts.append(text[last:])
    return "".join(parts)


def shout(text: str, dice: Dice) -> str:
    """Upper-case one sentence (or all of a short text)."""
    sentences = _SENTENCE.split(text)
    if len(sentences) <= 2:
        return text.upper()
    i = dice.index(len(sentences))
    sentences[i] = sentences[i].upper()
    return " ".join(sentences)


def exclaim(text: str, dice: Dice) -> str:
    marks = dice.pick(("!!", "!!!", "!!!!", "!?!"))
    return text.replace("!", marks, 1) if "!" in text else text.rstrip(".") + marks


def lower_case(text: str) -> str:
    # Chat and social writers often skip capitals altogether.
    return text.lower()


def quote(previous: str, language: str, at: float, max_lines: int = 4) -> str:
    """An earlier message quoted below a reply, the way mail clients do (cut to keep files small)."""
    lines = [line for line in previous.splitlines() if line.strip()][:max_lines]
    header = QUOTE_HEADER[language].format(date=quote_date(at, language))
    return header + "\n" + "\n".join("> " + line for line in lines)


def quote_date(at: float, language: str) -> str:
    d = dt.datetime.fromtimestamp(at, dt.UTC)
    if language == "en":
        return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}, at {d:%H:%M}"
    if language == "de":
        return f"{d:%d.%m.%Y} um {d:%H:%M}"
    return f"{d:%d.%m.%Y} kl. {d:%H:%M}"


def local_date(at: float, language: str) -> str:
    d = dt.datetime.fromtimestamp(at, dt.UTC)
    return f"{d.day} {MONTHS_EN[d.month - 1]}" if language == "en" else f"{d:%d.%m.%Y}"


def local_amount(amount: float, language: str) -> str:
    if language == "en":
        return f"€{amount:,.2f}"
    if language == "de":
        return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") + " €"
    return f"{amount * 11.5:,.0f} kr".replace(",", " ")  # Norwegian customers are billed in NOK
