"""`tune-encoder` end to end on a small hand-written set: it learns (the validation loss falls and the adapter
moves the embedding), writes an adapter whose card holds no text, and the e5onnx-tuned backend serves it as
its own encoder (its own name and version, so heads of the base model refuse it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from features.sentiment.e5_adapter import load_adapter
from features.sentiment.loading import make_encoder
from training.encoder.cli import tune_encoder
from training.encoder.tune import VALIDATION_SALT

HEADER = (
    "text,lang,sentiment,manager_request,churn_threat,legal_threat,public_threat,insult,shouting,"
    "repeated_contact,financial_harm,urgency"
)
MONEY = [
    "You took the money twice",
    "Zweimal abgebucht, Geld zurück",
    "Trukket to ganger fra kontoen",
    "Where is my refund",
    "Charged again for nothing",
    "Ich will mein Geld zurück",
]
CALM = [
    "What time do you open",
    "Wie ändere ich meine Adresse",
    "Hvor finner jeg manualen",
    "Thanks, all good now",
    "Danke, alles gut",
    "Takk, det funker",
]


@pytest.mark.slow
def test_tuning_writes_an_adapter_the_tuned_backend_serves(tmp_path: Path) -> None:
    rows = [HEADER] + [f'"{t} {i}",,negative,0,0,0,0,0,0,0,1,0' for i in range(4) for t in MONEY]
    rows += [f'"{t} {i}",,positive,0,0,0,0,0,0,0,0,0' for i in range(4) for t in CALM]
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sentiment_only = tmp_path / "sentiment.csv"
    sentiment_only.write_text(
        "text,sentiment,lang\n"
        + "".join(
            f'"{t} extra {i}",{"negative" if t in MONEY else "positive"},\n'
            for i in range(3)
            for t in MONEY + CALM
        ),
        encoding="utf-8",
    )
    held_out = tmp_path / "held.csv"
    held_out.write_text(f'{HEADER}\n"{MONEY[0]} 0",,negative,0,0,0,0,0,0,0,1,0\n', encoding="utf-8")
    out = tmp_path / "adapter.npz"
    result = CliRunner().invoke(
        tune_encoder,
        [
            "--data",
            str(labelled),
            "--data",
            str(sentiment_only),
            "--exclude",
            str(held_out),
            "--max-sentiment-rows",
            "10",
            "--out",
            str(out),
            "--layers",
            "1",
            "--rank",
            "2",
            "--epochs",
            "3",
            "--learning-rate",
            "0.01",
            "--keep",
            "best",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "47 rows with signal labels, 10 with sentiment only" in result.output  # one held out, 10 drawn
    assert "epoch 3/3" in result.output
    validating = r"validating on \d+ rows never trained on \([1-9]\d* with signal labels\)"
    assert re.search(validating, result.output)
    adapter = load_adapter(out)
    assert adapter.layers == (11,)
    card_text = json.dumps(adapter.card)
    assert "twice" not in card_text and "labelled.csv" in card_text  # files named and hashed, no text
    losses = [epoch["loss"] for epoch in adapter.card["validation"]]
    assert adapter.card["held_back"] == {"salt": VALIDATION_SALT, "fraction": 0.15}  # the rows no epoch saw
    assert losses[-1] < losses[0]
    # the adapters written are those of the epoch with the best validation score, and the card says which
    config = adapter.card["config"]
    scores = [
        np.mean([np.mean(list(e["signals"].values())) if e["signals"] else np.nan, *e["sentiment"].values()])
        for e in adapter.card["validation"]
    ]
    finite = [s if np.isfinite(s) else -np.inf for s in scores]
    assert config["keep"] == "best" and config["kept_epoch"] == 1 + int(np.argmax(finite))
    assert f"kept the adapters of epoch {config['kept_epoch']}" in result.output
    assert adapter.card["command"].endswith("--keep best")
    assert any(np.abs(b).max() > 0 for b in adapter.B.values())  # B starts at zero: it learned

    base = make_encoder("e5onnx", tmp_path / "models")
    tuned = make_encoder("e5onnx-tuned", tmp_path / "models", adapter_path=out)
    assert tuned.name == "multilingual-e5-small-q4-tuned" and tuned.version.endswith(adapter.tag)
    a, b = base.encode([MONEY[1]]), tuned.encode([MONEY[1]])
    assert float((a * b).sum()) < 0.9999  # the tuned encoder embeds differently
