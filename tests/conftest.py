"""Test-wide set-up: no network, no hub downloads, settings read fresh for each test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Before anything imports transformers: models must come from installed packages, never a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    from core.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
