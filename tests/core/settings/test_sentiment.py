"""The encoder's batch: one cap (core.bounds.ENCODER_BATCH_MAX) for the setting and `train-sentiment`."""

from __future__ import annotations

import pytest

from core.bounds import ENCODER_BATCH_MAX
from core.errors import ConfigError
from core.settings import get_settings


def test_the_batch_setting_takes_the_encoders_cap_and_refuses_more_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ESCALATION_SENTIMENT__BATCH_SIZE", str(ENCODER_BATCH_MAX))
    get_settings.cache_clear()
    assert get_settings().sentiment.batch_size == ENCODER_BATCH_MAX
    monkeypatch.setenv("ESCALATION_SENTIMENT__BATCH_SIZE", str(ENCODER_BATCH_MAX + 1))
    get_settings.cache_clear()
    with pytest.raises(ConfigError) as refused:
        get_settings()
    get_settings.cache_clear()
    assert str(refused.value) == (
        f"settings: ESCALATION_SENTIMENT__BATCH_SIZE: '{ENCODER_BATCH_MAX + 1}': give a whole number, "
        f"at least 1 and at most {ENCODER_BATCH_MAX:,}"
    )
