"""Applying a fitted probability calibration: isotonic knots or Platt's a and b, as plain numbers, so the
model file stays JSON and scoring needs numpy only (fitting lives in training/calibration.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

CALIBRATION_METHODS = ("isotonic", "platt", "none")


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
            return 1.0 / (1.0 + np.exp(-(self.a * logit(raw) + self.b)))
        return raw

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "knots_x": self.knots_x, "knots_y": self.knots_y, "a": self.a,
                "b": self.b}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibrator:
        return cls(
            data["method"], list(data["knots_x"]), list(data["knots_y"]), float(data["a"]), float(data["b"])
        )


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))
