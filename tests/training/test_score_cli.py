"""`escalation score-batch`: options checked before the history is read and scored."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from core.cli import cli
from core.errors import ConfigError
from features.history import load_history
from rules import load_policies
from tests.serving.conftest import make_model
from training.fit import BoostParams
from training.targets import parse_target
from training.train import TrainConfig, train_model

from .conftest import first_tickets_of_sample


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


def test_an_out_of_an_unknown_file_type_stops_before_scoring_naming_the_accepted_ones(tmp_path: Path) -> None:
    """`--out scores.txt` was written as Parquet under a name that said text."""
    out = tmp_path / "scores.txt"
    model = make_model().save(tmp_path / "model.json")
    args = ["score-batch", "data/sample", "--at", "2026-10-20T12:00:00Z", "--out", str(out), "--no-text",
            "--no-progress", "--model", str(model)]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception) == (f"--out {out}: unsupported file type .txt; use .parquet, .csv or .jsonl "
                                     "(the format follows the suffix)")
    assert not out.exists()


def test_the_out_suffix_chooses_the_format(tmp_path: Path) -> None:
    model = make_model().save(tmp_path / "model.json")
    written = {}
    for suffix in (".parquet", ".csv", ".jsonl"):
        out = tmp_path / f"scores{suffix}"
        args = ["score-batch", "data/sample", "--at", "2026-10-20T12:00:00Z", "--out", str(out), "--no-text",
                "--no-progress", "--model", str(model)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        written[suffix] = out
    parquet = pd.read_parquet(written[".parquet"])
    csv = pd.read_csv(written[".csv"])
    jsonl = pd.read_json(written[".jsonl"], lines=True)
    assert len(parquet) > 0 and list(csv.columns) == list(jsonl.columns) == list(parquet.columns)
    assert csv["ticket_id"].tolist() == jsonl["ticket_id"].tolist() == parquet["ticket_id"].tolist()
    assert csv["risk"].tolist() == parquet["risk"].tolist()
    assert jsonl["reasons"].tolist() == parquet["reasons"].tolist() == csv["reasons"].tolist()
    first = written[".jsonl"].read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first)["at"] == "2026-10-20T12:00:00Z"


def test_a_model_trained_with_text_is_not_scored_without_it(tmp_path: Path) -> None:
    """`--no-text` with a model trained on the text analyses wrote risks computed with its text features
    missing: scores no served model would give, silently."""
    model = make_model()
    model.metadata = replace(model.metadata, text_analyses="0f3a9c")  # the hash of the analyses it used
    path = model.save(tmp_path / "model.json")
    out = tmp_path / "scores.parquet"
    args = ["score-batch", "data/sample", "--at", "2026-10-20T12:00:00Z", "--out", str(out), "--no-text",
            "--no-progress", "--model", str(path)]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception) == (
        f"--no-text: the model {path} was trained on the text analyses; without them its text features are "
        "missing and the figures are not those of the model served: leave --no-text out")
    assert not out.exists()


def test_a_model_trained_without_text_is_scored_without_analysing_the_messages(tmp_path: Path) -> None:
    """Such a model never split on the text columns, yet every open ticket's messages went through the
    encoder first (36 s for 34 tickets on the shared machine; minutes at scale) for the same scores."""
    model = make_model()
    model.metadata = replace(model.metadata, text_analyses=None)  # what training keeps for --no-text
    path = model.save(tmp_path / "model.json")
    cache = tmp_path / "analyses.sqlite"
    out = tmp_path / "s.parquet"
    args = ["score-batch", "data/sample", "--at", "2026-10-20T12:00:00Z", "--out", str(out), "--no-progress",
            "--model", str(path), "--text-cache", str(cache)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert not cache.exists()  # no message was analysed


def test_a_history_without_a_ticket_column_the_model_was_trained_on_is_named(tmp_path: Path) -> None:
    """A model trained with --ticket-feature region, scored on an export without that column: a KeyError
    traceback ('region') from the scoring of the rows."""
    folder = first_tickets_of_sample(tmp_path / "history", 400)
    history = load_history(folder)
    config = TrainConfig(parse_target(), params=BoostParams(num_boost_round=300, num_threads=2), workers=1,
                         ticket_features=("region",))
    path = train_model(history, config, load_policies()).model.save(tmp_path / "model.json")
    tickets = pd.read_csv(folder / "tickets.csv", dtype=str, keep_default_na=False)
    tickets.drop(columns=["region"]).to_csv(folder / "tickets.csv", index=False)
    args = ["score-batch", str(folder), "--at", "2026-05-20T12:00:00Z", "--out", str(tmp_path / "s.parquet"),
            "--no-text", "--no-progress", "--model", str(path)]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, ConfigError), result.output
    assert str(result.exception).startswith(
        f"the model {path} was trained on the ticket column region, which the tickets of {folder} lack "
        "(their columns: ticket_id, created_at, ")
