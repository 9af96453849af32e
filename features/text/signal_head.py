"""The learned conflict-signal head: one logistic regression per signal over what the sentiment step already
has for a message — the encoder's embedding and the hashed n-grams — plus the phrase files' hits, with a
threshold per signal chosen by cross-validation on the training rows (best F1), and a phrase floor: the
probability under which the head overrules a phrase match of that signal (0: every match stands).

Shouting is not learned: it follows a surface rule (features/text/shouting.py) that the labels follow too.
Like the sentiment head it travels as a JSON file (weights, thresholds, the encoder it was trained on, a
content hash as version, a card with the training data's fingerprint and held-out figures), never a pickle."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError, NotFoundError
from core.text import SignalName
from features.text.ngrams import DIM, BucketIds, NgramSpelling, ngram_matrix, ngram_scores
from features.text.weights import pack, unpack

FORMAT_VERSION = 1
LEARNED = tuple(s for s in SignalName if s is not SignalName.SHOUTING)
PHRASES = tuple(SignalName)  # one phrase-hit column per signal, in this order
# a phrase floor is one of these fractions of the signal's threshold: 0 keeps every phrase match; at most
# half, so the head overrules a phrase only where it clearly disagrees (letting the head alone decide gained
# more on German railway posts in cross-validation but lost on written German and Norwegian: docs/signals.md)
FLOOR_FRACTIONS = (0.0, 0.25, 0.5)

Matrix = npt.NDArray[np.floating]


class SignalHead:
    """Estimator contract: `__init__` stores parameters; `fit` learns `coef_*`, `intercept_` and
    `thresholds_`."""

    def __init__(
        self,
        encoder_name: str,
        encoder_version: str,
        C: float = 4.0,
        phrase_weight: float = 2.0,
        folds: int = 4,
        random_state: int = 0,
        ngram_spelling: NgramSpelling = NgramSpelling.SPELLED_OUT,
    ) -> None:
        self.encoder_name = encoder_name
        self.encoder_version = encoder_version
        self.C = C
        self.phrase_weight = phrase_weight  # phrase hits enter as this value: a strong, not a certain, cue
        self.folds = folds
        self.random_state = random_state
        self.ngram_spelling = ngram_spelling  # how the buckets passed in were read (ngram_buckets)

    def fit(self, E: Matrix, buckets: list[BucketIds], phrases: Matrix, Y: Matrix) -> SignalHead:
        """E: embeddings; buckets: each text's n-gram buckets; phrases: 0/1 per PHRASES column; Y: 0/1 per
        LEARNED column. A signal with fewer than `folds` positives keeps the phrases
        alone (threshold 1.01, floor 0)."""
        from sklearn.metrics import f1_score
        from sklearn.model_selection import StratifiedKFold

        X = design_matrix(E, buckets, phrases, self.phrase_weight)
        k, d = len(LEARNED), E.shape[1]
        self.coef_emb_ = np.zeros((d, k))
        self.coef_ngram_ = np.zeros((DIM, k))
        self.coef_phrase_ = np.zeros((len(PHRASES), k))
        self.intercept_ = np.full(k, -20.0)
        self.thresholds_ = np.full(k, 1.01)
        self.phrase_floors_ = np.zeros(k)
        grid = np.linspace(0.05, 0.95, 91)
        for j in range(k):
            y = np.asarray(Y[:, j], dtype=int)
            if y.sum() < self.folds:
                continue
            oof = np.zeros(len(y))
            splits = StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state).split(X, y)
            for train, held in splits:
                oof[held] = self.model().fit(X[train], y[train]).predict_proba(X[held])[:, 1]
            self.thresholds_[j] = round(float(max(grid, key=lambda t: f1_score(y, oof >= t))), 4)
            hit = np.asarray(phrases[:, PHRASES.index(LEARNED[j])]) > 0
            self.phrase_floors_[j] = phrase_floor(y == 1, oof, hit, float(self.thresholds_[j]))
            fitted = self.model().fit(X, y)
            w = fitted.coef_[0]
            self.coef_emb_[:, j], self.coef_ngram_[:, j] = w[:d], w[d : d + DIM]
            self.coef_phrase_[:, j] = w[d + DIM :] * self.phrase_weight
            self.intercept_[j] = fitted.intercept_[0]
        self.coef_ngram_ = self.coef_ngram_.astype(np.float16).astype(np.float64)  # as stored
        self.card_: dict[str, Any] = {}
        return self

    def model(self):  # type: ignore[no-untyped-def]
        """One signal's (unfitted) logistic regression."""
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state
        )

    def predict_proba(self, E: Matrix, buckets: list[BucketIds], phrases: Matrix) -> npt.NDArray[np.float64]:
        """P(signal) per LEARNED column."""
        if not hasattr(self, "coef_emb_"):
            raise ValueError(
                "this SignalHead is not fitted yet; call fit(...) or load_signal_head(path) first"
            )
        if E.ndim != 2 or E.shape[1] != self.coef_emb_.shape[0]:
            raise ValueError(
                f"embeddings of shape {E.shape} do not fit this head, which expects "
                f"(n, {self.coef_emb_.shape[0]}) from encoder {self.encoder_name!r}"
            )
        logits = (
            E.astype(np.float64) @ self.coef_emb_
            + ngram_scores(buckets, self.coef_ngram_)
            + np.asarray(phrases, dtype=np.float64) @ self.coef_phrase_
            + self.intercept_
        )
        return 1.0 / (1.0 + np.exp(-logits))

    def contributions(self, buckets: BucketIds, signal: SignalName) -> npt.NDArray[np.float64]:
        """Each bucket's weight for `signal` (to find the sentence that carries a learned signal)."""
        return self.coef_ngram_[buckets, LEARNED.index(signal)]

    @property
    def version_(self) -> str:
        named = [self.encoder_name, self.encoder_version]
        if self.ngram_spelling is not NgramSpelling.AS_WRITTEN:  # older heads keep their versions
            named.append(self.ngram_spelling.value)
        digest = hashlib.sha256(json.dumps(named).encode())
        arrays = [self.coef_emb_, self.coef_ngram_, self.coef_phrase_, self.intercept_, self.thresholds_]
        if self.phrase_floors_.any():  # a head without floors keeps the version it had before they existed
            arrays.append(self.phrase_floors_)
        for array in arrays:
            digest.update(np.ascontiguousarray(array, dtype="<f8").tobytes())
        return f"signal-head-{digest.hexdigest()[:12]}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "version": self.version_,
            "encoder": {"name": self.encoder_name, "version": self.encoder_version},
            "params": {
                "C": self.C,
                "phrase_weight": self.phrase_weight,
                "folds": self.folds,
                "random_state": self.random_state,
                "ngram_spelling": self.ngram_spelling.value,
            },
            "signals": [s.value for s in LEARNED],
            "phrase_columns": [s.value for s in PHRASES],
            "thresholds": self.thresholds_.tolist(),
            "phrase_floors": self.phrase_floors_.tolist(),
            "intercept": self.intercept_.tolist(),
            "coef_embedding": self.coef_emb_.tolist(),
            "coef_phrase": self.coef_phrase_.tolist(),
            "coef_ngram": pack(self.coef_ngram_),
            "card": self.card_,
        }


