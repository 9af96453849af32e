"""`escalation train-sentiment` end to end on a tiny hand-written CSV with the real packaged encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from features.sentiment import load_head
from training.sentiment.cli import train_sentiment
from training.sentiment.data import LabelledDataError

ROWS = [
    ("Thank you, great help!", "positive"), ("Works perfectly now, thanks", "positive"),
    ("Lovely service", "positive"), ("Super, danke!", "positive"), ("I am happy with it", "positive"),
    ("This is terrible", "negative"), ("Still broken, I am furious", "negative"),
    ("Worst support ever", "negative"), ("Unverschämt, nichts geht", "negative"), ("Awful", "negative"),
    ("My order number is 123", "neutral"), ("Which plan am I on?", "neutral"),
    ("Please send the invoice", "neutral"), ("Ich habe eine Frage", "neutral"),
    ("The meeting is at 3", "neutral"),
]


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["text,sentiment,lang"] + [f'"{t}",{s},{"de" if "ch" in t else "en"}' for t, s in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_trains_a_head_that_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    data = _write(tmp_path / "mine.csv", ROWS * 2)
    out = tmp_path / "head.json"
    args = ["--data", str(data), "--out", str(out), "--backend", "torch", "--test-fraction", "0.3",
            "--seed", "3"]
    result = CliRunner().invoke(train_sentiment, args)
    assert result.exit_code == 0, result.output
    assert "| torch | all |" in result.stdout and "| torch | en |" in result.stdout
    head = load_head(out)
    assert head.encoder_name == "all-MiniLM-L6-v2" and head.card_["trained_with_backend"] == "torch"
    assert head.card_["command"].startswith(f"escalation train-sentiment --data {data}")
    assert head.card_["split"]["seed"] == 3 and head.card_["data"][0]["rows"] == 30
    assert "Thank you" not in out.read_text()  # the artefact holds no training text
    metrics = json.loads((tmp_path / "head.metrics.json").read_text())
    assert metrics["head"] == head.version_ and metrics["metrics"]["torch"]["all"]["rows"] == 9


def test_a_bad_row_stops_before_any_embedding(tmp_path: Path) -> None:
    data = _write(tmp_path / "mine.csv", [*ROWS, ("Meh", "so-so")])
    result = CliRunner().invoke(train_sentiment, ["--data", str(data), "--out", str(tmp_path / "h.json")])
    assert isinstance(result.exception, LabelledDataError)
    expected = f"{data}:17 [sentiment]: unknown label; use one of negative, neutral, positive (got 'so-so')"
    assert expected in str(result.exception)
    assert not (tmp_path / "h.json").exists()


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(train_sentiment, ["--data", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "does not exist" in result.output


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--C", "nan", "nan is not a finite number"),  # was sklearn's InvalidParameterError traceback
    ("--C", "inf", "inf is not a finite number"),
    ("--test-fraction", "nan", "nan is not a finite number"),  # was a ValueError traceback
    ("--hidden", "100000000", "100000000 is not in the range 0<=x<=4096"),  # was a 286 GiB allocation
    ("--batch-size", "1000000000", "1000000000 is not in the range 1<=x<=1024"),  # the setting's limit
    ("--seed", "-1", "-1 is not in the range 0<=x<=4294967295"),  # was numpy's ValueError traceback
])
def test_an_option_out_of_its_range_is_a_usage_error_naming_it(
    tmp_path: Path, option: str, value: str, said: str
) -> None:
    data = _write(tmp_path / "mine.csv", ROWS)
    result = CliRunner().invoke(train_sentiment, ["--data", str(data), "--out", str(tmp_path / "h.json"),
                                                  option, value])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': {said}" in result.output
    assert not (tmp_path / "h.json").exists()
