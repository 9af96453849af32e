"""Fit the probability calibration on the validation period: isotonic (default) or Platt scaling.

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


def fit_calibrator(method: str, raw: np.ndarray, labels: np.ndarray) -> Calibrator:
    """Fit on validation scores: `raw` are the classifier's uncalibrated probabilities."""
    if method not in METHODS:
        raise ConfigError(f"--calibration {method!r} is not known; use one of {', '.join(METHODS)}")
    raw, labels = np.asarray(raw, dtype="float64"), np.asarray(labels, dtype="int64")
    if method == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, labels)
        return Calibrator("isotonic", iso.X_thresholds_.tolist(), iso.y_thresholds_.tolist())
    if method == "platt":
        lr = LogisticRegression(C=1e6).fit(logit(raw).reshape(-1, 1), labels)
        return Calibrator("platt", a=float(lr.coef_[0, 0]), b=float(lr.intercept_[0]))
    return Calibrator("none")
