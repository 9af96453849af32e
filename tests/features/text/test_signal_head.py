"""The learned signal head: fit, thresholds, round trip through its JSON file, and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError, NotFoundError
from core.text import SignalName
from features.text.ngrams import DIM, NgramSpelling, ngram_buckets
from features.text.signal_head import (
    LEARNED,
    PHRASES,
    SignalHead,
    load_signal_head,
    phrase_floor,
    save_signal_head,
)

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


def test_the_phrase_floor_is_the_lowest_that_gives_the_best_f1() -> None:
    y = np.array([True, True, False, False])
    p = np.array([0.9, 0.8, 0.1, 0.05])
    precise = np.array([True, True, False, False])
    over_firing = np.array([True, True, True, False])  # row 2: a phrase match without the signal
    assert phrase_floor(y, p, precise, 0.5) == 0.0  # nothing to overrule: every match stands
    assert phrase_floor(y, p, over_firing, 0.5) == 0.125  # a quarter of the threshold drops row 2 alone
    # a true match the head doubts (row 1 at 0.3) is kept: the floor stops under it
    assert phrase_floor(y, np.array([0.9, 0.3, 0.1, 0.05]), over_firing, 0.5) == 0.125


def test_fit_overrules_a_phrase_only_where_it_over_fires() -> None:
    rng = np.random.default_rng(0)
    texts = [f"they took my money {i}" for i in range(20)] + [f"what time do you open {i}" for i in range(20)]
    E, buckets = rng.normal(size=(40, 8)), [ngram_buckets(t) for t in texts]
    hits = np.zeros((40, len(PHRASES)))
    hits[:, PHRASES.index(SignalName.FINANCIAL_HARM)] = 1  # matches the 20 opening-hours questions too
    Y = np.zeros((40, len(LEARNED)))
    Y[:20, MONEY] = 1
    head = SignalHead("hash-encoder", "0", C=4.0, folds=2).fit(E, buckets, hits, Y)
    assert 0 < head.phrase_floors_[MONEY] <= head.thresholds_[MONEY] / 2
    p = head.predict_proba(E, buckets, hits)[:, MONEY]
    assert (p[20:] < head.phrase_floors_[MONEY]).all() and (p[:20] >= head.phrase_floors_[MONEY]).all()
    others = [j for j in range(len(LEARNED)) if j != MONEY]
    assert (head.phrase_floors_[others] == 0).all()  # too few positives: their phrases stand


def test_floors_travel_with_the_file_and_a_head_from_before_them_keeps_every_match(tmp_path: Path) -> None:
    head, *_ = _fitted()
    plain_version = head.version_
    head.phrase_floors_[MONEY] = 0.2
    assert head.version_ != plain_version  # the floors are part of what the version names
    loaded = load_signal_head(save_signal_head(head, tmp_path / "h.json"))
    assert loaded.phrase_floors_[MONEY] == 0.2 and loaded.version_ == head.version_
    head.phrase_floors_[:] = 0
    data = json.loads(save_signal_head(head, tmp_path / "old.json").read_text())
    del data["phrase_floors"]  # a file written before floors existed
    (tmp_path / "old.json").write_text(json.dumps(data))
    old = load_signal_head(tmp_path / "old.json")
    assert not old.phrase_floors_.any() and old.version_ == plain_version


def test_a_head_reads_the_ngrams_as_it_was_trained_and_one_from_before_reads_them_as_written(
    tmp_path: Path,
) -> None:
    head, *_ = _fitted()
    assert head.ngram_spelling is NgramSpelling.SPELLED_OUT  # what a new head is trained on
    loaded = load_signal_head(save_signal_head(head, tmp_path / "h.json"))
    assert loaded.ngram_spelling is NgramSpelling.SPELLED_OUT and loaded.version_ == head.version_
    head.ngram_spelling = NgramSpelling.AS_WRITTEN
    written_version = head.version_
    assert written_version != loaded.version_  # the reading is part of what the version names
    data = json.loads(save_signal_head(head, tmp_path / "old.json").read_text())
    del data["params"]["ngram_spelling"]  # a file written before the spelling was recorded
    (tmp_path / "old.json").write_text(json.dumps(data))
    old = load_signal_head(tmp_path / "old.json")
    assert old.ngram_spelling is NgramSpelling.AS_WRITTEN and old.version_ == written_version
