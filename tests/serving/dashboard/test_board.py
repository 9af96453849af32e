"""The board's query from the page's parameters: a page number is ASCII digits; anything else is the first
page (a digit Python's isdigit() knows but int() does not, such as '²', was a 500)."""

from __future__ import annotations

import pytest

from serving.dashboard.board import BoardQuery, risk_text


@pytest.mark.parametrize(
    ("page", "expected"),
    [("3", 3), ("0", 1), ("", 1), ("-2", 1), ("x", 1), ("²", 1), ("①", 1), ("١٢", 1), ("𝟗", 1),
     ("9" * 13, 1)],
)
def test_a_page_is_ascii_digits_else_the_first(page: str, expected: int) -> None:
    assert BoardQuery.from_params({"page": page}).page == expected


@pytest.mark.parametrize(("risk", "lang", "shown"), [
    (0.81, "en", "81%"), (0.81, "de", "81\u00a0%"), (0.81, "no", "81\u00a0%"),
    (0.004, "en", "< 1%"), (0.004, "de", "< 1\u00a0%"),
])
def test_the_risk_is_a_percentage_as_the_language_writes_it(risk: float, lang: str, shown: str) -> None:
    """As the KPI page writes its rates (serving.wording.clock.percent)."""
    assert risk_text(risk, lang) == shown
