"""FiniteFloatRange: a FloatRange that refuses nan and inf, naming the option."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from core.options import FiniteFloatRange


@click.command()
@click.option("--rate", type=FiniteFloatRange(0, 1, min_open=True))
def _command(rate: float) -> None:
    click.echo(f"rate {rate}")


@pytest.mark.parametrize(("value", "said"), [
    ("nan", "nan is not a finite number; give one in the range 0<x<=1"),  # the limit, as any other refusal
    ("-inf", "-inf is not in the range 0<x<=1"),
    ("0", "0.0 is not in the range 0<x<=1"),
    ("x", "'x' is not a valid float range"),
])
def test_a_value_out_of_range_or_not_finite_is_a_usage_error(value: str, said: str) -> None:
    result = CliRunner().invoke(_command, ["--rate", value])
    assert result.exit_code == 2 and f"Invalid value for '--rate': {said}" in result.output


def test_a_value_in_range_passes() -> None:
    assert CliRunner().invoke(_command, ["--rate", "0.5"]).output == "rate 0.5\n"


@click.command()
@click.option("--scale", type=FiniteFloatRange())
def _unbounded(scale: float) -> None:
    click.echo(f"scale {scale}")


def test_a_value_not_finite_of_an_unbounded_option_is_refused_without_a_range() -> None:
    result = CliRunner().invoke(_unbounded, ["--scale", "inf"])
    said = "Invalid value for '--scale': inf is not a finite number\n"
    assert result.exit_code == 2 and said in result.output
