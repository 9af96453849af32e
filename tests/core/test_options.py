"""FiniteFloatRange: a FloatRange that refuses nan and inf, naming the option."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from core.options import SEED, FiniteFloatRange


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


@click.command()
@click.option("--seed", type=SEED, default=0)
def _seeded(seed: int) -> None:
    click.echo(f"seed {seed}")


@pytest.mark.parametrize("value", ["-1", str(2**32)])
def test_a_seed_numpy_cannot_take_is_a_usage_error(value: str) -> None:
    """numpy and pandas take 0 to 2^32 - 1: -1 was a ValueError traceback after the data was loaded."""
    result = CliRunner().invoke(_seeded, ["--seed", value])
    said = f"Invalid value for '--seed': {value} is not in the range 0<=x<=4294967295"
    assert result.exit_code == 2 and said in result.output


def test_every_seed_option_takes_what_numpy_takes() -> None:
    from core.cli import COMMANDS, cli

    ctx = click.Context(cli)
    other = []
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        commands = list(command.commands.values()) if isinstance(command, click.Group) else [command]
        other += [f"{name} {p.opts[0]}" for c in commands if c is not None for p in c.params
                  if "--seed" in p.opts and p.type is not SEED]
    assert not other, other