def phrase_floor(y: npt.NDArray[np.bool_], p: Matrix, hit: npt.NDArray[np.bool_], threshold: float) -> float:
    """One signal's phrase floor, chosen on out-of-fold probabilities `p` with labels `y` and phrase matches
    `hit`: of `threshold` × FLOOR_FRACTIONS, the floor whose served answer — the head at `threshold`, or a
    phrase match the head gives at least the floor — has the best F1; the lowest on a tie, so phrases stand
    unless overruling them measurably helps (a phrase file that over-fires on the training rows' kind of
    text)."""
    floors = [round(f * threshold, 4) for f in FLOOR_FRACTIONS]
    return max(floors, key=lambda floor: (binary_f1(y, (p >= threshold) | (hit & (p >= floor))), -floor))


def binary_f1(y: npt.NDArray[np.bool_], found: npt.NDArray[np.bool_]) -> float:
    """F1 of `found` against the labels `y` (0 when neither has a positive)."""
    tp = int((y & found).sum())
    d = int(y.sum()) + int(found.sum())
    return 2 * tp / d if d else 0.0


def design_matrix(E: Matrix, buckets: list[BucketIds], phrases: Matrix, phrase_weight: float):  # type: ignore[no-untyped-def]
    """The head's inputs as one sparse row per text (training only: scipy): the embedding, the n-grams
    (L2-normalised) and the phrase hits at `phrase_weight`."""
    import scipy.sparse as sp

    return sp.hstack(
        [
            sp.csr_matrix(E),
            ngram_matrix(buckets),
            sp.csr_matrix(np.asarray(phrases, dtype=np.float32) * phrase_weight),
        ]
    ).tocsr()


def save_signal_head(head: SignalHead, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(head.to_dict()) + "\n", encoding="utf-8")
    return path


def load_signal_head(path: Path) -> SignalHead:
    if not path.is_file():
        raise NotFoundError(
            f"signal head {path} does not exist; set ESCALATION_TEXT__SIGNAL_HEAD_PATH to a head "
            "made by `escalation train-signals`, or unset it to use the packaged one"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != FORMAT_VERSION:
            raise ConfigError(
                f"signal head {path} has format_version {data.get('format_version')!r}; this code "
                f"reads {FORMAT_VERSION}: retrain it with `escalation train-signals`"
            )
        if data["signals"] != [s.value for s in LEARNED] or data["phrase_columns"] != [
            s.value for s in PHRASES
        ]:
            raise ConfigError(
                f"signal head {path} was trained for other signals ({data['signals']}); retrain it "
                "with `escalation train-signals`"
            )
        p = data["params"]
        head = SignalHead(
            data["encoder"]["name"],
            data["encoder"]["version"],
            C=p["C"],
            phrase_weight=p["phrase_weight"],
            folds=p["folds"],
            random_state=p["random_state"],
            # a head from before spelled-out n-grams read the letters as written
            ngram_spelling=NgramSpelling(p.get("ngram_spelling", NgramSpelling.AS_WRITTEN)),
        )
        head.thresholds_ = np.asarray(data["thresholds"], dtype=np.float64)
        # heads trained before floors existed keep every phrase match
        head.phrase_floors_ = np.asarray(data.get("phrase_floors", [0.0] * len(LEARNED)), dtype=np.float64)
        if head.phrase_floors_.shape != head.thresholds_.shape:
            raise ValueError(f"{len(head.phrase_floors_)} phrase floors for {len(LEARNED)} signals")
        head.intercept_ = np.asarray(data["intercept"], dtype=np.float64)
        head.coef_emb_ = np.asarray(data["coef_embedding"], dtype=np.float64)
        head.coef_phrase_ = np.asarray(data["coef_phrase"], dtype=np.float64)
        head.coef_ngram_ = unpack(data["coef_ngram"]).astype(np.float64)
        head.card_ = dict(data.get("card", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"signal head {path} is malformed ({exc!r}); retrain it with `escalation train-signals`"
        ) from exc
    if head.version_ != data.get("version"):
        raise ConfigError(
            f"signal head {path} says version {data.get('version')!r} but its weights hash to "
            f"{head.version_!r}: the file was edited by hand; retrain it instead"
        )
    return head
