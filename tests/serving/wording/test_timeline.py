"""Every code the pages show — event types, roles, statuses, moods, signals, channels, priorities, tiers —
has words in each language, and German and Norwegian ones are not the English code left in place."""

from __future__ import annotations

from enum import StrEnum

import pytest

from core.enums import AuthorRole, Channel, EventType, Priority, TicketStatus
from core.text import SentimentLabel, SignalName
from serving.wording.timeline import code_words

CODES: list[tuple[str, type[StrEnum]]] = [
    ("event", EventType), ("role", AuthorRole), ("status", TicketStatus), ("mood", SentimentLabel),
    ("signal", SignalName), ("channel", Channel), ("priority", Priority),
]


@pytest.mark.parametrize(("kind", "codes"), CODES)
@pytest.mark.parametrize("lang", ["en", "de", "no"])
def test_every_code_has_words(kind: str, codes: type[StrEnum], lang: str) -> None:
    for code in codes:
        words = code_words(kind, code.value, lang)
        assert words and "_" not in words, (kind, code, lang)


def test_german_and_norwegian_words_and_an_unknown_code() -> None:
    assert code_words("event", "status_change", "de") == "Statuswechsel"
    assert code_words("status", "on_hold", "no") == "på vent"
    assert code_words("status", "withdrawn", "de") == "zurückgezogen"
    assert code_words("channel", "email", "de") == "E-Mail"
    assert code_words("priority", "urgent", "no") == "haster"
    assert code_words("event", "new_kind", "de") == "new kind" and code_words("role", None, "de") == ""
