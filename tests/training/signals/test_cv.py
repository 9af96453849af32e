"""Cross-validating the signal head as it is served: out-of-fold probabilities, thresholds and phrase floors
chosen on the other folds, phrase vetoes respected, macro-F1 per file over the signals with enough cases."""

from __future__ import annotations

import numpy as np

from core.text import SignalName
from features.text.ngrams import ngram_buckets
from features.text.signal_head import LEARNED, PHRASES, design_matrix
from training.signals.cv import cross_fitted, fold_ids, macro_f1, out_of_fold, served

MONEY_L = LEARNED.index(SignalName.FINANCIAL_HARM)
MONEY_P = PHRASES.index(SignalName.FINANCIAL_HARM)
SHOUT_P = PHRASES.index(SignalName.SHOUTING)


def _data(n: int = 40) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    texts = [f"they took my money {i}" for i in range(n // 2)] + [
        f"when do you open {i}" for i in range(n // 2)
    ]
    E = rng.normal(size=(n, 8)) * 0.01
    Y = np.zeros((n, len(LEARNED)))
    Y[: n // 2, MONEY_L] = 1
    return E, [ngram_buckets(t) for t in texts], np.zeros((n, len(PHRASES))), Y


def test_folds_are_fixed_by_the_seed_and_cover_every_row() -> None:
    a, b, c = fold_ids(50, 5, 1), fold_ids(50, 5, 1), fold_ids(50, 5, 2)
    assert (a == b).all() and not (a == c).all()
    assert sorted(np.bincount(a).tolist()) == [10] * 5


def test_out_of_fold_learns_a_signal_and_thresholds_come_from_the_other_folds() -> None:
    E, buckets, hits, Y = _data()
    folds = fold_ids(len(Y), 4, 0)
    P = out_of_fold(E, buckets, hits, Y, folds, C=4.0, phrase_weight=2.0)
    assert P.shape == Y.shape
    assert P[:20, MONEY_L].min() > P[20:, MONEY_L].max()  # words seen only in other folds' rows
    found, stands = cross_fitted(P, Y, folds, hits)
    assert (found[:, MONEY_L] == Y[:, MONEY_L].astype(bool)).all()
    assert not found[:, [j for j in range(len(LEARNED)) if j != MONEY_L]].any()  # no positives, none found
    assert stands.all()  # no phrase matched: nothing to overrule, so every floor stays 0


def test_a_phrase_that_over_fires_is_overruled_in_the_folds_it_did_not_choose() -> None:
    E, buckets, hits, Y = _data()
    hits[:, MONEY_P] = 1  # a phrase that matches every row, the 20 without money taken too
    folds = fold_ids(len(Y), 4, 0)
    # C 16: sure enough of the 20 that their P falls under half the (lowest best-F1) threshold
    P = out_of_fold(E, buckets, hits, Y, folds, C=16.0, phrase_weight=2.0)
    learned, stands = cross_fitted(P, Y, folds, hits)
    vetoed = np.zeros_like(hits, dtype=bool)
    every_match = served(learned, hits.astype(bool), vetoed)
    floors = served(learned, hits.astype(bool), vetoed, stands)
    assert every_match[:, MONEY_P].all()  # the phrase alone: 20 false alarms
    assert (floors[:, MONEY_P] == Y[:, MONEY_L].astype(bool)).all()  # the head overrules them


def test_served_keeps_phrases_and_never_adds_back_a_vetoed_signal() -> None:
    learned = np.zeros((3, len(LEARNED)), dtype=bool)
    learned[:, MONEY_L] = True  # the head says money on every row
    phrases = np.zeros((3, len(PHRASES)), dtype=bool)
    phrases[2, SHOUT_P] = True
    vetoed = np.zeros_like(phrases)
    vetoed[1, MONEY_P] = True  # "my card was not charged twice"
    out = served(learned, phrases, vetoed)
    assert out[:, MONEY_P].tolist() == [True, False, True]
    assert out[:, SHOUT_P].tolist() == [False, False, True]  # shouting: the rule only
    phrases[:, MONEY_P] = True
    learned[:, MONEY_L] = False
    stands = np.ones((3, len(LEARNED)), dtype=bool)
    stands[0, MONEY_L] = False  # the head gives row 0's phrase match less than the floor
    out = served(learned, phrases, vetoed, stands)
    assert out[:, MONEY_P].tolist() == [False, True, True]
    assert out[:, SHOUT_P].tolist() == [False, False, True]  # shouting has no floor


def test_macro_f1_counts_per_file_only_signals_with_five_cases() -> None:
    truth = np.zeros((12, len(PHRASES)), dtype=bool)
    truth[:6, MONEY_P] = True  # file a: 6 money cases
    truth[:2, SHOUT_P] = True  # 2 shouting cases: too few to count
    found = truth.copy()
    found[:3, MONEY_P] = False  # half the money found: F1 2/3
    found[:2, SHOUT_P] = False
    figures = macro_f1(truth, found, ["a"] * 10 + ["b"] * 2)
    macro, per = figures["a"]
    assert per == {"financial_harm": 2 / 3} and macro == 2 / 3
    assert figures["b"] == (None, {})


def test_design_matrix_is_what_fit_reads() -> None:
    E, buckets, hits, _ = _data(4)
    hits[0, MONEY_P] = 1
    X = design_matrix(E, buckets, hits, 3.0)
    assert X.shape == (4, E.shape[1] + 2**16 + len(PHRASES))
    assert X[0, E.shape[1] + 2**16 + MONEY_P] == 3.0
    np.testing.assert_allclose(X[:, : E.shape[1]].toarray(), E, atol=1e-7)
