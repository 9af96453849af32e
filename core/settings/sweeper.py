"""The SLA sweeper, and the GET /metrics and GET /healthz of `escalation sweep` when it runs on its own."""

from __future__ import annotations

from pydantic import Field, model_validator

from core.bounds import YEAR_S
from core.settings.section import Section


class SweeperSettings(Section):
    """The SLA sweeper (docs/api.md): wakes at the earliest next_due_at among open tickets."""

    enabled: bool = True  # run inside the API process; False when `escalation sweep` runs on its own
    # re-read the earliest due time at least this often
    max_sleep_s: float = Field(default=30.0, gt=0, le=YEAR_S)
    # due tickets read from the store at once; a pass reads on until none is due, each re-assessed once
    batch_size: int = Field(default=100, ge=1, le=10_000)
    # a ticket whose assessment failed (serving/isolation.py) is retried after base × 2^(n−1) s, capped
    retry_base_s: float = Field(default=30.0, gt=0, le=YEAR_S)
    retry_max_s: float = Field(default=3600.0, gt=0, le=YEAR_S)
    # `escalation sweep` serves GET /metrics and GET /healthz at metrics_host:metrics_port (docs/api.md, "The
    # sweeper on its own"); None (default): it serves nothing, as several may run on one host and a fixed
    # port would stop the second. No key is asked: keep the host on loopback or a network only scrapers reach.
    # The API's own sweeper is on the API's GET /metrics.
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # GET /healthz answers 503 once the last completed pass is older than this (the loop stuck, or every
    # pass failing: the store away)
    healthy_within_s: float = Field(default=300.0, gt=0, le=YEAR_S)

    @model_validator(mode="after")
    def _health_outlasts_a_sleep(self) -> SweeperSettings:
        if self.metrics_port is not None and self.healthy_within_s <= self.max_sleep_s:
            raise ValueError(
                f"sweeper.healthy_within_s ({self.healthy_within_s:g} s) is not longer than the sweeper may "
                f"sleep between two passes (sweeper.max_sleep_s, {self.max_sleep_s:g} s): GET /healthz would "
                "answer 503 between healthy passes; give ESCALATION_SWEEPER__HEALTHY_WITHIN_S above "
                f"{self.max_sleep_s:g}"
            )
        return self
