"""`PolicyLoads`: how this process reads the SLA policy file again after start-up — on POST /v1/admin/reload,
and in `escalation sweep` when the file's content has changed (`changed`) — and what came of it. A file with
problems never replaces the policies in force: the process goes on judging with them, logs each problem at its
line, and GET /metrics counts it (`escalation_policy_load_failures_total`, `escalation_policy_load_failing`),
as serving/model_loads.py does for the model. The swap is the service's (`Service.reload_all`,
`Service.check_policy_file`)."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter

from core.errors import ConfigError
from core.settings import Settings
from rules import PolicySet, load_policies
from rules.policy_file import DEFAULT_POLICY_FILE, MAX_BYTES
from serving.errors import PolicyLoadError

log = logging.getLogger("serving.policies")

# The stages GET /metrics shows: POST /v1/admin/reload in the API, and "check", `escalation sweep`'s look at
# the file before each pass (on its own GET /metrics, serving/sweeper/endpoint.py).
STAGES = ("reload", "check")


class PolicyLoads:
    def __init__(self, settings: Settings) -> None:
        self.path = settings.paths.policy_file or DEFAULT_POLICY_FILE
        self._lock = threading.Lock()
        self.failures_total: Counter[str] = Counter()  # stage -> refused files
        self.failing = False  # whether the latest read found problems (the policies in force stayed)
        self._read = self._digest()  # the content last read: the process started on it

    def changed(self) -> bool:
        """Whether the file's content differs from what was last read (a hash of at most MAX_BYTES + 1 bytes,
        a few KB: cheap at every sweep). A file that cannot be read counts as changed: `load` says why."""
        return self._digest() != self._read

    def load(self, stage: str, served: str) -> PolicySet:
        """The policy file, read and checked as at start-up. A file with problems is logged (each problem at
        its line, as the checks word it) and counted, and raises PolicyLoadError; `served` stays in force."""
        digest = self._digest()
        try:
            policies = load_policies(self.path)
        except ConfigError as exc:
            with self._lock:
                self.failures_total[stage] += 1
                self.failing = True
                self._read = digest  # judged: the same content is not read (and logged) again
            # one line: each problem with its line, as the checks word it (never the file's lines themselves)
            problems = " | ".join(line.strip() for line in str(exc).splitlines())
            log.error("policy file refused (%s); still running policy file %s: %s", stage, served, problems)
            raise PolicyLoadError(f"{exc}\nstill running policy file {served}") from None
        with self._lock:
            self.failing = False
            self._read = digest
        return policies

    def _digest(self) -> str | None:
        try:
            with open(self.path, "rb") as file:
                return hashlib.sha256(file.read(MAX_BYTES + 1)).hexdigest()
        except OSError:
            return None
