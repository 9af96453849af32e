"""The trained sentiment head: multinomial logistic regression on the pooled, normalised embedding and,
from format 2 on, the message's hashed n-grams (features/text/ngrams.py), with an offset per language and
label chosen by cross-validation on the training rows (best macro-F1 in each language: the languages' data
have different label shares, and one argmax rule called many angry German messages neutral). From format 3
on, a small network (one hidden layer of ReLUs) on the embedding may sit beside the regression: the two
models' log-probabilities are averaged before the offsets (cross-validated on the training rows: +0.006 en,
+0.002 de, +0.013 no macro-F1 over the regression alone; docs/sentiment.md).

It travels as a small JSON file (coefficients, intercept, classes, the encoder it was trained on, a content
hash as its version, and a card with the training data's fingerprint and held-out metrics), never a pickle:
it loads without scikit-learn and cannot run code."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError, NotFoundError
from core.text import SentimentLabel
from features.text.ngrams import DIM, BucketIds, NgramSpelling, ngram_matrix, ngram_scores
from features.text.weights import PackedArray, pack, unpack

FORMAT_VERSION = 3
READS = (1, 2, 3)  # format 1: embedding only, no offsets; format 2: no network
OFFSET_GRID = np.linspace(-1.5, 1.5, 13)
LABELS = tuple(label.value for label in SentimentLabel)
Rows = npt.NDArray[np.intp]  # row positions of a cross-validation fold


class SentimentHead:
    """Estimator contract: `__init__` stores parameters, `fit` learns `coef_`, `intercept_`, `classes_`."""

    network_: Network | None = None  # the network beside the regression, when fitted with `hidden` (format 3)

    def __init__(
        self,
        encoder_name: str,
        encoder_version: str,
        C: float = 1.0,
        class_weight: str | None = "balanced",
        max_iter: int = 2000,
        random_state: int = 0,
        ngrams: bool = False,
        folds: int = 3,
        hidden: int = 0,
        ngram_spelling: NgramSpelling = NgramSpelling.SPELLED_OUT,
    ) -> None:
        self.encoder_name = encoder_name
        self.encoder_version = encoder_version
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state
        self.ngrams = ngrams  # also read the hashed n-grams (format 2)
        self.folds = folds  # cross-validation folds for the per-language offsets; 0: none
        self.hidden = hidden  # ReLUs of the network beside the regression (three labels only); 0: none
        self.ngram_spelling = ngram_spelling  # how the buckets passed in were read (ngram_buckets)

    def fit(
        self,
        X: npt.NDArray[np.floating],
        y: list[str] | npt.NDArray[Any],
        buckets: list[BucketIds] | None = None,
        langs: list[str] | None = None,
    ) -> SentimentHead:
        """X: embeddings; buckets: each text's n-grams (needed when `ngrams`); langs: each row's language
        (offsets are learned for every language with at least 50 rows)."""
        from sklearn.linear_model import LogisticRegression  # training only: serving loads JSON with numpy

        labels = np.asarray(y, dtype=str)
        unknown = sorted(set(map(str, labels)) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown sentiment labels {unknown}; expected {', '.join(LABELS)}")
        if self.ngrams and (buckets is None or len(buckets) != len(labels)):
            raise ValueError("a head with ngrams=True needs each row's n-gram buckets")
        features = self._design(X, buckets)

        def model() -> LogisticRegression:
            return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                      random_state=self.random_state)

        fitted = model().fit(features, labels)
        if len(fitted.classes_) < 2:
            raise ValueError(
                f"the training data hold only the label {fitted.classes_[0]!r}; need at least two labels"
            )
        self.classes_ = [str(c) for c in fitted.classes_]
        d = X.shape[1]
        self.coef_ = np.asarray(fitted.coef_[:, :d], dtype=np.float64)
        self.ngram_coef_ = (np.asarray(fitted.coef_[:, d:].T, dtype=np.float16).astype(np.float64)
                            if self.ngrams else None)
        self.intercept_ = np.asarray(fitted.intercept_, dtype=np.float64)
        self.network_ = None
        with_network = self.hidden > 0 and len(self.classes_) == 3
        if with_network:
            self.network_ = Network.fit(X, labels, self.hidden, self.random_state)

        def log_proba(train: Rows, held: Rows) -> npt.NDArray[np.float64]:
            """Out-of-fold log-probabilities of the head as it serves (regression, network beside it)."""
            fold = model().fit(features[train], labels[train])
            regression = np.log(fold.predict_proba(features[held]) + 1e-9)
            if not with_network:
                return regression
            network = Network.fit(X[train], labels[train], self.hidden, self.random_state)
            return (regression + _log_softmax(network.logits(X[held]))) / 2

        self.offsets_: dict[str, list[float]] = {}
        if langs is not None and self.folds >= 2 and len(self.classes_) == 3:
            self.offsets_ = self._tune_offsets(features, labels, np.asarray(langs, dtype=str), log_proba)
        self.card_: dict[str, Any] = {}
        return self

    def _design(self, X: npt.NDArray[np.floating], buckets: list[BucketIds] | None) -> Any:
        if not self.ngrams:
            return X
        import scipy.sparse as sp

        return sp.hstack([sp.csr_matrix(X), ngram_matrix(buckets or [])]).tocsr()

    def _tune_offsets(self, features: Any, labels: npt.NDArray[np.str_], langs: npt.NDArray[np.str_],
                      log_proba: Callable[[Rows, Rows], npt.NDArray[np.float64]]) -> dict[str, list[float]]:
        """Per language, the log-offsets for the first and last class (neutral's stays 0) that give the best
        macro-F1 on out-of-fold log-probabilities (`log_proba(train rows, held rows)`)."""
        from sklearn.metrics import f1_score
        from sklearn.model_selection import StratifiedKFold

        oof = np.zeros((len(labels), len(self.classes_)))
        strata = np.char.add(np.char.add(langs, "/"), labels)
        for train, held in StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state).split(
                features, strata):
            oof[held] = log_proba(train, held)
        classes = np.asarray(self.classes_)
        offsets = {}
        for lang in sorted(set(langs)):
            rows = langs == lang
            if rows.sum() < 50:
                continue
            log_p, truth = oof[rows], labels[rows]

            def score(pair: tuple[float, float], log_p: Any = log_p, truth: Any = truth) -> float:
                shifted = log_p + np.array([pair[0], 0.0, pair[1]])
                return float(f1_score(truth, classes[shifted.argmax(axis=1)], average="macro"))

            pairs = [(a, b) for a in OFFSET_GRID for b in OFFSET_GRID]
            best = max(pairs, key=lambda p: (score(p), -abs(p[0]) - abs(p[1])))  # ties: the smaller shift
            offsets[lang] = [float(best[0]), 0.0, float(best[1])]
        return offsets

    @property
    def n_features_in_(self) -> int:
        return int(self.coef_.shape[1])

    @property
    def version_(self) -> str:
        """A hash of what decides the outputs (weights, classes, encoder): same weights, same version."""
        digest = hashlib.sha256()
        digest.update(json.dumps([self.encoder_name, self.encoder_version, self.classes_]).encode())
        digest.update(np.ascontiguousarray(self.coef_, dtype="<f8").tobytes())
        digest.update(np.ascontiguousarray(self.intercept_, dtype="<f8").tobytes())
        if self.ngram_coef_ is not None:
            digest.update(np.ascontiguousarray(self.ngram_coef_, dtype="<f8").tobytes())
            if self.ngram_spelling is not NgramSpelling.AS_WRITTEN:  # older heads keep their versions
                digest.update(self.ngram_spelling.value.encode())
        if self.offsets_:
            digest.update(json.dumps(self.offsets_, sort_keys=True).encode())
        if self.network_ is not None:
            for array in self.network_.arrays():
                digest.update(np.ascontiguousarray(array, dtype="<f8").tobytes())
        return f"sentiment-head-{digest.hexdigest()[:12]}"

    @property
    def encoder_name_(self) -> str:
        return self.encoder_name

    @property
    def uses_ngrams(self) -> bool:
        return getattr(self, "ngram_coef_", None) is not None

    def predict_proba(
        self,
        X: npt.NDArray[np.floating],
        buckets: list[BucketIds] | None = None,
        langs: list[str] | None = None,
    ) -> npt.NDArray[np.float64]:
        if not hasattr(self, "coef_"):
            raise ValueError("this SentimentHead is not fitted yet; call fit(X, y) or load_head(path) first")
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"embeddings of shape {X.shape} do not fit this head, which expects "
                f"(n, {self.n_features_in_}) from encoder {self.encoder_name!r}"
            )
        logits = X.astype(np.float64) @ self.coef_.T + self.intercept_
        if self.ngram_coef_ is not None:
            if buckets is None or len(buckets) != len(X):
                raise ValueError("this head reads n-grams too: pass each text's buckets (ngram_buckets)")
            logits += ngram_scores(buckets, self.ngram_coef_)
        if self.network_ is not None:  # the mean of the two log-probabilities: their normalisers cancel below
            logits = (logits + self.network_.logits(X.astype(np.float64))) / 2
        if self.offsets_ and langs is not None:
            logits += np.array([self.offsets_.get(lang, [0.0, 0.0, 0.0]) for lang in langs])
        if len(self.classes_) == 2:  # binary logistic regression stores one row: the second class's logit
            logits = np.hstack([np.zeros_like(logits), logits])
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: npt.NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return probabilities

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "version": self.version_,
            "encoder": {"name": self.encoder_name, "version": self.encoder_version},
            "params": {"C": self.C, "class_weight": self.class_weight, "max_iter": self.max_iter,
                       "random_state": self.random_state, "ngrams": self.ngrams, "folds": self.folds,
                       "hidden": self.hidden, "ngram_spelling": self.ngram_spelling.value},
            "classes": self.classes_,
            "intercept": self.intercept_.tolist(),
            "coef": self.coef_.tolist(),
            "ngram_coef": pack(self.ngram_coef_) if self.ngram_coef_ is not None else None,
            "offsets": self.offsets_,
            "network": self.network_.to_dict() if self.network_ is not None else None,
            "card": self.card_,
        }


def save_head(head: SentimentHead, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(head.to_dict(), indent=1) + "\n", encoding="utf-8")
    return path


def load_head(path: Path) -> SentimentHead:
    if not path.is_file():
        raise NotFoundError(
            f"sentiment head {path} does not exist; set ESCALATION_SENTIMENT__HEAD_PATH to a head made by "
            "`escalation train-sentiment`, or unset it to use the packaged one"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") not in READS:
            raise ConfigError(
                f"sentiment head {path} has format_version {data.get('format_version')!r}; this code reads "
                f"{', '.join(map(str, READS))}: retrain it with `escalation train-sentiment`"
            )
        params = data["params"]
        head = SentimentHead(data["encoder"]["name"], data["encoder"]["version"], C=params["C"],
                             class_weight=params["class_weight"], max_iter=params["max_iter"],
                             random_state=params["random_state"], ngrams=bool(params.get("ngrams", False)),
                             folds=int(params.get("folds", 0)), hidden=int(params.get("hidden", 0)),
                             # a head from before spelled-out n-grams read the letters as written
                             ngram_spelling=NgramSpelling(params.get("ngram_spelling",
                                                                     NgramSpelling.AS_WRITTEN)))
        head.classes_ = [str(c) for c in data["classes"]]
        head.coef_ = np.asarray(data["coef"], dtype=np.float64)
        head.intercept_ = np.asarray(data["intercept"], dtype=np.float64)
        packed = data.get("ngram_coef")
        head.ngram_coef_ = unpack(packed).astype(np.float64) if packed else None
        if head.ngram_coef_ is not None and head.ngram_coef_.shape != (DIM, len(head.classes_)):
            raise ValueError(f"n-gram weights of shape {head.ngram_coef_.shape}; expected ({DIM}, classes)")
        head.offsets_ = {str(k): [float(x) for x in v] for k, v in (data.get("offsets") or {}).items()}
        network = data.get("network")
        head.network_ = Network.from_dict(network, head.n_features_in_) if network else None
        head.card_ = dict(data.get("card", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"sentiment head {path} is malformed ({exc!r}); retrain it with "
                          "`escalation train-sentiment`") from exc
    if head.version_ != data.get("version"):
        raise ConfigError(
            f"sentiment head {path} says version {data.get('version')!r} but its weights hash to "
            f"{head.version_!r}: the file was edited by hand; retrain it instead"
        )
    return head


class Network:
    """One hidden layer of ReLUs and a softmax layer over the embedding, as scikit-learn's MLPClassifier fits
    it (adam, early stopping on a tenth of the rows); the weights are kept as float16, as stored."""

    def __init__(self, w1: npt.NDArray[np.float64], b1: npt.NDArray[np.float64], w2: npt.NDArray[np.float64],
                 b2: npt.NDArray[np.float64]) -> None:
        self.w1, self.b1, self.w2, self.b2 = (_as_stored(a) for a in (w1, b1, w2, b2))

    @classmethod
    def fit(cls, X: npt.NDArray[np.floating], labels: npt.NDArray[np.str_], hidden: int,
            random_state: int) -> Network:
        from sklearn.neural_network import MLPClassifier

        fitted = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, early_stopping=True, max_iter=200,
                               random_state=random_state).fit(X, labels)
        if [str(c) for c in fitted.classes_] != list(LABELS):
            raise ValueError(
                f"the network learned {list(fitted.classes_)}; it needs all of {', '.join(LABELS)}"
            )
        (w1, w2), (b1, b2) = fitted.coefs_, fitted.intercepts_
        return cls(w1, b1, w2, b2)

    def logits(self, X: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
        hidden = np.maximum(X @ self.w1 + self.b1, 0.0)
        out: npt.NDArray[np.float64] = hidden @ self.w2 + self.b2
        return out

    def arrays(self) -> tuple[npt.NDArray[np.float64], ...]:
        return self.w1, self.b1, self.w2, self.b2

    def to_dict(self) -> dict[str, PackedArray]:
        return {name: pack(a) for name, a in zip(("w1", "b1", "w2", "b2"), self.arrays(), strict=True)}

    @classmethod
    def from_dict(cls, data: dict[str, PackedArray], inputs: int) -> Network:
        w1, b1, w2, b2 = (unpack(data[name]).astype(np.float64) for name in ("w1", "b1", "w2", "b2"))
        hidden = w1.shape[1] if w1.ndim == 2 else -1
        if w1.shape != (inputs, hidden) or b1.shape != (hidden,) or w2.shape != (hidden, len(LABELS)) \
                or b2.shape != (len(LABELS),):
            raise ValueError(
                f"network weights of shapes {w1.shape}, {b1.shape}, {w2.shape}, {b2.shape}; expected "
                f"({inputs}, H), (H,), (H, {len(LABELS)}), ({len(LABELS)},)"
            )
        return cls(w1, b1, w2, b2)


def _as_stored(array: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    return np.asarray(array, dtype=np.float16).astype(np.float64)


def _log_softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    shifted = logits - logits.max(axis=1, keepdims=True)
    out: npt.NDArray[np.float64] = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return out
