"""The learned signal head: fit, thresholds, round trip through its JSON file, and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError, NotFoundError
from core.text import SignalName
from features.text.ngrams import DIM, ngram_buckets
from features.text.signal_head import LEARNED, PHRASES, SignalHead, load_signal_head, save_signal_head

MONEY = LEARNED.index(SignalName.FINANCIAL_HARM)


def _fitted() -> tuple[SignalHead, np.ndarray, list[np.ndarray], np.ndarray]:
    rng = np.random.default_rng(0)
    texts = [f"they took my money {i}" for i in range(20)] + [f"what time do you open {i}" for i in range(20)]
    E = rng.normal(size=(40, 8))
    buckets = [ngram_buckets(t) for t in texts]
    hits = np.zeros((40, len(PHRASES)))
    Y = np.zeros((40, len(LEARNED)))
    Y[:20, MONEY] = 1
    return SignalHead("hash-encoder", "0", C=4.0, folds=2).fit(E, buckets, hits, Y), E, buckets, hits


def test_learns_a_signal_and_keeps_the_rest_to_the_phrases() -> None:
    head, E, buckets, hits = _fitted()
    p = head.predict_proba(E, buckets, hits)
    assert (p[:20, MONEY] >= head.thresholds_[MONEY]).all() and (
        p[20:, MONEY] < head.thresholds_[MONEY]
    ).all()
    others = [j for j in range(len(LEARNED)) if j != MONEY]
    assert (head.thresholds_[others] > 1).all()  # no positives: the learned part never fires
    assert head.coef_ngram_.shape == (DIM, len(LEARNED))


def test_round_trip_keeps_outputs_and_version(tmp_path: Path) -> None:
    head, E, buckets, hits = _fitted()
    loaded = load_signal_head(save_signal_head(head, tmp_path / "h.json"))
    assert loaded.version_ == head.version_
    np.testing.assert_allclose(loaded.predict_proba(E, buckets, hits), head.predict_proba(E, buckets, hits))
    assert "took my money" not in (tmp_path / "h.json").read_text()


def test_a_hand_edited_or_foreign_file_is_refused(tmp_path: Path) -> None:
    head, *_ = _fitted()
    path = save_signal_head(head, tmp_path / "h.json")
    data = json.loads(path.read_text())
    data["thresholds"][MONEY] = 0.01
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="edited by hand"):
        load_signal_head(path)
    data["signals"] = data["signals"][:-1]
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="trained for other signals"):
        load_signal_head(path)
    with pytest.raises(NotFoundError, match="ESCALATION_TEXT__SIGNAL_HEAD_PATH"):
        load_signal_head(tmp_path / "missing.json")


def test_embeddings_of_another_width_are_refused() -> None:
    head, _, buckets, hits = _fitted()
    with pytest.raises(ValueError, match="expects \\(n, 8\\)"):
        head.predict_proba(np.zeros((40, 5)), buckets, hits)


def test_thresholds_can_be_chosen_on_the_rows_a_tuned_encoder_never_saw() -> None:
    """A fine-tuned encoder sets apart the positives it trained on more than those it meets later; a
    threshold chosen on every row is then too high for the messages it will meet (`threshold_rows`)."""
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    y = np.r_[np.arange(240) % 3 == 0, np.arange(120) % 3 == 0].astype(int)
    seen = np.r_[np.ones(240, dtype=bool), np.zeros(120, dtype=bool)]
    E = rng.normal(scale=0.5, size=(len(y), 8))
    E[:, 0] += np.where(seen, 3.0, 1.0) * y  # the seen positives stand far apart, the unseen ones less so
    E[:, 1] += np.where(seen, 0.0, 1.0)
    buckets = [np.array([], dtype=np.int64)] * len(y)
    hits = np.zeros((len(y), len(PHRASES)))
    Y = np.zeros((len(y), len(LEARNED)))
    Y[:, MONEY] = y
    every = SignalHead("hash-encoder", "0", C=4.0, folds=3).fit(E, buckets, hits, Y)
    unseen = SignalHead("hash-encoder", "0", C=4.0, folds=3).fit(E, buckets, hits, Y, threshold_rows=~seen)
    assert unseen.thresholds_[MONEY] < every.thresholds_[MONEY] - 0.2
    np.testing.assert_array_equal(unseen.coef_emb_, every.coef_emb_)  # the same weights: only thresholds

    def f1_unseen(head: SignalHead) -> float:
        p = head.predict_proba(E[~seen], buckets[:120], hits[~seen])[:, MONEY]
        return float(f1_score(y[~seen], p >= head.thresholds_[MONEY]))

    assert f1_unseen(unseen) > f1_unseen(every) + 0.02
    # too few positives among the rows: every row chooses, as before
    few = np.zeros(len(y), dtype=bool)
    few[[0, 1]] = True
    fallback = SignalHead("hash-encoder", "0", C=4.0, folds=3).fit(E, buckets, hits, Y, threshold_rows=few)
    assert fallback.thresholds_[MONEY] == every.thresholds_[MONEY]
