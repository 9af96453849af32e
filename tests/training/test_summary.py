"""The training report as `escalation train --report` writes it (MLflow keeps it as report.json): its shape
— every key, in order, with the kind of its value — pinned, so that typing the report cannot change what
readers of the file find. `report_shape.txt` was taken from a report the code wrote before any of it was
typed (`--no-text --tune 2 --num-boost-round 50` on the sample's first 300 tickets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli import cli
from core.settings import get_settings

from .conftest import first_tickets_of_sample

pytestmark = pytest.mark.slow

SHAPE = Path(__file__).parent / "report_shape.txt"


def shape(node: object, path: str = "") -> list[str]:
    """`path kind` for every value, objects first then their keys in order; a list is one kind."""
    if isinstance(node, dict):
        lines = [f"{path or '.'} object"]
        for key, value in node.items():
            lines += shape(value, f"{path}.{key}" if path else str(key))
        return lines
    return [f"{path} {'list' if isinstance(node, list) else type(node).__name__}"]


def test_the_report_file_keeps_its_keys_order_and_kinds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("ESCALATION_PATHS__STATE_DIR", str(tmp_path / "state"))
    get_settings.cache_clear()
    folder = first_tickets_of_sample(tmp_path / "history", 300)
    report = tmp_path / "report.json"
    args = ["train", "--data", str(folder), "--no-text", "--tune", "2", "--num-boost-round", "50",
            "--no-progress", "--report", str(report)]
    try:
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    written = report.read_text(encoding="utf-8")
    assert shape(json.loads(written)) == SHAPE.read_text(encoding="utf-8").splitlines()
    assert written.endswith("}\n") and written.startswith('{\n  "target": ')  # indent 2, one final newline
