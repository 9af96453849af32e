"""Value types of command-line options that more than one command needs."""

from __future__ import annotations

import math
from typing import Any

import click


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange, without nan and inf: nan passes every bound (it compares false both ways) and an
    open upper end lets inf through, so either reached a fit or a model card far from the option."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number: float = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{number} is not a finite number", param, ctx)
        return number
