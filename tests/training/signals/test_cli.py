"""`split-labelled`, `train-signals` and `evaluate-text` end to end on small hand-written CSVs with a real
packaged encoder (MiniLM, the fastest; the learned head works the same on any encoder)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from core.settings import get_settings
from features.text.lexicon import load_lexicon
from features.text.signal_head import load_signal_head
from training.signals.cli import evaluate_text, split_labelled, train_signals

HEADER = (
    "text,lang,sentiment,manager_request,churn_threat,legal_threat,public_threat,insult,shouting,"
    "repeated_contact,financial_harm,urgency"
)
# A made-up word for money taken: no phrase file knows it, so only the learned head can find these.
MONEY = [
    "The blorvex hit my card again", "Another blorvex on my bill", "Why is there a blorvex this month",
    "Undo the blorvex please", "I see a blorvex twice", "Who approved this blorvex",
    "A blorvex came off my account", "Stop the blorvex now",
]
CALM = [
    "What time do you open",
    "How do I change my address",
    "Is the app available in German",
    "Can I get a copy of the contract",
    "Thanks, all good now",
    "Which plan am I on",
    "Where can I find the manual",
    "Please update my phone number",
]


def _write(path: Path, texts: list[tuple[str, int]]) -> Path:
    lines = [HEADER] + [f'"{t}",en,{"negative" if m else "neutral"},0,0,0,0,0,0,0,{m},0' for t, m in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_split_train_and_evaluate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATION_PATHS__MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("ESCALATION_SENTIMENT__BACKEND", "torch")
    source = _write(
        tmp_path / "mine.csv",
        [(f"{t} ({i})", 1) for i in range(3) for t in MONEY]
        + [(f"{t} ({i})", 0) for i in range(3) for t in CALM],
    )
    runner = CliRunner()
    split = runner.invoke(
        split_labelled, [str(source), "--out", str(tmp_path / "split"), "--test-fraction", "0.25"]
    )
    assert split.exit_code == 0, split.output
    train, test = tmp_path / "split" / "mine.train.csv", tmp_path / "split" / "mine.test.csv"
    assert len(train.read_text().splitlines()) == 1 + 36 and len(test.read_text().splitlines()) == 1 + 12

    out = tmp_path / "head.json"
    trained = runner.invoke(train_signals, ["--data", str(train), "--test", str(test), "--out", str(out)])
    assert trained.exit_code == 0, trained.output
    head = load_signal_head(out)
    assert head.encoder_name == "all-MiniLM-L6-v2"
    assert head.card_["held_out"]["metrics"]["analysis"]["en"]["signals"]["financial_harm"]["support"] == 6
    assert "blorvex" not in out.read_text()  # the artefact holds no training text
    assert head.card_["phrases"] == load_lexicon().fingerprint  # the phrase files it was fitted beside

    monkeypatch.setenv("ESCALATION_TEXT__SIGNAL_HEAD_PATH", str(out))
    get_settings.cache_clear()  # the settings are read once; this run configures the new head
    report, errors = tmp_path / "figures.json", tmp_path / "errors.csv"
    # labelled with no signal, though the phrase files read a legal threat: a false alarm of theirs
    extra = tmp_path / "extra.csv"
    extra.write_text(f"{HEADER}\nWe will take you to court over this,en,,0,0,0,0,0,0,0,0,0\n",
                     encoding="utf-8")
    evaluated = runner.invoke(
        evaluate_text, [str(test), str(extra), "--json", str(report), "--errors", str(errors)]
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert "| financial_harm | 6 |" in evaluated.stdout and "phrases only P / R / F1" in evaluated.stdout
    figures = json.loads(report.read_text())
    assert set(figures) == {"phrases only", "analysis"}
    learned = figures["analysis"]["en"]["signals"]["financial_harm"]
    assert figures["phrases only"]["en"]["signals"]["financial_harm"]["recall"] == 0
    assert learned["recall"] >= 0.5 and learned["precision"] >= 0.5
    assert figures["analysis"]["en"]["sentiment"]["rows"] == 12
    # the disagreements file holds exactly the misses and false alarms the figures count
    with errors.open(encoding="utf-8-sig", newline="") as f:
        every = list(csv.DictReader(f))
    legal = [(r["file"], r["line"], r["kind"], r["found_by"], r["evidence"]) for r in every
             if r["what"] == "legal_threat"]
    assert legal == [("extra.csv", "2", "false alarm", "phrases", "court")]
    sentiments = [r for r in every if r["what"] == "sentiment"]
    assert sentiments
    assert all(r["labelled"] != r["found"] and r["file"] == "mine.test.csv" for r in sentiments)
    rows = [r for r in every if r["what"] == "financial_harm"]
    hits = round(learned["recall"] * learned["support"])
    assert sum(r["kind"] == "missed" for r in rows) == learned["support"] - hits
    assert sum(r["kind"] == "false alarm" for r in rows) == learned["predicted"] - hits
    assert all(r["file"] in {"mine.test.csv", "extra.csv"} and int(r["line"]) >= 2 for r in every)
    assert all("blorvex" in r["text"] for r in rows if r["kind"] == "missed")
    assert all(r["found_by"] == "model" for r in rows if r["kind"] == "false alarm")


def test_evaluate_text_names_a_bad_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text,insult\nhello,yes\n", encoding="utf-8")
    result = CliRunner().invoke(evaluate_text, [str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:2 [insult]: a signal is 0 or 1 (got 'yes')" in str(result.exception)


@pytest.mark.parametrize(("command", "option", "name"), [
    (split_labelled, "--out", "split"), (evaluate_text, "--json", "figures.json"),
    (evaluate_text, "--errors", "errors.csv")])
def test_an_output_under_a_file_is_refused_before_any_work(tmp_path: Path, command: click.Command,
                                                           option: str, name: str) -> None:
    labelled = _write(tmp_path / "mine.csv", [("Undo the blorvex please", 1), ("Which plan am I on", 0)])
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "afile" / name
    result = CliRunner().invoke(command, [str(labelled), option, str(out)])
    assert result.exit_code == 2
    assert f"Invalid value for {option}: {out} cannot be written (" in result.output


@pytest.mark.parametrize(("command", "option"), [(train_signals, "--C"), (split_labelled, "--test-fraction")])
def test_a_number_that_is_not_finite_is_a_usage_error_naming_the_option(
    tmp_path: Path, command: click.Command, option: str
) -> None:
    """FloatRange lets nan through (it compares false both ways): --C nan reached scikit-learn's
    InvalidParameterError traceback after the texts were embedded."""
    labelled = tmp_path / "mine.csv"
    labelled.write_text("text,lang\nhello,en\n", encoding="utf-8")
    args = ["--data", str(labelled)] if command is train_signals else [str(labelled), "--out", str(tmp_path)]
    result = CliRunner().invoke(command, [*args, option, "nan"])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': nan is not a finite number" in result.output
