"""Probability calibration on the validation period: isotonic (default) or Platt scaling.

Stored as plain numbers (isotonic knots, or Platt's a and b) so the model file stays JSON and
applying it needs numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from core.errors import ConfigError

METHODS = ("isotonic", "platt", "none")


@dataclass(frozen=True)
class Calibrator:
    method: str
    knots_x: list[float] = field(default_factory=list)  # isotonic: increasing raw scores …
    knots_y: list[float] = field(default_factory=list)  # … and the probabilities they map to
    a: float = 1.0  # platt: sigmoid(a * logit(raw) + b)
    b: float = 0.0

    def apply(self, raw: np.ndarray) -> np.ndarray:
        raw = np.asarray(raw, dtype="float64")
        if self.method == "isotonic":
            return np.interp(raw, self.knots_x, self.knots_y)
        if self.method == "platt":
            return 1.0 / (1.0 + np.exp(-(self.a * _logit(raw) + self.b)))
        return raw

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "knots_x": self.knots_x,
            "knots_y": self.knots_y,
            "a": self.a,
            "b": self.b,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibrator:
        return cls(
            data["method"], list(data["knots_x"]), list(data["knots_y"]), float(data["a"]), float(data["b"])
        )


def fit_calibrator(method: str, raw: np.ndarray, labels: np.ndarray) -> Calibrator:
    """Fit on validation scores: `raw` are the classifier's uncalibrated probabilities."""
    if method not in METHODS:
        raise ConfigError(f"--calibration {method!r} is not known; use one of {', '.join(METHODS)}")
    raw, labels = np.asarray(raw, dtype="float64"), np.asarray(labels, dtype="int64")
    if method == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, labels)
        return Calibrator("isotonic", iso.X_thresholds_.tolist(), iso.y_thresholds_.tolist())
    if method == "platt":
        lr = LogisticRegression(C=1e6).fit(_logit(raw).reshape(-1, 1), labels)
        return Calibrator("platt", a=float(lr.coef_[0, 0]), b=float(lr.intercept_[0]))
    return Calibrator("none")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))
