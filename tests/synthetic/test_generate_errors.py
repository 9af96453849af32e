"""Bad parameters and bad phrase banks fail early, saying what and what to do."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from core.errors import ConfigError
from synthetic.generate import GenerationConfig, generate
from synthetic.phrasebank import PhraseBank
from synthetic.templates import fill, placeholder_problems


def test_missing_language_is_named(test_banks: dict[str, PhraseBank]) -> None:
    banks = {k: v for k, v in test_banks.items() if k != "no"}
    with pytest.raises(ConfigError, match=r"no phrase bank for language.*no"):
        next(generate(GenerationConfig(tickets=5), banks))


def test_unsafe_placeholders_are_rejected_before_generating(test_banks: dict[str, PhraseBank]) -> None:
    en = test_banks["en"]
    bad = dataclasses.replace(en, thanks=[*en.thanks, "Cheers {name.__class__}", "Thanks {customer}"])
    with pytest.raises(ConfigError, match=r"en: thanks variant .*unknown placeholder \{customer\}"):
        next(generate(GenerationConfig(tickets=5), {**test_banks, "en": bad}))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hi {name}", None),
        ("{{literal}} {days} days", None),
        ("Hi {nme}", "unknown placeholder {nme}"),
        ("Hi {name!r}", "format spec or conversion"),
        ("Total {amount:>10}", "format spec or conversion"),
        ("Oops {name", "unbalanced braces"),
    ],
)
def test_placeholder_problems(text: str, problem: str | None) -> None:
    found = placeholder_problems(text)
    assert (problem is None and not found) or any(problem in p for p in found)


def test_fill_leaves_plain_text_alone() -> None:
    assert fill("no braces here", {}) == "no braces here"
    assert fill("Hi {name}", {"name": "Kari"}) == "Hi Kari"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (GenerationConfig(tickets=0), "tickets must be at least 1"),
        (GenerationConfig(customers=0), "customers must be at least 1"),
        (GenerationConfig(start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 3)), "at least a week"),
    ],
)
def test_bad_parameters(config: GenerationConfig, message: str, test_banks: dict[str, PhraseBank]) -> None:
    with pytest.raises(ConfigError, match=message):
        next(generate(config, test_banks))
