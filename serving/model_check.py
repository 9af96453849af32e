"""The periodic model check: each server process asks the MLflow registry every
settings.serving.model_check_s seconds where the alias (champion) points, and swaps the new version in when
it moved (`Service.check_model`). Every process checks for itself, so `escalation promote` reaches all the
workers of `escalation serve`; POST /v1/admin/reload reaches only the one that answers it."""

from __future__ import annotations

import logging

from core.settings import Settings
from serving.assess.models import registry_ref
from serving.service import Service
from serving.sweeper.loop import BackgroundLoop

log = logging.getLogger("serving.model")


def start_model_check(service: Service, settings: Settings) -> BackgroundLoop | None:
    """The check's loop, started; None when the settings serve a file or turn the check off (0 s)."""
    period = settings.serving.model_check_s
    ref = registry_ref(settings)
    if ref is None or period <= 0:
        return None

    def step() -> float:
        service.check_model()  # a registry that does not answer raises: the loop logs it and retries
        return period

    # the first step would only ask what start-up just loaded: wait one period first
    loop = BackgroundLoop("model-check", step, retry_s=period, first_wait_s=period)
    loop.start()
    log.info("model check: %s every %g s", ref.uri, period)
    return loop
