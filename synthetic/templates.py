"""Checking phrase banks once, and filling their placeholders safely afterwards.

A variant may name only the placeholders of `phrasebank.PLACEHOLDERS`, plainly: no attribute or index
access (`{name.__class__}`), no conversions or format specs. Checked up front, the hot loop can then
use `str.format_map` with a dict that holds exactly those keys.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import fields

from core.errors import ConfigError
from synthetic.phrasebank import PLACEHOLDERS, PhraseBank, empty_slots

_FORMATTER = string.Formatter()


def variants(bank: PhraseBank) -> Iterator[tuple[str, str]]:
    """Every (slot name, variant) of a bank; slot names look like `problem[account]` or `chaser[2]`."""
    for f in fields(bank):
        value = getattr(bank, f.name)
        if isinstance(value, dict):
            for key, items in value.items():
                yield from ((f"{f.name}[{key}]", v) for v in items)
        elif isinstance(value, list) and value and isinstance(value[0], list):
            for level, items in enumerate(value):
                yield from ((f"{f.name}[{level}]", v) for v in items)
        elif isinstance(value, list):
            yield from ((f.name, v) for v in value)


def placeholder_problems(text: str) -> list[str]:
    """Why `text` cannot be filled safely; [] when it can."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:  # a lone "{" or "}"
        return [f"unbalanced braces ({exc}); write {{{{ and }}}} for literal braces"]
    problems = []
    for _, field_name, spec, conversion in parsed:
        if field_name is None:
            continue
        if field_name not in PLACEHOLDERS:
            problems.append(
                f"unknown placeholder {{{field_name}}}; allowed: {', '.join(sorted(PLACEHOLDERS))}"
            )
        if spec or conversion:
            problems.append(f"placeholder {{{field_name}}} must not carry a format spec or conversion")
    return problems


def check_banks(banks: Mapping[str, PhraseBank]) -> None:
    """Raise ConfigError naming every incomplete slot and unsafe variant of the given banks."""
    problems: list[str] = []
    for language, bank in banks.items():
        if bank.language != language:
            problems.append(f"bank registered as {language!r} says language={bank.language!r}")
        problems += [f"{language}: slot {slot} has no variants" for slot in empty_slots(bank)]
        for slot, text in variants(bank):
            problems += [f"{language}: {slot} variant {text[:60]!r}: {p}" for p in placeholder_problems(text)]
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ConfigError(
            f"{len(problems)} problem(s) in the phrase banks:\n  {shown}{more}\n"
            "Fix the variants in synthetic/phrases/<language>.py."
        )


def fill(text: str, values: Mapping[str, str]) -> str:
    """Fill a variant checked by `check_banks`; `values` must hold every placeholder."""
    return text.format_map(values) if "{" in text else text
