"""The model artefact: feature preprocessing + LightGBM classifier + calibrator + alert threshold +
feature spec, travelling together in one JSON file so serving cannot drift from training.

Loading it needs lightgbm, numpy and pandas only — no pickle, no training code paths.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from core.errors import ConfigError, NotFoundError
from training.calibration import Calibrator
from training.feature_frame import FeatureSpec

FORMAT = "escalation-risk-model/1"


@dataclass
class Preprocessor:
    """Numeric columns as float; categorical columns as pandas categories fixed at fit time, so an
    unseen value becomes missing instead of shifting the codes LightGBM learned."""

    spec: FeatureSpec
    categories_: dict[str, list[str]] = field(default_factory=dict)

    def fit(self, frame: pd.DataFrame) -> Preprocessor:
        self.categories_ = {
            c: sorted(frame[c].dropna().astype("str").unique().tolist()) for c in self.spec.categorical
        }
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        missing = [c for c in self.spec.columns if c not in frame.columns]
        if missing:
            raise ConfigError(
                f"the feature frame lacks {', '.join(missing)}; the model was trained on "
                f"{len(self.spec.columns)} features: is it from another feature version?"
            )
        out = pd.DataFrame(index=frame.index)
        for c in self.spec.numeric:
            out[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
        for c in self.spec.categorical:
            values = frame[c].astype("object").where(frame[c].notna(), None)
            out[c] = pd.Categorical(
                values.map(lambda v: None if v is None else str(v)), categories=self.categories_[c]
            )
        return out


@dataclass
class EscalationModel:
    """Calibrated escalation risk for feature rows. `threshold` is the alert threshold chosen for the
    configured budget on the validation period."""

    preprocessor: Preprocessor
    booster: lgb.Booster
    calibrator: Calibrator
    threshold: float
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> FeatureSpec:
        return self.preprocessor.spec

    def raw_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.booster.predict(self.preprocessor.transform(frame)), dtype="float64")

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of the target for each row."""
        return np.clip(self.calibrator.apply(self.raw_proba(frame)), 0.0, 1.0)

    def contributions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Per-feature contributions (SHAP values, raw log-odds) for explaining a score."""
        values = self.booster.predict(self.preprocessor.transform(frame), pred_contrib=True)
        return pd.DataFrame(np.asarray(values)[:, :-1], columns=list(self.spec.columns), index=frame.index)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "feature_spec": self.spec.to_dict(),
            "categories": self.preprocessor.categories_,
            "booster": self.booster.model_to_string(),
            "calibrator": self.calibrator.to_dict(),
            "threshold": self.threshold,
            "metadata": self.metadata,
        }

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EscalationModel:
        if data.get("format") != FORMAT:
            raise ConfigError(
                f"not an escalation model file (format {data.get('format')!r}, expected "
                f"{FORMAT!r}); retrain with `escalation train`"
            )
        pre = Preprocessor(FeatureSpec.from_dict(data["feature_spec"]), dict(data["categories"]))
        return cls(
            pre,
            lgb.Booster(model_str=data["booster"]),
            Calibrator.from_dict(data["calibrator"]),
            float(data["threshold"]),
            dict(data["metadata"]),
        )

    @classmethod
    def load(cls, path: str | Path) -> EscalationModel:
        path = Path(path)
        if not path.is_file():
            raise NotFoundError(f"no model file at {path}; train one with `escalation train --data PATH`")
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
