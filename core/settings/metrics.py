"""GET /metrics."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from core.bounds import YEAR_S
from core.settings.section import Section


class MetricsSettings(Section):
    enabled: bool = True  # GET /metrics
    require_key: bool = False  # True: a manager (or admin) key is needed to scrape
    # store-derived counters are re-read at most this often
    cache_s: float = Field(default=10.0, ge=0, le=YEAR_S)
    # the folder the server processes of one `escalation serve --workers N` share their figures in, so that
    # any of them answers GET /metrics for all (serving/metrics/shared.py); set by the command for its
    # workers, with prometheus_client's PROMETHEUS_MULTIPROC_DIR. None: this process's figures alone
    shared_dir: Path | None = None
