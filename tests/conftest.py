"""Test-wide set-up: no network, no hub downloads, settings read fresh for each test."""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Callable, Iterator

import pytest

# Before anything imports transformers: models must come from installed packages, never a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Serving follows the registry's champion by default (model_source auto): tests never see the developer's own
# MLflow store; those that need one set MLFLOW_TRACKING_URI to a temporary store of theirs.
os.environ.pop("ESCALATION_MLFLOW_TRACKING_URI", None)
os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{tempfile.mkdtemp(prefix='escalation-tests-')}/mlflow.db"
# A server process freezes what its start-up left for the garbage collector (serving/collector.py). This test
# process starts many apps, and each freeze would keep its garbage forever: off here. Servers started as
# processes (`escalation serve` in the crash and instance tests) and tests/serving/test_collector.py run it.
os.environ.setdefault("ESCALATION_SERVER__GC_FREEZE", "false")


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    from core.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def log_output() -> Iterator[Callable[..., io.StringIO]]:
    """`log_output(format="text", level="INFO")` configures logging as the commands do (core.logs), writing to
    the StringIO it returns: what the configured handler writes, not what pytest captures. Restored after."""
    from core.logs import QUIET, configure_logging
    from core.settings import LoggingSettings

    root = logging.getLogger()
    before = (list(root.handlers), root.level, {name: logging.getLogger(name).level for name in QUIET})

    def configure(format: str = "text", level: str = "INFO") -> io.StringIO:
        out = io.StringIO()
        configure_logging(LoggingSettings.model_validate({"format": format, "level": level}), stream=out)
        return out

    yield configure
    handlers, level, quiet = before
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)
    for name, value in quiet.items():
        logging.getLogger(name).setLevel(value)
