"""A model file's metadata as one type: a file written before it had one loads, reads by attribute and writes
back the same bytes; a missing or damaged key is refused naming it; a key added later has its default."""

from __future__ import annotations

import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from core.errors import ConfigError
from features.model import Calibrator, EscalationModel, load_model, model_input
from features.model.metadata import DataFingerprint, ModelMetadata, TuningRecord
from features.ticket import DEFAULT_SPEC

# the metadata of a model file `escalation train --no-text --tune 2` wrote (300 sample tickets) before the
# metadata had a type: its exact bytes
SAVED = (Path(__file__).parent / "model_metadata_v2.json").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def file_text() -> dict[str, object]:
    """A whole model file around the saved metadata, as `load_model` reads it."""
    rng = np.random.default_rng(3)
    spec = DEFAULT_SPEC.with_categories_from(pd.DataFrame({"team": ["a", "b"]}))
    raw = pd.DataFrame({f.name: rng.normal(size=200) if f.kind == "numeric" else rng.choice(["a", "b"], 200)
                        for f in spec.features})
    x = model_input(spec, raw)
    booster = lgb.train({"objective": "binary", "verbosity": -1, "num_leaves": 4, "seed": 1},
                        lgb.Dataset(x, label=(x.iloc[:, 0] > 0).astype(int)), num_boost_round=3)
    meta = ModelMetadata.from_dict(json.loads(SAVED))
    model = EscalationModel(spec, booster, Calibrator("none"), 0.3, meta)
    data = model.to_dict()
    data["metadata"] = json.loads(SAVED)
    return data


def _load(tmp_path: Path, data: object) -> EscalationModel:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_model(path)


def test_a_file_written_before_loads_reads_by_attribute_and_saves_the_same_bytes(
    file_text: dict[str, object], tmp_path: Path
) -> None:
    model = _load(tmp_path, file_text)
    meta = model.metadata
    assert (meta.target, meta.target_kind, meta.target_column, meta.escalation_types) == (
        "escalation@72h", "escalation", None, ())
    assert (meta.horizon_hours, meta.budget, meta.best_iteration, meta.refit, meta.fit_rows) == (
        72.0, 0.1, 8, "keep", 2988)
    assert meta.text_analyses is None and meta.ticket_features == () and meta.at_creation is True
    assert isinstance(meta.tuning, TuningRecord) and meta.tuning.best_trial == 0
    assert meta.lgbm_params is not None and meta.lgbm_params["num_leaves"] == 15
    assert isinstance(meta.data, DataFingerprint) and (meta.data.tickets, meta.data.events) == (300, 3658)
    assert meta.evaluation is not None and meta.evaluation == model.evaluation
    assert meta.evaluation.baselines["logreg"].pr_auc == pytest.approx(0.3277, abs=1e-4)
    assert meta.test_start == pd.Timestamp("2026-05-20T15:10:44Z")
    assert meta.target_spec == "escalation"
    saved = json.loads(model.save(tmp_path / "again.json").read_text(encoding="utf-8"))
    assert json.dumps(saved["metadata"], ensure_ascii=False) == SAVED


@pytest.mark.parametrize("key", ["target", "horizon_hours", "best_iteration", "text_analyses", "test_from"])
def test_a_missing_key_is_refused_naming_it(file_text: dict[str, object], tmp_path: Path, key: str) -> None:
    data = json.loads(json.dumps(file_text))
    del data["metadata"][key]
    with pytest.raises(ConfigError, match=rf"is damaged: its metadata lacks the key '{key}'; retrain"):
        _load(tmp_path, data)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("budget", "ten percent", r"key 'budget' holds 'ten percent' \(str\), of the wrong kind"),
        ("best_iteration", True, r"key 'best_iteration' holds True \(bool\), of the wrong kind"),
        ("ticket_features", ["region", 3], r"key 'ticket_features' holds \['region', 3\], expected a list"),
        ("data", {"sha256": "ab"}, r"key 'data' is damaged: it holds sha256, expected sha256, tickets"),
        ("evaluation", {"target": "escalation"}, r"key 'evaluation' is damaged \(KeyError"),
        ("tuning", [1], r"key 'tuning' holds \[1\] \(list\), of the wrong kind"),
    ],
)
def test_a_damaged_value_is_refused_naming_its_key(
    file_text: dict[str, object], tmp_path: Path, key: str, value: object, says: str
) -> None:
    data = json.loads(json.dumps(file_text))
    data["metadata"][key] = value
    with pytest.raises(ConfigError, match=rf"model file .* is damaged: its metadata {says}"):
        _load(tmp_path, data)


def test_keys_added_later_have_their_documented_defaults(
    file_text: dict[str, object], tmp_path: Path
) -> None:
    """A model trained before refit, tuning, creation examples, the test instant, the data fingerprint and
    the test figures were recorded."""
    data = json.loads(json.dumps(file_text))
    for key in ("refit", "fit_rows", "lgbm_params", "tuning", "at_creation", "test_from_at", "data",
                "evaluation"):
        del data["metadata"][key]
    data["metadata"]["unknown_later_key"] = 1  # ignored
    meta = _load(tmp_path, data).metadata
    assert (meta.refit, meta.fit_rows, meta.lgbm_params, meta.tuning, meta.at_creation) == (
        "none", None, None, None, False)
    assert (meta.test_from_at, meta.data, meta.evaluation) == (None, None, None)
    assert meta.test_start == pd.Timestamp("2026-05-20T00:00:00Z")  # the day's midnight


def test_an_outcome_target_reads_back_as_its_option() -> None:
    saved = json.loads(SAVED)
    meta = ModelMetadata.from_dict({**saved, "target_kind": "outcome", "target_column": "churned"})
    assert meta.target_spec == "outcome:churned"
    types = ModelMetadata.from_dict({**saved, "escalation_types": ["hierarchical", "functional"]})
    assert types.target_spec == "escalation:hierarchical,functional"
