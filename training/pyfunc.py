"""The MLflow pyfunc face of the model file: `mlflow.pyfunc.load_model("models:/escalation-risk@champion")`
predicts `risk` and `alert` for feature rows. Serving can instead read the bundled model.json directly."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import pandas as pd
from mlflow.pyfunc import PythonModel

from training.artefact import EscalationModel


class EscalationPyfunc(PythonModel):
    def load_context(self, context: Any) -> None:
        self.model_ = EscalationModel.load(context.artifacts["model"])

    def predict(
        self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None
    ) -> pd.DataFrame:
        risk = self.model_.predict_proba(model_input)
        return pd.DataFrame({"risk": risk, "alert": risk >= self.model_.threshold})


def requirements() -> list[str]:
    """Pinned to what trained it, so MLflow need not infer them (slow: it re-imports the model)."""
    return [f"{name}=={version(name)}" for name in ("lightgbm", "numpy", "pandas", "scikit-learn")]
