"""A training run's readable name: target, data, start time in UTC, and the options off their defaults."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from training.fit import BoostParams
from training.run_name import data_name, run_name
from training.targets import parse_target
from training.train import TrainConfig

OSLO_NOON = datetime(2026, 12, 3, 12, 5, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(("path", "name"), [
    ("data/sample", "sample"),
    ("data/sample/", "sample"),
    ("exports/incidents.csv", "incidents"),
    ("history.jsonl.gz", "history"),
    ("exports/2024.q1", "2024.q1"),  # a folder's dots are kept
])
def test_data_name(path: str, name: str) -> None:
    assert data_name(Path(path)) == name


def test_defaults_name_target_data_time_and_examples() -> None:
    config = TrainConfig(parse_target())
    assert run_name(config, "sample", OSLO_NOON) == "escalation@72h · sample · 2026-12-03 11:05 UTC · events"


def test_options_off_their_defaults_are_named() -> None:
    config = TrainConfig(
        parse_target("outcome:sla_failed"), seed=7, every_event=False, calibration="platt",
        params=BoostParams(num_boost_round=50), ticket_features=("open_hour", "open_weekday"),
        at_creation=False, refit="crossfit", tune_trials=20,
    )
    assert run_name(config, "incidents", OSLO_NOON, text=False) == (
        "outcome:sla_failed · incidents · 2026-12-03 11:05 UTC · messages, no text, refit crossfit, "
        "calibration platt, no creation examples, tune 20, 2 ticket features, seed 7"
    )
    one = TrainConfig(parse_target("escalation:hierarchical", "24h"), ticket_features=("region",))
    assert run_name(one, "sample", OSLO_NOON).endswith(" · events, 1 ticket feature")
    assert run_name(one, "sample", OSLO_NOON).startswith("escalation:hierarchical@24h · ")
