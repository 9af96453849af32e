"""Cells of a CSV that people open in a spreadsheet: a value that would start a formula gets a leading
apostrophe (OWASP's advice against CSV injection). One home for every CSV the product writes with customer
text in it (the board's export, `evaluate-text --errors`)."""

from __future__ import annotations

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula (customer-written fields can)
    gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA) else text
