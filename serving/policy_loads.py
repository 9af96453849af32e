"""`PolicyLoads`: how this process reads the SLA policy file again after start-up — on POST /v1/admin/reload —
and what came of it. A file with problems never replaces the policies in force: the process goes on judging
with them, logs each problem at its line, and GET /metrics counts it (`escalation_policy_load_failures_total`,
`escalation_policy_load_failing`), as serving/model_loads.py does for the model. The swap is the service's."""

from __future__ import annotations

import logging
import threading
from collections import Counter

from core.errors import ConfigError
from core.settings import Settings
from rules import PolicySet, load_policies
from serving.errors import PolicyLoadError

log = logging.getLogger("serving.policies")

STAGES = ("reload",)  # POST /v1/admin/reload


class PolicyLoads:
    def __init__(self, settings: Settings) -> None:
        self.path = settings.paths.policy_file  # None: the shipped default
        self._lock = threading.Lock()
        self.failures_total: Counter[str] = Counter()  # stage -> refused files
        self.failing = False  # whether the latest read found problems (the policies in force stayed)

    def load(self, stage: str, served: str) -> PolicySet:
        """The policy file, read and checked as at start-up. A file with problems is logged (each problem at
        its line, as the checks word it) and counted, and raises PolicyLoadError; `served` stays in force."""
        try:
            policies = load_policies(self.path)
        except ConfigError as exc:
            with self._lock:
                self.failures_total[stage] += 1
                self.failing = True
            log.error("policy file refused (%s); still running policy file %s: %s", stage, served, exc)
            raise PolicyLoadError(f"{exc}\nstill running policy file {served}") from None
        with self._lock:
            self.failing = False
        return policies
