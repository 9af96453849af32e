"""`escalation generate-sample`: help, a small run, parquet output, refusals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from core.cli import cli

SMALL = ["--tickets", "120", "--start", "2026-05-01", "--end", "2026-06-30", "--no-progress"]


def test_help_explains_the_command() -> None:
    result = CliRunner().invoke(cli, ["generate-sample", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--tickets", "--customers", "--seed", "--start", "--end", "--format"):
        assert option in result.output
    assert "byte-identical" in result.output


@pytest.mark.parametrize(
    ("fmt", "names"),
    [("jsonl", {"tickets.csv", "events.jsonl"}), ("parquet", {"tickets.parquet", "events.parquet"})],
)
def test_writes_a_history(tmp_path: Path, fmt: str, names: set[str]) -> None:
    result = CliRunner().invoke(cli, ["generate-sample", "--out", str(tmp_path), "--format", fmt, *SMALL])
    assert result.exit_code == 0, result.output
    assert "wrote 120 tickets" in result.output
    assert {p.name for p in tmp_path.iterdir()} == names
    if fmt == "parquet":
        events = pd.read_parquet(tmp_path / "events.parquet")
        assert str(events["at"].dtype).startswith("datetime64") and events["at"].dt.tz is not None
        assert len(pd.read_parquet(tmp_path / "tickets.parquet")) == 120


def test_end_before_start_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["generate-sample", "--out", str(tmp_path), "--start", "2026-06-01", "--end", "2026-05-01"]
    )
    assert result.exit_code != 0
    assert "must be after --start" in result.output


@pytest.mark.parametrize("option", ["--tickets", "--customers"])
def test_counts_past_the_limit_are_refused_naming_the_option_and_limit(tmp_path: Path, option: str) -> None:
    # unbounded, a few zeros too many ran for days, filling the disk, before anything said so
    result = CliRunner().invoke(cli, ["generate-sample", "--out", str(tmp_path / "out"), option, "1000001"])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}': 1000001 is not in the range 1<=x<=1000000." in result.output
    assert not (tmp_path / "out").exists()
