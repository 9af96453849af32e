from __future__ import annotations

from core.spreadsheet import cell


def test_a_cell_that_would_start_a_formula_is_text() -> None:
    assert cell('=HYPERLINK("http://evil.example","x")') == '\'=HYPERLINK("http://evil.example","x")'
    cells = [cell(v) for v in ("+1", "@SUM(A1)", "\tx", "calm", None, 3)]
    assert cells == ["'+1", "'@SUM(A1)", "'\tx", "calm", "", "3"]
