"""The scoring side of the escalation-risk model: load the JSON artefact that training wrote and score
feature frames (calibrated risk, alert flag, per-feature contributions in words).

Serving imports this and never `training/`: the feature spec, LightGBM booster, calibrator and alert
threshold travel together in one file, so serving cannot drift from what was trained."""

from features.model.artefact import FORMAT, Contribution, EscalationModel, load_model, model_input
from features.model.calibrator import CALIBRATION_METHODS, Calibrator
from features.model.metadata import ModelMetadata

__all__ = ["CALIBRATION_METHODS", "FORMAT", "Calibrator", "Contribution", "EscalationModel", "ModelMetadata",
           "load_model", "model_input"]
