from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError, NotFoundError
from features.sentiment.head import SentimentHead, load_head, save_head


def _data(n: int = 90, dim: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.array(["negative", "neutral", "positive"] * (n // 3))
    centres = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
    X = rng.normal(size=(n, dim)) * 0.5 + np.array([centres[label] for label in y])[:, None]
    return X, y


def _fitted() -> SentimentHead:
    X, y = _data()
    return SentimentHead("hash-encoder", "0", C=1.0, random_state=0).fit(X, y)


def test_init_stores_parameters_only() -> None:
    head = SentimentHead("enc", "1", C=0.5, class_weight=None, max_iter=10, random_state=3)
    assert (head.C, head.class_weight, head.max_iter, head.random_state) == (0.5, None, 10, 3)
    assert not hasattr(head, "coef_")


def test_fit_returns_self_and_learns_the_labels() -> None:
    X, y = _data()
    head = SentimentHead("enc", "1")
    assert head.fit(X, y) is head
    assert head.classes_ == ["negative", "neutral", "positive"]
    assert head.coef_.shape == (3, 8) and head.intercept_.shape == (3,)
    predicted = np.asarray(head.classes_)[head.predict_proba(X).argmax(axis=1)]
    assert (predicted == y).mean() > 0.9


def test_probabilities_match_scikit_learn() -> None:
    from sklearn.linear_model import LogisticRegression

    X, y = _data()
    head = SentimentHead("enc", "1", C=0.7).fit(X, y)
    reference = LogisticRegression(C=0.7, class_weight="balanced", max_iter=2000, random_state=0).fit(X, y)
    np.testing.assert_allclose(head.predict_proba(X), reference.predict_proba(X), atol=1e-9)


def test_round_trip_keeps_outputs_version_and_card(tmp_path: Path) -> None:
    head = _fitted()
    head.card_ = {"metrics": {"all": {"macro_f1": 0.5}}}
    loaded = load_head(save_head(head, tmp_path / "sub" / "head.json"))
    X, _ = _data(seed=1)
    np.testing.assert_array_equal(loaded.predict_proba(X), head.predict_proba(X))
    assert loaded.version_ == head.version_ and loaded.version_.startswith("sentiment-head-")
    assert (loaded.encoder_name, loaded.encoder_version, loaded.card_) == ("hash-encoder", "0", head.card_)


def test_version_changes_with_the_weights() -> None:
    head = _fitted()
    before = head.version_
    head.coef_ = head.coef_ + 1e-6
    assert head.version_ != before


def test_a_hand_edited_file_is_refused(tmp_path: Path) -> None:
    path = save_head(_fitted(), tmp_path / "head.json")
    data = json.loads(path.read_text())
    data["intercept"][0] += 1.0
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="edited by hand"):
        load_head(path)


def test_missing_and_malformed_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="ESCALATION_SENTIMENT__HEAD_PATH"):
        load_head(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format_version": 1, "classes": []}))
    with pytest.raises(ConfigError, match=r"malformed.*train-sentiment"):
        load_head(bad)
    bad.write_text(json.dumps({"format_version": 99}))
    with pytest.raises(ConfigError, match="format_version 99"):
        load_head(bad)


def test_wrong_embedding_width_and_unfitted_head_are_refused() -> None:
    with pytest.raises(ValueError, match="expects \\(n, 8\\)"):
        _fitted().predict_proba(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="not fitted"):
        SentimentHead("enc", "1").predict_proba(np.zeros((2, 8)))


def test_unknown_labels_are_refused() -> None:
    X, _ = _data(n=6)
    with pytest.raises(ValueError, match="unknown sentiment labels \\['angry'\\]"):
        SentimentHead("enc", "1").fit(X, ["angry", "positive"] * 3)


def test_two_labels_give_two_columns() -> None:
    X, y = _data()
    keep = y != "neutral"
    head = SentimentHead("enc", "1").fit(X[keep], y[keep])
    probabilities = head.predict_proba(X)
    assert probabilities.shape == (90, 2)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)


def _with_ngrams() -> tuple[SentimentHead, np.ndarray, list[np.ndarray], list[str]]:
    from features.text.ngrams import ngram_buckets

    X, y = _data()
    words = {"negative": "awful refund missing", "neutral": "invoice question", "positive": "thanks great"}
    texts = [f"{words[label]} {i}" for i, label in enumerate(y)]
    buckets = [ngram_buckets(t) for t in texts]
    langs = ["en", "de"] * (len(y) // 2)
    head = SentimentHead("hash-encoder", "0", C=1.0, ngrams=True, folds=3).fit(X, y, buckets, langs)
    return head, X, buckets, langs


def test_format_2_reads_ngrams_and_language_offsets_and_round_trips(tmp_path: Path) -> None:
    head, X, buckets, langs = _with_ngrams()
    assert head.uses_ngrams and head.ngram_coef_ is not None and set(head.offsets_) <= {"en", "de"}
    loaded = load_head(save_head(head, tmp_path / "head.json"))
    assert loaded.version_ == head.version_ and loaded.offsets_ == head.offsets_
    np.testing.assert_allclose(loaded.predict_proba(X, buckets, langs), head.predict_proba(X, buckets, langs))
    with pytest.raises(ValueError, match="reads n-grams too"):
        loaded.predict_proba(X)


def test_offsets_move_only_their_language() -> None:
    head, X, buckets, _ = _with_ngrams()
    head.offsets_ = {"de": [1.5, 0.0, -1.5]}
    plain = head.predict_proba(X[:2], buckets[:2], ["en", "en"])
    shifted = head.predict_proba(X[:2], buckets[:2], ["de", "en"])
    assert shifted[0, 0] > plain[0, 0] and shifted[0, 2] < plain[0, 2]
    np.testing.assert_allclose(shifted[1], plain[1])


def test_a_format_1_head_still_loads(tmp_path: Path) -> None:
    path = save_head(_fitted(), tmp_path / "v1.json")
    data = json.loads(path.read_text())
    data["format_version"] = 1
    for key in ("ngram_coef", "offsets"):
        data.pop(key)
    path.write_text(json.dumps(data))
    loaded = load_head(path)
    assert not loaded.uses_ngrams and loaded.version_ == _fitted().version_


def _with_network() -> tuple[SentimentHead, np.ndarray, np.ndarray]:
    X, y = _data(n=150)
    return SentimentHead("hash-encoder", "0", C=1.0, hidden=16).fit(X, y), X, y


def test_format_3_averages_the_regression_and_the_network() -> None:
    from sklearn.linear_model import LogisticRegression

    head, X, y = _with_network()
    assert head.network_ is not None
    assert head.network_.w1.shape == (8, 16) and head.network_.w2.shape == (16, 3)
    regression = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=0).fit(X, y)
    log_p = (np.log(regression.predict_proba(X)) + _log_softmax(head.network_.logits(X))) / 2
    expected = np.exp(log_p) / np.exp(log_p).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(head.predict_proba(X), expected, atol=1e-9)
    predicted = np.asarray(head.classes_)[head.predict_proba(X).argmax(axis=1)]
    assert (predicted == y).mean() > 0.9
    without = SentimentHead("hash-encoder", "0", C=1.0).fit(X, y)
    assert not np.allclose(head.predict_proba(X), without.predict_proba(X))
    assert head.version_ != without.version_


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def test_format_3_round_trips_its_network_and_format_2_files_load_without_one(tmp_path: Path) -> None:
    head, X, _ = _with_network()
    path = save_head(head, tmp_path / "head.json")
    assert json.loads(path.read_text())["format_version"] == 3
    loaded = load_head(path)
    assert loaded.network_ is not None and loaded.hidden == 16 and loaded.version_ == head.version_
    np.testing.assert_array_equal(loaded.predict_proba(X), head.predict_proba(X))
    data = json.loads(save_head(_fitted(), tmp_path / "v2.json").read_text())
    data["format_version"] = 2
    data.pop("network")
    (tmp_path / "v2.json").write_text(json.dumps(data))
    assert load_head(tmp_path / "v2.json").network_ is None


def test_a_network_of_the_wrong_shape_is_refused(tmp_path: Path) -> None:
    head, _, _ = _with_network()
    path = save_head(head, tmp_path / "head.json")
    data = json.loads(path.read_text())
    data["network"]["w2"] = data["network"]["w1"]  # (8, 16) where (16, 3) belongs
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match=r"network weights of shapes .*expected \(8, H\)"):
        load_head(path)


def test_two_labels_fit_no_network() -> None:
    X, y = _data()
    keep = y != "neutral"
    head = SentimentHead("enc", "1", hidden=16).fit(X[keep], y[keep])
    assert head.network_ is None and head.predict_proba(X).shape == (90, 2)


def test_the_ngram_spelling_travels_with_the_file_and_an_older_one_reads_as_written(tmp_path: Path) -> None:
    from features.text.ngrams import NgramSpelling

    head, *_ = _with_ngrams()
    assert head.ngram_spelling is NgramSpelling.SPELLED_OUT
    loaded = load_head(save_head(head, tmp_path / "head.json"))
    assert loaded.ngram_spelling is NgramSpelling.SPELLED_OUT and loaded.version_ == head.version_
    head.ngram_spelling = NgramSpelling.AS_WRITTEN
    assert head.version_ != loaded.version_
    data = json.loads(save_head(head, tmp_path / "old.json").read_text())
    del data["params"]["ngram_spelling"]  # written before the spelling was recorded
    (tmp_path / "old.json").write_text(json.dumps(data))
    old = load_head(tmp_path / "old.json")
    assert old.ngram_spelling is NgramSpelling.AS_WRITTEN and old.version_ == head.version_
