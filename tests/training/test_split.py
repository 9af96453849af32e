import pandas as pd
import pytest

from core.errors import ConfigError
from training.split import split_by_creation


def test_newest_tickets_are_tested() -> None:
    created = pd.Series(pd.date_range("2024-01-01", periods=100, freq="D", tz="UTC"))
    split = split_by_creation(created, test_fraction=0.2, valid_fraction=0.1)
    parts = pd.Series(split.part_of(created))
    assert parts.value_counts().to_dict() == {"train": 70, "valid": 10, "test": 20}
    assert created[parts == "train"].max() < created[parts == "valid"].min()
    assert created[parts == "valid"].max() < created[parts == "test"].min()
    assert split.dates() == {"train_from": "2024-01-01", "valid_from": "2024-03-11",
                             "test_from": "2024-03-21", "test_to": "2024-04-09"}


@pytest.mark.parametrize(("test", "valid", "message"), [
    (0.0, 0.2, "--test-fraction must lie between 0 and 1"),
    (0.5, 0.45, "leave less than 10 %"),
])
def test_bad_fractions(test: float, valid: float, message: str) -> None:
    created = pd.Series(pd.date_range("2024-01-01", periods=100, freq="D", tz="UTC"))
    with pytest.raises(ConfigError, match=message):
        split_by_creation(created, test, valid)


def test_tickets_created_at_one_instant_leave_no_period_to_train_on() -> None:
    """Every ticket created at the same instant (an export that stamped them all with its own time): the
    split by creation has nothing before the validation period. Said so, not "0 positives in the training
    period"."""
    day = pd.Timestamp("2026-05-01", tz="UTC")
    with pytest.raises(ConfigError, match=r"all 300 tickets were created at 1 instant\(s\).*no ticket "
                                          r"created before the validation period"):
        split_by_creation(pd.Series([day] * 300))
    two = pd.Series([day] * 150 + [day + pd.Timedelta(days=1)] * 150)
    with pytest.raises(ConfigError, match=r"created at 2 instant\(s\)"):
        split_by_creation(two)
