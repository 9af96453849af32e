"""`escalation sweep` as an operator runs it beside the API: the real command, its own process, on one
PostgreSQL database. It re-assesses due tickets with the risk model, so it follows a new model (the
registry's champion moved, a model file replaced) at its periodic check, as every API process does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from serving.assess.models import file_version
from serving.store.database import Database
from serving.store.tables import Base
from tests.serving.conftest import free_port, make_model

ROOT = Path(__file__).resolve().parents[3]


def served_version(url: str) -> str | None:
    """The model version `escalation_model_info` names in the process's GET /metrics; None while it starts."""
    try:
        text = httpx.get(f"{url}/metrics", timeout=5).text
    except httpx.TransportError:
        return None
    return next((s.labels["version"] for f in text_string_to_metric_families(text) for s in f.samples
                 if s.name == "escalation_model_info" and s.value == 1), None)


@pytest.fixture
def sweep_process(postgres_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    models = tmp_path / "models"
    models.mkdir()
    make_model(1).save(models / "escalation-risk.json")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_")}
    env |= {"ESCALATION_DATABASE_URL": postgres_url, "ESCALATION_PATHS__MODELS_DIR": str(models),
            "ESCALATION_SERVING__MODEL_SOURCE": "file", "ESCALATION_SERVING__MODEL_CHECK_S": "0.5",
            "ESCALATION_SERVING__SENTIMENT": "false", "ESCALATION_SWEEPER__METRICS_PORT": str(port),
            "ESCALATION_LOGGING__LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", "from core.cli import main; main()", "sweep"], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}", models / "escalation-risk.json"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        database = Database(postgres_url)  # the database is shared by this run's tests: leave it empty
        Base.metadata.drop_all(database.engine)
        with database.engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        database.dispose()


def wait_for(url: str, wanted: str) -> str | None:
    """The served version, polled until it is `wanted` (at most 60 s: the start, then a 0.5 s check)."""
    seen = served_version(url)
    for _ in range(600):
        if seen == wanted:
            break
        threading.Event().wait(0.1)
        seen = served_version(url)
    return seen


def test_a_sweep_process_follows_a_replaced_model_file(sweep_process: tuple[str, Path]) -> None:
    url, model = sweep_process
    assert wait_for(url, file_version(model)) == file_version(model)
    make_model(2).save(model.with_name("next.json"))
    os.replace(model.with_name("next.json"), model)  # as `escalation train` and a deploy write it
    assert wait_for(url, file_version(model)) == file_version(model)
