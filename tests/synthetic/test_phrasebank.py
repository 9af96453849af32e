"""Every language's phrase bank is complete, varied and safe to fill."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields

import pytest

from synthetic.phrasebank import ANGER_LEVELS, CATEGORIES, PhraseBank, empty_slots
from synthetic.phrases import BANKS
from synthetic.templates import placeholder_problems, variants

MIN_PER_KEY = 8  # per category or anger level: many phrasings per situation
MIN_FLAT = 12  # per flat list (greetings, threats, thanks …)
LANGUAGES = sorted(BANKS)


def slot_lists(bank: PhraseBank) -> list[tuple[str, list[str], int]]:
    """(slot name, variants, minimum count) for every list in the bank."""
    out = []
    for f in fields(bank):
        value = getattr(bank, f.name)
        if isinstance(value, dict):
            out += [(f"{f.name}[{k}]", v, MIN_PER_KEY) for k, v in value.items()]
        elif isinstance(value, list) and value and isinstance(value[0], list):
            out += [(f"{f.name}[{i}]", v, MIN_PER_KEY) for i, v in enumerate(value)]
        elif isinstance(value, list):
            out.append((f.name, value, MIN_FLAT))
    return out


def test_the_three_languages_are_registered() -> None:
    assert LANGUAGES == ["de", "en", "no"]
    assert all(bank.language == lang for lang, bank in BANKS.items())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_slot_is_empty(lang: str) -> None:
    assert empty_slots(BANKS[lang]) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keys_are_exactly_the_categories_and_anger_levels(lang: str) -> None:
    bank = BANKS[lang]
    for f in fields(bank):
        value = getattr(bank, f.name)
        if isinstance(value, dict):
            assert sorted(value) == sorted(CATEGORIES), f.name
        elif isinstance(value, list) and value and isinstance(value[0], list):
            assert len(value) == ANGER_LEVELS, f.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_slot_has_enough_variants(lang: str) -> None:
    short = [
        f"{name}: {len(items)} < {need}" for name, items, need in slot_lists(BANKS[lang]) if len(items) < need
    ]
    assert not short, short


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_allowed_placeholders(lang: str) -> None:
    bad = [
        f"{slot}: {text!r}: {p}" for slot, text in variants(BANKS[lang]) for p in placeholder_problems(text)
    ]
    assert not bad, bad[:10]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_duplicate_or_blank_variants(lang: str) -> None:
    problems = []
    for name, items, _ in slot_lists(BANKS[lang]):
        # "" is a deliberate "no greeting / no sign-off" variant (repeated to weight it); other
        # slots need text.
        may_be_blank = name.startswith(
            ("customer_greeting", "customer_signoff", "agent_greeting", "agent_signoff")
        )
        dupes = [t for t, n in Counter(items).items() if n > 1 and not (may_be_blank and not t.strip())]
        problems += [f"{name}: duplicate {t!r}" for t in dupes]
        if not may_be_blank:
            problems += [f"{name}: blank variant" for t in items if not t.strip()]
    assert not problems, problems[:10]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_social_posts_fit_a_tweet(lang: str) -> None:
    long = [t for level in BANKS[lang].social_post for t in level if len(t) > 280]
    assert not long, long[:3]
