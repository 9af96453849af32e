"""The numpy fast path for a few rows (serving) against the DataFrame path (training, evaluation): on real
feature rows of the committed sample, scores agree to 1e-9 and explanations are the same."""

from __future__ import annotations

import math
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from core.errors import ConfigError
from features.history import load_history
from features.model import Calibrator, EscalationModel
from features.ticket import DEFAULT_SPEC, HistoryContext, build_feature_rows, example_times, history_pairs
from features.ticket.build import FeatureRow
from rules import load_policies
from tests.model_metadata import model_metadata

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "sample"
EXAMPLES = 600


@pytest.fixture(scope="module")
def sample_rows() -> list[FeatureRow]:
    """Feature rows at every event of the sample's first tickets (text features missing)."""
    history = load_history(SAMPLE)
    examples = example_times(history, every_event=True).head(EXAMPLES)
    pairs = history_pairs(history)
    return build_feature_rows(
        pairs, examples, {}, load_policies(), HistoryContext(pairs.values()), progress=False
    )


def trained(rows: list[FeatureRow], calibrator: Calibrator) -> EscalationModel:
    spec = DEFAULT_SPEC.with_categories_from(rows[: len(rows) // 2])  # later rows bring unseen categories
    frame = spec.encode(rows)
    rng = np.random.default_rng(3)
    score = (
        frame["age_business_hours"].fillna(0) / 10
        + (frame["priority"].cat.codes == 2)
        + rng.normal(0, 0.7, len(frame))
    )
    booster = lgb.train(
        {"objective": "binary", "num_leaves": 15, "verbose": -1, "seed": 1, "min_data_per_group": 5},
        lgb.Dataset(frame, (score > 1.5).astype(int)),
        num_boost_round=40,
    )
    return EscalationModel(spec, booster, calibrator, threshold=0.3, metadata=model_metadata())


CALIBRATORS = [
    Calibrator("isotonic", [0.0, 0.2, 0.5, 1.0], [0.01, 0.1, 0.45, 0.95]),
    Calibrator("platt", a=1.3, b=-0.2),
    Calibrator("none"),
]


@pytest.mark.parametrize("calibrator", CALIBRATORS, ids=lambda c: c.method)
def test_rows_score_as_the_frame_does(sample_rows: list[FeatureRow], calibrator: Calibrator) -> None:
    model = trained(sample_rows, calibrator)
    frame = pd.DataFrame(sample_rows)
    expected = model.predict_proba(frame)
    np.testing.assert_allclose(model.predict_proba_rows(sample_rows), expected, rtol=0, atol=1e-9)
    assert model._sigmoid_of_margin  # score_rows reads the risk off the contributions' sum
    one_at_a_time = [float(model.score_rows([r])[0][0]) for r in sample_rows[:100]]
    np.testing.assert_allclose(one_at_a_time, expected[:100], rtol=0, atol=1e-9)


def test_rows_explain_as_the_frame_does(sample_rows: list[FeatureRow]) -> None:
    model = trained(sample_rows, CALIBRATORS[0])
    rows = sample_rows[::3]
    _, explained = model.score_rows(rows, top=3)
    expected = model.explain(pd.DataFrame(rows), top=3)
    assert [[(c.feature, c.value, c.text) for c in e] for e in explained] == [
        [(c.feature, c.value, c.text) for c in e] for e in expected
    ]
    got = np.array([c.contribution for e in explained for c in e])
    np.testing.assert_allclose(got, [c.contribution for e in expected for c in e], rtol=0, atol=1e-12)


def test_unseen_missing_and_odd_values_encode_as_the_frame_does(sample_rows: list[FeatureRow]) -> None:
    model = trained(sample_rows, CALIBRATORS[0])
    odd = []
    for i, value in enumerate(["never-seen", None, math.nan, 3, True]):
        row = dict(sample_rows[i])
        row["team"] = value
        row["product"] = value
        row["age_hours"] = None if i % 2 else "12.5"  # text that is a number, as to_numeric reads it
        odd.append(row)
    expected = model.prepare(pd.DataFrame(odd))
    got = model.row_encoder.encode(odd)
    for j, name in enumerate(model.spec.names):
        column = expected[name]
        want = column.to_numpy(dtype="float64") if name not in model.spec.categorical else None
        if want is None:
            codes = column.cat.codes.to_numpy(dtype="float64")
            want = np.where(codes < 0, np.nan, codes)
        np.testing.assert_array_equal(got[:, j], want, err_msg=name)
    np.testing.assert_allclose(
        model.predict_proba_rows(odd), model.predict_proba(pd.DataFrame(odd)), atol=1e-9
    )


def test_a_row_missing_a_feature_names_it(sample_rows: list[FeatureRow]) -> None:
    model = trained(sample_rows, CALIBRATORS[2])
    row = dict(sample_rows[0])
    del row["age_hours"]
    with pytest.raises(ConfigError, match="lacks age_hours"):
        model.predict_proba_rows([row])
