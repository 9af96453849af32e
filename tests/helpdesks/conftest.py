"""Helpdesk fixtures: payloads written from each vendor's documented field names (payloads/)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from core.settings import HelpdeskWebhook

PAYLOADS = Path(__file__).parent / "payloads"
BODY_MAX = 5_000


def payload(vendor: str, name: str) -> Any:
    """A fresh copy of a vendor payload: each test changes its own."""
    return copy.deepcopy(json.loads((PAYLOADS / vendor / name).read_text(encoding="utf-8")))


@pytest.fixture
def config() -> HelpdeskWebhook:
    return HelpdeskWebhook(customer_tier="gold", product="invoicing", category="billing", language="en",
                           team="support", groups={"8447320466430": "billing", "430": "billing"})
