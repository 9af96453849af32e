"""Numbers, percentages, days and months as each language writes them."""

from __future__ import annotations

from datetime import date

import pytest

from serving.wording.clock import day_label, month_label, number, percent


@pytest.mark.parametrize(
    ("lang", "share", "digits", "expected"),
    [
        ("en", 0.125, 1, "12.5%"),
        ("de", 0.125, 1, "12,5\u00a0%"),
        ("no", 0.125, 1, "12,5\u00a0%"),
        ("en", 0.3, 0, "30%"),
        ("de", 12.345, 0, "1.234\u00a0%"),
        ("no", 12.345, 0, "1\u00a0234\u00a0%"),
        ("de", None, 0, "—"),
    ],
)
def test_a_percentage_has_the_languages_decimal_sign_and_spacing(
    lang: str, share: float | None, digits: int, expected: str
) -> None:
    assert percent(share, lang, digits) == expected


def test_numbers_group_thousands_as_the_language_does() -> None:
    assert [number(1234.5, lang, 1) for lang in ("en", "de", "no")] == ["1,234.5", "1.234,5", "1\u00a0234,5"]


@pytest.mark.parametrize(
    ("lang", "month", "day"),
    [("en", "Nov 2026", "24 Nov 2026"), ("de", "Nov. 2026", "24. Nov. 2026"),
     ("no", "nov. 2026", "24. nov. 2026")],
)
def test_months_and_days_are_words_in_the_language(lang: str, month: str, day: str) -> None:
    assert month_label(date(2026, 11, 24), lang) == month
    assert day_label(date(2026, 11, 24), lang) == day
    assert day_label(date(2026, 11, 24), lang, with_year=False) == day.rsplit(" ", 1)[0]


def test_a_month_written_whole_takes_no_point() -> None:
    assert [month_label(date(2026, 5, 1), lang) for lang in ("en", "de", "no")] == ["May 2026", "Mai 2026",
                                                                                     "mai 2026"]
