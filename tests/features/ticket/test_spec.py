"""The feature spec: stable categorical encoding, unseen -> NaN, round trip, words for values."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from core.errors import ConfigError
from core.sla import TargetKind
from core.text import SignalName
from features.ticket import DEFAULT_SPEC, FEATURES, FeatureSpec


def row(**values: float | str | None) -> dict[str, float | str | None]:
    return {f.name: (0.0 if f.kind == "numeric" else None) for f in FEATURES} | values


def test_names_are_unique_and_every_feature_has_words() -> None:
    names = [f.name for f in FEATURES]
    assert len(names) == len(set(names))
    assert all("{value}" in f.template and f.unit for f in FEATURES)


def test_open_categoricals_learn_sorted_categories_closed_ones_keep_the_vocabulary() -> None:
    spec = DEFAULT_SPEC.with_categories_from([row(team="billing"), row(team="accounts"), row(team=None)])
    assert spec.feature("team").categories == ("accounts", "billing")
    assert spec.feature("channel").categories == ("email", "web", "phone", "chat", "twitter", "facebook")


def test_encoding_is_the_same_across_frames_and_unseen_values_become_nan() -> None:
    spec = DEFAULT_SPEC.with_categories_from([row(team="billing"), row(team="accounts")])
    a = spec.encode([row(team="billing", channel="chat")])
    b = spec.encode([row(team="accounts"), row(team="billing", channel="chat"), row(team="logistics")])
    assert a["team"].cat.codes[0] == b["team"].cat.codes[1] == 1
    assert a["channel"].cat.codes[0] == b["channel"].cat.codes[1]
    assert a["team"].dtype == b["team"].dtype
    assert pd.isna(b["team"].iloc[2])  # never seen in training: missing, not a new code
    assert list(b.columns) == spec.names
    assert (b.dtypes[spec.categorical] == "category").all()


def test_numeric_none_is_nan_and_columns_are_float() -> None:
    frame = DEFAULT_SPEC.with_categories_from([row()]).encode([row(customer_value=None, age_hours=2)])
    assert math.isnan(frame["customer_value"].iloc[0]) and frame["age_hours"].iloc[0] == 2.0
    assert frame["age_hours"].dtype == "float64"


def test_a_spec_without_learned_categories_refuses_to_encode() -> None:
    with pytest.raises(ConfigError, match="with_categories_from"):
        DEFAULT_SPEC.encode([row(team="billing")])


def test_round_trip_through_json() -> None:
    spec = DEFAULT_SPEC.with_categories_from([row(team="billing", product="Nimbus Pay")])
    again = FeatureSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec
    assert again.encode([row(team="billing")]).equals(spec.encode([row(team="billing")]))


def test_categories_read_back_from_an_encoded_frame() -> None:
    spec = DEFAULT_SPEC.with_categories_from([row(team="billing"), row(team="accounts")])
    frame = spec.encode([row(team="accounts")])  # only one value present, both categories in the dtype
    assert DEFAULT_SPEC.with_categories_from(frame) == spec


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("wait_run_business_hours", 6.5,
         "customer waited 6.5 business hours since their first unanswered message"),
        ("customer_messages", 3.0, "3 customer messages so far"),
        ("channel", "twitter", "channel twitter"),
        ("customer_last_csat", math.nan, "customer's last satisfaction rating: unknown"),
        ("sentiment_last", -0.8123, "last customer message sentiment -0.81"),
    ],
)
def test_values_in_words(name: str, value: float | str, words: str) -> None:
    assert DEFAULT_SPEC.describe(name, value) == words


def test_unknown_feature_name_says_where_to_look() -> None:
    with pytest.raises(ConfigError, match=r"docs/features\.md"):
        DEFAULT_SPEC.describe("nope", 1.0)


def test_docs_list_every_feature() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "features.md").read_text(encoding="utf-8")
    generic = {f"sla_{k.value}_": "sla_{target}_" for k in TargetKind} | {
        f"signal_{s.value}": "signal_{name}" for s in SignalName
    }
    missing = []
    for f in FEATURES:
        shown = f.name
        for concrete, pattern in generic.items():
            shown = shown.replace(concrete, pattern)
        if f"`{shown}`" not in docs:
            missing.append(f.name)
    assert not missing, f"add these to docs/features.md: {missing}"
