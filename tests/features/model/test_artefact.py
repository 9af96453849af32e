"""The scoring artefact on its own: JSON round trip, encoding on the model's fixed categories,
contributions that add up to the score, explanations in words, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from core.errors import ConfigError, NotFoundError
from features.model import Calibrator, EscalationModel, load_model, model_input
from features.ticket import DEFAULT_SPEC, FeatureSpec
from tests.model_metadata import model_metadata

RNG = np.random.default_rng(7)


def random_frame(spec: FeatureSpec, n: int) -> pd.DataFrame:
    columns: dict[str, object] = {}
    for f in spec.features:
        if f.kind == "numeric":
            columns[f.name] = RNG.normal(size=n)
        else:
            cats = list(f.categories or ("a", "b", "c"))
            columns[f.name] = RNG.choice(cats, size=n)
    return pd.DataFrame(columns)


@pytest.fixture(scope="module")
def model() -> EscalationModel:
    raw = random_frame(DEFAULT_SPEC.with_categories_from(pd.DataFrame({"team": ["a", "b", "c"]})), 600)
    spec = DEFAULT_SPEC.with_categories_from(raw.astype(object))
    x = model_input(spec, raw)
    y = (x["customer_messages"] + (x["team"] == "a") + RNG.normal(scale=0.5, size=len(x)) > 1).astype(int)
    booster = lgb.train({"objective": "binary", "verbosity": -1, "num_leaves": 7, "seed": 1,
                         "min_data_per_group": 5, "cat_smooth": 1},
                        lgb.Dataset(x, label=y), num_boost_round=20)
    calibrator = Calibrator("isotonic", [0.0, 0.5, 1.0], [0.05, 0.3, 0.9])
    return EscalationModel(spec, booster, calibrator, 0.3, model_metadata(seed=7))


def test_json_round_trip_scores_the_same(model: EscalationModel, tmp_path: Path) -> None:
    frame = random_frame(model.spec, 50)
    again = load_model(model.save(tmp_path / "m.json"))
    np.testing.assert_array_equal(again.predict_proba(frame), model.predict_proba(frame))
    assert again.spec == model.spec and again.threshold == 0.3 and again.metadata == model.metadata
    assert json.loads((tmp_path / "m.json").read_text())["format"] == "escalation-risk-model/2"


def test_plain_strings_and_encoded_frames_score_alike(model: EscalationModel) -> None:
    frame = random_frame(model.spec, 40)
    encoded = model.prepare(frame)
    assert isinstance(encoded["team"].dtype, pd.CategoricalDtype)
    np.testing.assert_array_equal(model.predict_proba(encoded), model.predict_proba(frame))


def test_unseen_category_is_missing_not_a_new_code(model: EscalationModel) -> None:
    frame = random_frame(model.spec, 3)
    frame["team"] = ["never-seen", "a", None]
    encoded = model.prepare(frame)
    assert encoded["team"].isna().tolist() == [True, False, True]
    assert list(encoded["team"].cat.categories) == list(model.spec.feature("team").categories or ())


def test_contributions_add_up_to_the_raw_score(model: EscalationModel) -> None:
    frame = random_frame(model.spec, 20)
    contrib = model.contributions(frame)
    assert list(contrib.columns) == model.spec.names
    raw = model.booster.predict(model.prepare(frame), raw_score=True)
    bias = np.asarray(model.booster.predict(model.prepare(frame), pred_contrib=True))[:, -1]
    np.testing.assert_allclose(contrib.sum(axis=1) + bias, raw)


def test_explain_names_the_top_features_in_words(model: EscalationModel) -> None:
    frame = random_frame(model.spec, 5)
    frame["customer_messages"] = 4.0
    found = model.explain(frame, top=2)
    assert len(found) == 5
    assert all(len(row) <= 2 for row in found)
    reasons = [c for row in found for c in row]
    assert reasons and all(c.contribution > 0 and c.text for c in reasons)
    messages = [c for c in reasons if c.feature == "customer_messages"]
    assert messages, "the feature the label was made of should push the risk up"
    assert messages[0].text == "4 customer messages so far" and messages[0].value == 4.0


def test_missing_feature_column_is_named(model: EscalationModel) -> None:
    frame = random_frame(model.spec, 2).drop(columns=["age_hours"])
    with pytest.raises(ConfigError, match=r"the feature frame lacks age_hours; the model reads \d+ features"):
        model.predict_proba(frame)


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"no model file at .*; train one with `escalation train"):
        load_model(tmp_path / "none.json")
    (tmp_path / "old.json").write_text(json.dumps({"format": "escalation-risk-model/1"}))
    with pytest.raises(ConfigError, match=r"format 'escalation-risk-model/1'.*retrain"):
        load_model(tmp_path / "old.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ConfigError, match="is not JSON"):
        load_model(tmp_path / "bad.json")


def _damaged(saved: dict[str, object], how: str) -> object:
    data = json.loads(json.dumps(saved))
    booster = str(data["booster"])
    spec = data["feature_spec"]
    if how == "a list":
        return [data]
    if how == "booster cut in its trees":
        data["booster"] = booster[: booster.index("end of trees") // 2]
    elif how == "no booster":
        del data["booster"]
    elif how == "booster not lightgbm":
        data["booster"] = "garbage"
    elif how == "no calibrator method":
        data["calibrator"] = {"kind": "x"}
    elif how == "threshold not a number":
        data["threshold"] = "high"
    elif how == "another feature spec version":
        spec["version"] = 999
    elif how == "a feature this code does not build":
        spec["features"][0]["name"] = "renamed_feature"
    elif how == "fewer features than the booster":
        spec["features"] = spec["features"][:-3]
    elif how == "test figures without their baselines":
        data["metadata"]["evaluation"] = {"target": "escalation", "roc_auc": 0.8}
    return data


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("a list", r"is not an escalation model file of this version \(a JSON list"),
        ("booster cut in its trees", "is damaged: its LightGBM booster is cut short or edited"),
        ("no booster", "is damaged: it holds no LightGBM booster"),
        ("booster not lightgbm", "is damaged: it holds no LightGBM booster"),
        ("no calibrator method", "is damaged: its part 'method' cannot be read"),
        ("threshold not a number", r"is damaged: its content \(ValueError\) cannot be read"),
        ("test figures without their baselines",
         r"is damaged: its metadata key 'evaluation' is damaged \(KeyError: 'baselines'\)"),
        ("another feature spec version", "was trained on feature spec v999, this code builds v1"),
        ("a feature this code does not build",
         r"reads features this code does not build \(renamed_feature\)"),
        ("fewer features than the booster",
         r"is inconsistent: its booster reads \d+ features, its feature spec \d+"),
    ],
)
def test_a_damaged_or_foreign_model_file_is_refused_naming_it(
    model: EscalationModel, tmp_path: Path, how: str, says: str
) -> None:
    """Each is a ConfigError naming the file at load — not a KeyError, a LightGBM abort of the whole process
    (a booster cut inside its trees), or a model that loads and then fails every request it scores."""
    saved = json.loads(model.save(tmp_path / "good.json").read_text(encoding="utf-8"))
    path = tmp_path / "m.json"
    path.write_text(json.dumps(_damaged(saved, how)), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"model file {path} {says}.*retrain with `escalation train`"):
        load_model(path)
    (tmp_path / "bytes.json").write_bytes(b"\xff\xfe garbage")
    with pytest.raises(ConfigError, match="is not JSON"):
        load_model(tmp_path / "bytes.json")


def test_a_save_that_fails_midway_leaves_the_previous_file_whole(
    model: EscalationModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`escalation train` rewriting models/escalation-risk.json while the disk fills up (or the command is
    killed) left half a file where a server reloads from; the file is now replaced whole or not at all."""
    path = model.save(tmp_path / "escalation-risk.json")
    before = path.read_bytes()

    def half_then_full(self: Path, text: str, encoding: str | None = None) -> int:
        with open(self, "w", encoding=encoding) as out:
            out.write(text[: len(text) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", half_then_full)
    says = rf"model file {path} could not be written \(No space left on device\)"
    with pytest.raises(ConfigError, match=says):
        model.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["escalation-risk.json"]  # no temporary file left
