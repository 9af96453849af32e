"""The periodic check: every settings.serving.model_check_s seconds each server process looks for a new model
(the registry's alias moved, or the model file's content changed: `Service.check_model`) and an edited policy
file (`Service.check_policy_file`, as `escalation sweep` does before each pass), and swaps in what changed.
Every process checks for itself, so `escalation promote`, a replaced file and a `POST /v1/admin/reload` (which
reaches only the process that answers it) reach all the workers of `escalation serve`, every instance, and
`escalation sweep` (whose re-assessments score with the model)."""

from __future__ import annotations

import logging

from core.settings import Settings
from serving.assess.models import registry_ref, served_file
from serving.service import Service
from serving.sweeper.loop import BackgroundLoop
from serving.sweeper.sweeper import Clock, utc_now

log = logging.getLogger("serving.model")


def start_model_check(service: Service, settings: Settings, clock: Clock = utc_now) -> BackgroundLoop | None:
    """The check's loop, started; None when the settings turn it off (0 s). `clock`: the instant the open
    tickets judged under another policy file are made due at."""
    period = settings.serving.model_check_s
    if period <= 0:
        return None

    def step() -> float:
        # each its own: a registry that does not answer must not hold an edited policy file back
        try:
            service.check_policy_file(clock())  # a file with problems is logged and counted; in force stay
        finally:
            service.check_model()  # a registry that does not answer raises: the loop logs it and retries
        return period

    # the first step would only ask what start-up just loaded: wait one period first
    loop = BackgroundLoop("model-check", step, retry_s=period, first_wait_s=period)
    loop.start()
    ref = registry_ref(settings)
    log.info("model and policy check: %s and the policy file every %g s",
             ref.uri if ref is not None else served_file(settings), period)
    return loop
