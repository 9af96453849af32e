"""A small, complete phrase bank per language, so that the generator's tests do not depend on the real
banks' wording (those are checked on their own in test_phrasebank.py)."""

from __future__ import annotations

import sys
from dataclasses import fields
from pathlib import Path

import pytest

from synthetic.generate import GenerationConfig, generate
from synthetic.phrasebank import ANGER_LEVELS, CATEGORIES, PhraseBank

# Test folders are not on sys.path under the importlib import mode: put this one there for the shared
# helper module `synthetic_facts.py`.
HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# A few placeholders spread over the slots, so that filling is exercised too.
_FILLERS = (
    "{name}",
    "{product}",
    "{order_id}",
    "{amount}",
    "{date}",
    "{days}",
    "{ticket}",
    "{team}",
    "{agent}",
    "{invoice_id}",
)


def _variants(language: str, slot: str, n: int) -> list[str]:
    return [f"{language} {slot} sentence {i} mentions {_FILLERS[i % len(_FILLERS)]}." for i in range(n)]


def make_bank(language: str) -> PhraseBank:
    values: dict[str, object] = {}
    for f in fields(PhraseBank):
        if f.name == "language":
            continue
        kind = str(f.type)
        if "ByCategory" in kind:
            values[f.name] = {c: _variants(language, f"{f.name} {c}", 8) for c in CATEGORIES}
        elif "ByAnger" in kind:
            values[f.name] = [_variants(language, f"{f.name} level{a}", 8) for a in range(ANGER_LEVELS)]
        else:
            values[f.name] = _variants(language, f.name, 12)
    values["subject"] = {
        c: [*_variants(language, f"subject {c}", 6), "urgent: not working", "question"] for c in CATEGORIES
    }
    return PhraseBank(language=language, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def test_banks() -> dict[str, PhraseBank]:
    return {lang: make_bank(lang) for lang in ("en", "de", "no")}


@pytest.fixture(scope="session")
def small_history(test_banks: dict[str, PhraseBank]) -> list[tuple[dict, list[dict]]]:
    """1,000 tickets: enough for the rates to settle, about a second to make."""
    return list(generate(GenerationConfig(tickets=1000, seed=7), test_banks))
