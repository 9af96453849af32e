"""`escalation score-batch`: options checked before the history is read and scored."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from core.cli import cli
from core.errors import ConfigError
from tests.serving.conftest import make_model


def test_an_out_that_cannot_be_written_stops_before_scoring(tmp_path: Path) -> None:
    """`--out` under a file was a FileExistsError traceback after every open ticket had been scored."""
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    out = blocker / "scores.parquet"
    model = make_model().save(tmp_path / "model.json")
    args = ["score-batch", "data/sample", "--at", "2026-10-20T12:00:00Z", "--out", str(out), "--no-text",
            "--no-progress", "--model", str(model)]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, ConfigError), result.output
    said = f"--out {out}: cannot be written ({blocker} is a file, not a folder)"
    assert str(result.exception).startswith(said)
