"""The fine-tuning's validation share: drawn by a salted hash, so it is as large as asked from the training
part of a `split-labelled` split (whose held-out rows are the lowest unsalted hashes)."""

from __future__ import annotations

import math

import pandas as pd

from training.encoder.tune import EpochReport, best_epoch, held_back
from training.signals.data import SIGNALS, split_holdout, text_hash


def _frame(n: int) -> pd.DataFrame:
    signals = dict.fromkeys(SIGNALS, 0)
    rows = [
        {"text": f"my order {i} never came", "lang": "en", "sentiment": "negative", "file": "a.csv"}
        for i in range(n)
    ]
    return pd.DataFrame([{**row, **signals} for row in rows])


def test_the_validation_share_of_a_split_training_part_is_as_large_as_asked() -> None:
    train, _ = split_holdout(_frame(800), 0.25)
    unsalted = train.text.map(text_hash).to_numpy() < 0.15
    assert unsalted.sum() == 0  # the rule before: every low unsalted hash was already held out
    share = held_back(train.text, 0.15).mean()
    assert 0.11 < share < 0.19  # 600 rows: a binomial share of 0.15 lies well inside this


def test_the_validation_share_depends_on_the_text_only() -> None:
    texts = pd.Series([f"Zweimal abgebucht {i}" for i in range(200)])
    first = held_back(texts, 0.3)
    again = held_back(texts[::-1].reset_index(drop=True), 0.3)[::-1]
    assert (first == again).all() and 0 < first.sum() < 200
    assert text_hash("x", "salt") != text_hash("x")


def report(epoch: int, signals: float, **sentiment: float) -> EpochReport:
    return EpochReport(epoch, 0.0, 0.0, {} if math.isnan(signals) else {"insult": signals}, dict(sentiment))


def test_the_best_epoch_weighs_signals_and_each_languages_sentiment_alike() -> None:
    reports = [
        report(1, 0.40, en=0.70, de=0.50),  # 0.533
        report(2, 0.55, en=0.80, de=0.66),  # 0.670: the best
        report(3, 0.60, en=0.78, de=0.60),  # 0.660: better signals, worse sentiment
        report(4, 0.55, en=0.80, de=0.66),  # as good as 2, later
    ]
    assert best_epoch(reports) == 2
    assert best_epoch(reports[2:]) == 4
    # an epoch where no signal had enough cases to measure is scored on sentiment alone
    assert report(5, float("nan"), en=0.9).score == 0.9
