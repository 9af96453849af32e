"""Time-based split by ticket creation: train on older tickets, validate and test on newer ones.

Never a random split of events: every example of a ticket lands in the part its creation time falls in,
so nothing the model sees in training happened after the tickets it is tested on were created.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors import ConfigError

PARTS = ("train", "valid", "test")


@dataclass(frozen=True)
class Split:
    """Creation-time boundaries: train < valid_from <= valid < test_from <= test."""

    valid_from: pd.Timestamp
    test_from: pd.Timestamp
    first: pd.Timestamp
    last: pd.Timestamp

    def part_of(self, created_at: pd.Series) -> np.ndarray:
        return np.select(
            [created_at >= self.test_from, created_at >= self.valid_from], ["test", "valid"], default="train"
        )

    def dates(self) -> dict[str, str]:
        day = "%Y-%m-%d"
        return {
            "train_from": self.first.strftime(day),
            "valid_from": self.valid_from.strftime(day),
            "test_from": self.test_from.strftime(day),
            "test_to": self.last.strftime(day),
        }


def split_by_creation(
    created_at: pd.Series, test_fraction: float = 0.2, valid_fraction: float = 0.2
) -> Split:
    """The newest `test_fraction` of tickets is the test period, the `valid_fraction` before it the
    validation period (early stopping, calibration, threshold), the rest trains."""
    for name, value in (("--test-fraction", test_fraction), ("--valid-fraction", valid_fraction)):
        if not 0 < value < 1:
            raise ConfigError(f"{name} must lie between 0 and 1, got {value}; e.g. 0.2")
    if test_fraction + valid_fraction >= 0.9:
        raise ConfigError(
            f"--test-fraction {test_fraction} + --valid-fraction {valid_fraction} leave less "
            "than 10 % of the tickets to train on; lower them"
        )
    ordered = created_at.sort_values(kind="stable").reset_index(drop=True)
    if len(ordered) < 10:
        raise ConfigError(f"only {len(ordered)} ticket(s) to split; training needs at least 10")
    n = len(ordered)
    test_from = ordered.iloc[min(n - 1, round(n * (1 - test_fraction)))]
    valid_from = ordered.iloc[round(n * (1 - test_fraction - valid_fraction))]
    empty = ("no ticket created before the validation period" if valid_from == ordered.iloc[0]
             else "no ticket in the validation period" if valid_from == test_from else None)
    if empty:  # tickets stamped with one instant (an export's own time): the times cannot be split
        raise ConfigError(
            f"all {n} tickets were created at {ordered.nunique()} instant(s) ({ordered.iloc[0]} to "
            f"{ordered.iloc[-1]}), so the split by creation time finds {empty} (from {valid_from}); "
            "give a history whose tickets' created_at are when each was opened"
        )
    return Split(
        pd.Timestamp(valid_from),
        pd.Timestamp(test_from),
        pd.Timestamp(ordered.iloc[0]),
        pd.Timestamp(ordered.iloc[-1]),
    )
