"""Fit the probability calibration on the validation period: centred isotonic (default) or Platt scaling.

The result is a `features.model.Calibrator` (plain numbers), which the model file carries and serving
applies with numpy only."""

from __future__ import annotations

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from core.errors import ConfigError
from features.model import CALIBRATION_METHODS, Calibrator
from features.model.calibrator import logit

METHODS = CALIBRATION_METHODS
__all__ = ["METHODS", "Calibrator", "fit_calibrator"]


def centred(x: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
    """Centred isotonic regression: each flat step of the isotonic fit becomes one knot at its centre, so
    the map rises strictly between the first and the last step's centres. Plain isotonic gives every ticket
    of a step the same risk (ties the early-warning list cannot rank); the centred map keeps the raw
    score's order inside a step and the same calibration at the steps' centres. Flat only outside the outer
    centres."""
    xs, ys = [], []
    start = 0
    for i in range(1, len(y) + 1):
        if i == len(y) or y[i] != y[start]:
            xs.append(float((x[start] + x[i - 1]) / 2))
            ys.append(float(y[start]))
            start = i
    if len(xs) == 1:
        return [float(x[0]), float(x[-1])], [ys[0], ys[0]]
    return xs, ys


def fit_calibrator(method: str, raw: np.ndarray, labels: np.ndarray) -> Calibrator:
    """Fit on validation scores: `raw` are the classifier's uncalibrated probabilities."""
    if method not in METHODS:
        raise ConfigError(f"--calibration {method!r} is not known; use one of {', '.join(METHODS)}")
    raw, labels = np.asarray(raw, dtype="float64"), np.asarray(labels, dtype="int64")
    if method == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, labels)
        x, y = centred(iso.X_thresholds_, iso.y_thresholds_)
        return Calibrator("isotonic", x, y)
    if method == "platt":
        lr = LogisticRegression(C=1e6).fit(logit(raw).reshape(-1, 1), labels)
        return Calibrator("platt", a=float(lr.coef_[0, 0]), b=float(lr.intercept_[0]))
    return Calibrator("none")
