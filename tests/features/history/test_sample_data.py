"""The committed sample history (data/sample/) meets the format it documents."""

from __future__ import annotations

import pytest

from core.settings import get_settings
from features.history import load_history
from features.history.summary import summarize


def test_the_sample_history_validates() -> None:
    sample = get_settings().paths.sample_dir
    if not any(sample.glob("tickets.*")):
        pytest.skip(f"no tickets file in {sample} yet: `make sample` (training/synthetic) writes it")
    history = load_history(sample)  # raises DataValidationError listing every problem
    assert len(history.tickets) > 0 and len(history.events) > 0
    assert set(history.tickets["language"]) >= {"en", "de", "no"}
    figures = summarize(history)
    assert 0 < figures["escalation"]["rate"] < 1
