"""Extra columns are typed only when every value fits the type, and then within core's bounds of extras."""

from __future__ import annotations

import pandas as pd
import pytest

from features.history.extras import typed_extra


@pytest.mark.parametrize(("values", "expected"), [
    (["1", "99999999999999999999"], ["1", "99999999999999999999"]),  # a 20-digit tracking number: no Int64
    (["1.5", "inf"], ["1.5", "inf"]),  # an infinite amount is no number a model or the API takes
    (["1e400", "2"], ["1e400", "2"]),
    (["-7", "123456789012345678"], [-7, 123456789012345678]),
    (["1.5", "-2"], [1.5, -2.0]),
])
def test_numbers_only_when_every_value_is_a_finite_number_that_fits(values: list[str],
                                                                     expected: list[object]) -> None:
    assert typed_extra(pd.Series(values, dtype="str")).tolist() == expected
