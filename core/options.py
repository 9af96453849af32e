"""Value types of command-line options that more than one command needs."""

from __future__ import annotations

import math
from typing import Any

import click

# A seed numpy and pandas take: -1 or 2^32 was a ValueError traceback after the data had been loaded
SEED = click.IntRange(0, 2**32 - 1)


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange, without nan and inf: nan passes every bound (it compares false both ways) and an
    open upper end lets inf through, so either reached a fit or a model card far from the option."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number: float = super().convert(value, param, ctx)
        if not math.isfinite(number):
            bounded = self.min is not None or self.max is not None
            limit = f"; give one in the range {self._describe_range()}" if bounded else ""
            self.fail(f"{number} is not a finite number{limit}", param, ctx)
        return number
