"""The MLflow pyfunc face of the model file: `mlflow.pyfunc.load_model("models:/escalation-risk@champion")`
predicts `risk` and `alert` for feature frames. It lives here, not in training/, because MLflow pickles
a reference to this class: loading the model must not import training code. Serving can skip MLflow and
read the bundled model.json with `features.model.load_model`."""

from __future__ import annotations

from typing import Any

import pandas as pd
from mlflow.pyfunc import PythonModel

from features.model.artefact import load_model


class EscalationPyfunc(PythonModel):
    def load_context(self, context: Any) -> None:
        self.model_ = load_model(context.artifacts["model"])

    def predict(
        self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None
    ) -> pd.DataFrame:
        risk = self.model_.predict_proba(model_input)
        return pd.DataFrame({"risk": risk, "alert": self.model_.alerts(risk)})
