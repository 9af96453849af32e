"""GET /metrics."""

from __future__ import annotations

from pydantic import Field

from core.bounds import YEAR_S
from core.settings.section import Section


class MetricsSettings(Section):
    enabled: bool = True  # GET /metrics
    require_key: bool = False  # True: a manager (or admin) key is needed to scrape
    # store-derived counters are re-read at most this often
    cache_s: float = Field(default=10.0, ge=0, le=YEAR_S)
