"""The model artefact: feature spec (with its fixed categories) + LightGBM booster + calibrator + alert
threshold + metadata, in one JSON file. Loading it needs lightgbm, numpy and pandas only — no pickle,
and no training code: what serving scores with is exactly what training evaluated."""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from core.errors import ConfigError, NotFoundError
from features.model.calibrator import Calibrator
from features.model.evaluation import ModelEvaluation
from features.model.metadata import MetadataError, ModelMetadata
from features.model.rows import RowEncoder
from features.ticket.spec import DEFAULT_SPEC, TICKET_COLUMN_PREFIX, FeatureSpec, Row

FORMAT = "escalation-risk-model/2"
# A few rows are scored on the calling thread: LightGBM's OpenMP team costs more than it saves there —
# measured here on a loaded 2-core machine, one row through 70 trees: 7.8 ms with the default threads,
# 0.04 ms with one (contributions 8.1 vs 0.6 ms). The values are the same: each row is computed alone.
ROW_THREADS = 1


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's push on a score: `contribution` in log-odds (SHAP, before calibration)."""

    feature: str
    value: float | str | None
    contribution: float
    text: str  # the value in words, from the feature's template

    def to_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "value": self.value, "contribution": round(self.contribution, 4),
                "text": self.text}


@dataclass
class EscalationModel:
    """Calibrated escalation risk for feature frames (`features.ticket.build_feature_frame` or
    `spec.encode(rows)`). `threshold` is the alert threshold chosen for the training budget; `metadata` what
    training recorded about the model (features/model/metadata.py)."""

    spec: FeatureSpec
    booster: lgb.Booster
    calibrator: Calibrator
    threshold: float
    metadata: ModelMetadata

    @property
    def evaluation(self) -> ModelEvaluation | None:
        """The test-period figures training saved with the model (None in a file made without them)."""
        return self.metadata.evaluation

    def prepare(self, frame: pd.DataFrame) -> pd.DataFrame:
        return model_input(self.spec, frame)

    def raw_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.booster.predict(self.prepare(frame)), dtype="float64")

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of the target for each row."""
        return np.clip(self.calibrator.apply(self.raw_proba(frame)), 0.0, 1.0)

    def alerts(self, risk: np.ndarray) -> np.ndarray:
        return np.asarray(risk) >= self.threshold

    def contributions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Per-feature contributions (SHAP values in raw log-odds; rows add up to the raw score)."""
        values = np.asarray(self.booster.predict(self.prepare(frame), pred_contrib=True))
        return pd.DataFrame(values[:, :-1], columns=self.spec.names, index=frame.index)

    def explain(self, frame: pd.DataFrame, top: int = 3) -> list[list[Contribution]]:
        """For each row, the `top` features that pushed its risk up the most, in words."""
        contrib = self.contributions(frame)
        out: list[list[Contribution]] = []
        for position in range(len(frame)):
            row = contrib.iloc[position]
            chosen = row[row > 0].sort_values(ascending=False).head(top)
            found = []
            for key, value in chosen.items():
                name = str(key)
                shown = _plain(frame[name].iloc[position])
                found.append(Contribution(name, shown, float(value), self.spec.describe(name, shown)))
            out.append(found)
        return out

    # --- a few rows at a time (serving): the same scores without building a DataFrame ------------
    @cached_property
    def row_encoder(self) -> RowEncoder:
        return RowEncoder(self.spec, self.booster)

    def predict_proba_rows(self, rows: Sequence[Row]) -> np.ndarray:
        """`predict_proba` for feature rows (dicts from `build_features`), without pandas."""
        return self._calibrated(self.row_encoder.encode(rows))

    def score_rows(
        self, rows: Sequence[Row], top: int = 3
    ) -> tuple[np.ndarray, list[list[Contribution]]]:
        """Calibrated risk and the `top` explanations of each row, from one encoded matrix: the same
        values as `predict_proba` and `explain` on `pd.DataFrame(rows)`."""
        x = self.row_encoder.encode(rows)
        full = np.asarray(self.booster.predict(x, pred_contrib=True, num_threads=ROW_THREADS))
        contrib = full[:, :-1]
        explained = [self._top(row, values, top) for row, values in zip(rows, contrib, strict=True)]
        if not self._sigmoid_of_margin:
            return self._calibrated(x), explained
        # the contributions add up to the raw margin (bias last): one tree walk instead of two
        raw = 1.0 / (1.0 + np.exp(-full.sum(axis=1)))
        return np.clip(self.calibrator.apply(raw), 0.0, 1.0), explained

    @cached_property
    def _sigmoid_of_margin(self) -> bool:
        """Whether the booster's probability is the plain sigmoid of its margin (binary, sigmoid 1)."""
        # the first tree is enough: the objective is in the header (dumping all trees took 24 ms for 89)
        return bool(self.booster.dump_model(num_iteration=1).get("objective") == "binary sigmoid:1")

    def _calibrated(self, x: np.ndarray) -> np.ndarray:
        raw = np.asarray(self.booster.predict(x, num_threads=ROW_THREADS), dtype="float64")
        return np.clip(self.calibrator.apply(raw), 0.0, 1.0)

    def _top(self, row: Row, values: np.ndarray, top: int) -> list[Contribution]:
        names = self.row_encoder.names
        # descending, ties in column order (as explain's pandas sort on these short rows)
        chosen = sorted((int(i) for i in np.flatnonzero(values > 0)), key=lambda i: -values[i])[:top]
        out = []
        for i in chosen:
            shown = _plain(row[names[i]])
            out.append(Contribution(names[i], shown, float(values[i]), self.spec.describe(names[i], shown)))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "feature_spec": self.spec.to_dict(),
            "booster": self.booster.model_to_string(),
            "calibrator": self.calibrator.to_dict(),
            "threshold": self.threshold,
            "metadata": self.metadata.to_dict(),
        }

    def save(self, path: str | Path) -> Path:
        """Write the model file whole or not at all: a server may reload from `path` while it is rewritten,
        and a full disk or a killed command must not leave half a file there."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(), ensure_ascii=False)
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ConfigError(f"model file {path} could not be written ({exc.strerror or exc})") from None
        return path

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "the model file") -> EscalationModel:
        """The model `to_dict` wrote. Anything else — another format version, a part missing or damaged, a
        feature set this code does not build — is a ConfigError naming `source` and what to do."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = (f"format {data.get('format')!r}" if isinstance(data, dict)
                     else f"a JSON {type(data).__name__}")
            raise ConfigError(
                f"{source} is not an escalation model file of this version ({found}, expected format "
                f"{FORMAT!r}); retrain with `escalation train`"
            )
        try:
            spec = FeatureSpec.from_dict(data["feature_spec"])
            calibrator = Calibrator.from_dict(data["calibrator"])
            threshold = float(data["threshold"])
            # a missing or damaged key fails here, naming it, not on the KPI page or in compare-models
            metadata = ModelMetadata.from_dict(data["metadata"])
        except MetadataError as exc:
            raise ConfigError(
                f"{source} is damaged: its metadata {exc}; retrain with `escalation train`"
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(
                f"{source} is damaged: its {_part(exc)} cannot be read; retrain with `escalation train`"
            ) from None
        _check_features(spec, source)
        return cls(spec, _booster(data.get("booster"), len(spec.names), source), calibrator, threshold,
                   metadata)


def _part(exc: Exception) -> str:
    """Which part of a model file a reading error is about, for the message: `'booster'`, or its kind."""
    if isinstance(exc, KeyError) and exc.args:
        return f"part {exc.args[0]!r}"
    return f"content ({type(exc).__name__})"


def _check_features(spec: FeatureSpec, source: str) -> None:
    """A model reads the features this code builds (features/ticket/catalogue.py) and the ticket's own
    columns (`ticket_<column>`); one trained on another feature spec would fail every request it scores."""
    if spec.version != DEFAULT_SPEC.version:
        raise ConfigError(
            f"{source} was trained on feature spec v{spec.version}, this code builds "
            f"v{DEFAULT_SPEC.version}; retrain with `escalation train`"
        )
    known = set(DEFAULT_SPEC.names)
    unknown = [n for n in spec.names if n not in known and not n.startswith(TICKET_COLUMN_PREFIX)]
    if unknown:
        raise ConfigError(
            f"{source} reads features this code does not build ({', '.join(unknown[:5])}"
            f"{' …' if len(unknown) > 5 else ''}); retrain with `escalation train`"
        )


def _booster(text: object, features: int, source: str) -> lgb.Booster:
    """The booster of a model file, checked whole before LightGBM parses it: a booster cut inside its trees
    aborts the process in LightGBM's parser instead of raising."""
    if not isinstance(text, str) or not text.startswith("tree\n"):
        raise ConfigError(
            f"{source} is damaged: it holds no LightGBM booster; retrain with `escalation train`"
        )
    sizes = re.search(r"^tree_sizes=([0-9 ]*)$", text, re.MULTILINE)
    trees = len(re.findall(r"^Tree=\d+$", text, re.MULTILINE))
    if sizes is None or "\nend of trees\n" not in text or len(sizes.group(1).split()) != trees:
        raise ConfigError(
            f"{source} is damaged: its LightGBM booster is cut short or edited; retrain with "
            "`escalation train`"
        )
    try:
        booster = lgb.Booster(model_str=text)
    except lgb.basic.LightGBMError as exc:
        raise ConfigError(
            f"{source} is damaged: LightGBM cannot read its booster ({str(exc).splitlines()[0]}); "
            "retrain with `escalation train`"
        ) from None
    if booster.num_feature() != features:
        raise ConfigError(
            f"{source} is inconsistent: its booster reads {booster.num_feature()} features, its feature "
            f"spec {features}; retrain with `escalation train`"
        )
    return booster


def model_input(spec: FeatureSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """The booster's input: spec column order, float numerics, categoricals on the spec's fixed
    categories (a value training never saw becomes missing, never a new code)."""
    missing = [n for n in spec.names if n not in frame.columns]
    if missing:
        raise ConfigError(
            f"the feature frame lacks {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}; "
            f"the model reads {len(spec.names)} features (feature spec v{spec.version}): "
            "build frames with features.ticket and the model's spec"
        )
    out: dict[str, Any] = {}
    for f in spec.features:
        values = frame[f.name]
        if f.kind == "numeric":
            out[f.name] = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
            continue
        dtype = pd.CategoricalDtype(list(f.categories or ()))
        if isinstance(values.dtype, pd.CategoricalDtype) and values.dtype == dtype:
            out[f.name] = values.array
            continue
        text = values.astype(object).where(values.notna(), None).map(str, na_action="ignore")
        out[f.name] = pd.Categorical(text.where(text.isin(dtype.categories)), dtype=dtype)
    return pd.DataFrame(out, index=frame.index)


def load_model(path: str | Path) -> EscalationModel:
    """The model in a file written by `escalation train` (or bundled in its MLflow model version)."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"no model file at {path}; train one with `escalation train --data PATH`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"model file {path} is not JSON ({exc}); retrain with `escalation train`") from None
    return EscalationModel.from_dict(data, f"model file {path}")


def _plain(value: Any) -> float | str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    return value if isinstance(value, float | str) else float(value) if isinstance(value, int) else str(value)
