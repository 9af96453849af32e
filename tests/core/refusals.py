"""Start-up's one-line ConfigError for some environment variables, shared by the settings tests."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.settings import get_settings


def refusal(monkeypatch: pytest.MonkeyPatch, **variables: str) -> str:
    """The one-line ConfigError that start-up gives with these environment variables set (settings read
    afresh before and after)."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError) as bad:
            get_settings()
    finally:
        get_settings.cache_clear()
    return str(bad.value)
