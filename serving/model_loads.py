"""`ModelLoads`: how this process loads the escalation model — at start-up, on POST /v1/admin/reload and on
the periodic check of the registry — and what came of it: what was swapped in, which loads failed and why.
A failed load never replaces the model being served: the server keeps scoring with the one it has, logs the
reason, and GET /metrics counts it (`escalation_model_load_failures_total`, `escalation_model_load_failing`).
The swap itself is the service's (`Service.reload`)."""

from __future__ import annotations

import logging
import threading
from collections import Counter

from core.errors import EscalationError
from core.logs import exception_name
from core.settings import Settings
from serving.assess.models import (
    LoadedModel,
    file_model,
    file_version,
    load_escalation_model,
    registered_version,
    registry_ref,
    served_file,
)
from serving.errors import ModelLoadError

log = logging.getLogger("serving.model")

STAGES = ("startup", "reload", "check")  # the first load, POST /v1/admin/reload, the periodic check


class ModelLoads:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()  # reloads run in the request thread pool and in the check's thread
        self.failures_total: Counter[str] = Counter()  # stage -> failed loads
        self.swaps_total = 0
        self.failing_version: str | None = None  # what the latest failed load wanted; None after a success
        self.last_error: str | None = None

    def failed(self, stage: str, exc: BaseException, wanted: str | None, serving: str | None) -> str:
        """Count and log a failed load; returns the reason. Our errors say what and which file or URI; of
        another exception only its type is logged (its message could quote the file's content)."""
        reason = str(exc) if isinstance(exc, EscalationError) else f"{exception_name(exc)} while loading"
        with self._lock:
            self.failures_total[stage] += 1
            self.failing_version = wanted or "unknown"
            self.last_error = reason
        log.error(
            "model %s could not be loaded (%s): %s; still serving %s",
            wanted or "?", stage, reason, serving or "no model (rules-only)",
        )
        return reason

    def swapped(self, stage: str, old: str | None, new: str | None) -> None:
        with self._lock:
            self.swaps_total += int(old != new)
            self.failing_version = None
            self.last_error = None
        if old != new:
            log.info("model %s -> %s (%s)", old or "none", new or "none (rules-only)", stage)

    def failing(self) -> bool:
        with self._lock:
            return self.failing_version is not None

    def first(self) -> LoadedModel | None:
        """The model at start-up. A registry model that cannot be loaded (a broken file, the registry down)
        does not stop the server: it starts on the model file (or rules-only), logged and counted; a reload
        tries again at once, the check once the alias moves. A model file that cannot be read stops it: that
        is configuration."""
        try:
            return load_escalation_model(self.settings)
        except Exception as exc:
            if registry_ref(self.settings) is None:
                raise
            fallback = file_model(self.settings)
            self.failed("startup", exc, self._wanted(), fallback.version if fallback else None)
            return fallback

    def load(self, stage: str, served: str | None, wanted: str | None = None) -> LoadedModel | None:
        """The configured model, loaded anew; a failure is logged and counted and raises ModelLoadError."""
        try:
            return load_escalation_model(self.settings)
        except Exception as exc:  # a broken file or registry must not take the served model away
            wanted = wanted or self._wanted()
            reason = self.failed(stage, exc, wanted, served)
            raise ModelLoadError(
                f"model {wanted} could not be loaded: {reason}; still serving "
                f"{served or 'no model (rules-only)'}"
            ) from None

    def due(self, served: str | None) -> tuple[bool, str | None]:
        """Whether the model to serve has changed — the registry's alias moved, or, where the file serves, its
        content — and the version it is now. A version that failed to load is not due again until it changes
        once more. The file is followed too: `POST /v1/admin/reload` reaches the one process that answers,
        and the other workers and instances take up the file it loaded at their next check."""
        ref = registry_ref(self.settings)
        wanted = registered_version(self.settings) if ref is not None else None
        if wanted is None and ref is not None:
            if not ref.fallback:  # an explicit models:/ URI whose alias names no version: the served stays
                return False, None
            if served is not None and not served.startswith("file:"):  # the alias gone: the file stands in
                return True, None
        if wanted is None:  # the file serves: its content, read again (a model file is a few MB at most)
            path = served_file(self.settings)
            if path is None or not path.is_file():  # gone: the served model stays
                return False, None
            wanted = file_version(path)
        with self._lock:
            return wanted != served and wanted != self.failing_version, wanted

    def _wanted(self) -> str:
        """What the settings ask for, for a failure's message: the registry's version when it answers."""
        ref = registry_ref(self.settings)
        if ref is None:
            return self.settings.serving.model_uri or "the model file"
        try:
            return registered_version(self.settings) or ref.uri
        except Exception:  # the registry itself is what failed
            return ref.uri
