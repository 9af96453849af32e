"""The committed heads and their held-out metrics (made by the commands in assets/MODEL_CARD.md). Floors sit a
little under what was measured, so a retrained head that is clearly worse fails here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from features.sentiment import load_head
from features.sentiment.loading import ASSETS_DIR

# (metrics file, backend, language) -> (macro-F1 floor, ROC-AUC negative-vs-rest floor)
FLOORS = {
    # format 2 (embedding + n-grams + offsets), measured en 0.781 / 0.940, de 0.657 / 0.860, no 0.625 / 0.804
    ("head-e5", "e5onnx", "en"): (0.76, 0.92),
    ("head-e5", "e5onnx", "de"): (0.63, 0.84),
    ("head-e5", "e5onnx", "no"): (0.60, 0.78),
    # the fine-tuned encoder's head (the default): en 0.792 / 0.943, de 0.661 / 0.864, no 0.647 / 0.819
    ("head-e5-tuned", "e5onnx-tuned", "en"): (0.77, 0.93),
    ("head-e5-tuned", "e5onnx-tuned", "de"): (0.64, 0.85),
    ("head-e5-tuned", "e5onnx-tuned", "no"): (0.62, 0.80),
    ("head-e5-l8", "e5onnx-l8", "en"): (0.72, 0.91),
    ("head-e5-l8", "e5onnx-l8", "de"): (0.53, 0.78),
    ("head-e5-l8", "e5onnx-l8", "no"): (0.53, 0.74),
    ("head-minilm", "onnx", "en"): (0.70, 0.89),
    ("head-minilm", "torch", "en"): (0.70, 0.89),
    # MiniLM is English-centric: German and Norwegian only guard against getting worse still.
    ("head-minilm", "onnx", "de"): (0.44, 0.66),
    ("head-minilm", "onnx", "no"): (0.34, 0.61),
}


def _metrics(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((ASSETS_DIR / f"{name}.metrics.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "backend", "lang"), sorted(FLOORS))
def test_held_out_metrics_meet_the_floor(name: str, backend: str, lang: str) -> None:
    measured = _metrics(name)["metrics"][backend][lang]
    f1_floor, auc_floor = FLOORS[(name, backend, lang)]
    assert measured["macro_f1"] >= f1_floor and measured["auc_negative"] >= auc_floor, measured
    assert measured["rows"] >= 1000  # a floor on a handful of rows would mean nothing


@pytest.mark.parametrize("name", ["head-e5", "head-e5-tuned", "head-e5-l8", "head-minilm"])
def test_metrics_belong_to_the_committed_head(name: str) -> None:
    head = load_head(ASSETS_DIR / f"{name}.json")
    assert _metrics(name)["head"] == head.version_
    assert head.card_["metrics"] == _metrics(name)["metrics"]
    if head.uses_ngrams:  # format 2: trained on the training part of every labelled set (split-labelled)
        parts = ("en_train", "de_train", "no_train", "no_dev", "en_support_tweets", "de_written",
                 "no_written")
        expected = {f"{part}.train.csv" for part in parts}
    else:
        expected = {"en_train.csv", "de_train.csv", "no_train.csv"}
    assert {d["file"] for d in head.card_["data"]} == expected


@pytest.mark.parametrize("name", ["head-e5", "head-e5-tuned", "head-e5-l8", "head-minilm"])
def test_model_card_gives_the_command_and_licences(name: str) -> None:
    card = (ASSETS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    command = load_head(ASSETS_DIR / f"{name}.json").card_["command"]
    assert command in card
    for licence in ("CC BY-NC-SA 4.0", "CC BY-NC 4.0"):
        assert licence in card


def test_assets_are_small() -> None:
    sizes = {p.name: p.stat().st_size for p in Path(ASSETS_DIR).iterdir()}
    # A head with n-grams carries a float16 table of 2^16 buckets x 3 labels (~0.5 MB); the rest stay small.
    # The fine-tuned encoder's adapter: float16 low-rank matrices of 4 layers (~0.8 MB).
    ngram_heads = {p.name for p in Path(ASSETS_DIR).glob("*.json") if '"ngram_coef": {' in p.read_text()}
    large = ngram_heads | {"e5-adapter.npz"}
    assert all(size < (1_000_000 if name in large else 100_000) for name, size in sizes.items()), sizes
