"""The SLA sweeper."""

from __future__ import annotations

from pydantic import Field

from core.bounds import YEAR_S
from core.settings.section import Section


class SweeperSettings(Section):
    """The SLA sweeper (docs/api.md): wakes at the earliest next_due_at among open tickets."""

    enabled: bool = True  # run inside the API process; False when `escalation sweep` runs on its own
    # re-read the earliest due time at least this often
    max_sleep_s: float = Field(default=30.0, gt=0, le=YEAR_S)
    batch_size: int = Field(default=100, ge=1)  # due tickets re-assessed per pass
    # a ticket whose assessment failed (serving/isolation.py) is retried after base × 2^(n−1) s, capped
    retry_base_s: float = Field(default=30.0, gt=0, le=YEAR_S)
    retry_max_s: float = Field(default=3600.0, gt=0, le=YEAR_S)
