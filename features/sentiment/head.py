"""The trained sentiment head: multinomial logistic regression on the pooled, normalised embedding.

It travels as a small JSON file (coefficients, intercept, classes, the encoder it was trained on, a content
hash as its version, and a card with the training data's fingerprint and held-out metrics), never a pickle:
it loads without scikit-learn and cannot run code."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError, NotFoundError
from core.text import SentimentLabel

FORMAT_VERSION = 1
LABELS = tuple(label.value for label in SentimentLabel)


class SentimentHead:
    """Estimator contract: `__init__` stores parameters, `fit` learns `coef_`, `intercept_`, `classes_`."""

    def __init__(
        self,
        encoder_name: str,
        encoder_version: str,
        C: float = 1.0,
        class_weight: str | None = "balanced",
        max_iter: int = 2000,
        random_state: int = 0,
    ) -> None:
        self.encoder_name = encoder_name
        self.encoder_version = encoder_version
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X: npt.NDArray[np.floating], y: list[str] | npt.NDArray[Any]) -> SentimentHead:
        from sklearn.linear_model import LogisticRegression  # training only: serving loads JSON with numpy

        unknown = sorted(set(map(str, y)) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown sentiment labels {unknown}; expected {', '.join(LABELS)}")
        fitted = LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, random_state=self.random_state
        ).fit(X, np.asarray(y, dtype=str))
        if len(fitted.classes_) < 2:
            raise ValueError(
                f"the training data hold only the label {fitted.classes_[0]!r}; need at least two labels"
            )
        self.classes_ = [str(c) for c in fitted.classes_]
        self.coef_ = np.asarray(fitted.coef_, dtype=np.float64)
        self.intercept_ = np.asarray(fitted.intercept_, dtype=np.float64)
        self.card_: dict[str, Any] = {}
        return self

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
        return f"sentiment-head-{digest.hexdigest()[:12]}"

    @property
    def encoder_name_(self) -> str:
        return self.encoder_name

    def predict_proba(self, X: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
        if not hasattr(self, "coef_"):
            raise ValueError("this SentimentHead is not fitted yet; call fit(X, y) or load_head(path) first")
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"embeddings of shape {X.shape} do not fit this head, which expects "
                f"(n, {self.n_features_in_}) from encoder {self.encoder_name!r}"
            )
        logits = X.astype(np.float64) @ self.coef_.T + self.intercept_
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
                       "random_state": self.random_state},
            "classes": self.classes_,
            "intercept": self.intercept_.tolist(),
            "coef": self.coef_.tolist(),
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
        if data.get("format_version") != FORMAT_VERSION:
            raise ConfigError(
                f"sentiment head {path} has format_version {data.get('format_version')!r}; this code reads "
                f"{FORMAT_VERSION}: retrain it with `escalation train-sentiment`"
            )
        params = data["params"]
        head = SentimentHead(data["encoder"]["name"], data["encoder"]["version"], C=params["C"],
                             class_weight=params["class_weight"], max_iter=params["max_iter"],
                             random_state=params["random_state"])
        head.classes_ = [str(c) for c in data["classes"]]
        head.coef_ = np.asarray(data["coef"], dtype=np.float64)
        head.intercept_ = np.asarray(data["intercept"], dtype=np.float64)
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
