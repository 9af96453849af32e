from datetime import timedelta

import pytest

from core.enums import EscalationType
from core.errors import ConfigError
from training.targets import parse_target


def test_default_is_any_escalation_within_72h() -> None:
    target = parse_target()
    assert (target.kind, target.horizon, target.types) == ("escalation", timedelta(hours=72), ())
    assert target.name == "escalation@72h"


def test_types_and_outcome() -> None:
    assert parse_target("escalation:hierarchical,functional", "1d").types == (
        EscalationType.HIERARCHICAL, EscalationType.FUNCTIONAL)
    outcome = parse_target("outcome:sla_breached")
    assert (outcome.kind, outcome.column, outcome.has_instants) == ("outcome", "sla_breached", False)


@pytest.mark.parametrize(("spec", "horizon", "message"), [
    ("escalation:angry", "72h", "unknown escalation type 'angry'; known types: functional"),
    ("outcome:", "72h", "outcome needs a column"),
    ("churn", "72h", "unknown target 'churn'"),
    ("escalation", "72", "--horizon: '72' is not a duration"),
    ("escalation", "0h", "--horizon must be longer than zero"),
])
def test_bad_targets_say_what_to_do(spec: str, horizon: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        parse_target(spec, horizon)
