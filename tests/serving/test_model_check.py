"""The periodic check (serving/model_check.py) in every server process: two real `escalation serve` processes
on one PostgreSQL database (as two instances, or two workers of one, each process for itself); the policy file
and the model file replaced and `POST /v1/admin/reload` sent to one of them reach the other too, without a
restart and without a reload of its own."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from serving.store.database import Database
from serving.store.tables import Base
from tests.bench_scripts import bench_module

from .conftest import RULES_ONLY_POLICY, make_model

ADMIN = {"X-API-Key": "dev-admin-key"}


def _harness() -> type:
    """bench/harness.py's ServerProcess: the real `escalation serve` on a free loopback port."""
    return bench_module("harness").ServerProcess  # type: ignore[no-any-return]


def replace(path: Path, text: str) -> None:
    """As a deploy does: written beside and renamed over, so that no reader sees half a file."""
    part = path.with_name(path.name + ".part")
    part.write_text(text)
    os.replace(part, path)


@pytest.fixture
def two_processes(postgres_url: str, tmp_path: Path) -> Iterator[tuple[list[str], Path, Path]]:
    server_process = _harness()
    policy, models = tmp_path / "policies.yaml", tmp_path / "models"
    models.mkdir()
    policy.write_text(RULES_ONLY_POLICY)
    make_model(1).save(models / "escalation-risk.json")
    settings = {
        "ESCALATION_DATABASE_URL": postgres_url, "ESCALATION_PATHS__MODELS_DIR": str(models),
        "ESCALATION_PATHS__POLICY_FILE": str(policy), "ESCALATION_SERVING__MODEL_SOURCE": "file",
        "ESCALATION_SERVING__MODEL_CHECK_S": "0.5", "ESCALATION_SERVING__SENTIMENT": "false",
        "ESCALATION_SWEEPER__ENABLED": "false", "ESCALATION_OUTBOX__ENABLED": "false",
    }
    started: list[Any] = []
    try:
        with ThreadPoolExecutor(2) as pool:  # at once: the migrations take turns (docs/scale-out.md)
            starting = [pool.submit(server_process, settings) for _ in range(2)]
        started = [one.result() for one in starting if one.exception() is None]
        for one in starting:
            one.result()  # a start that failed: its error, once the others are in `started` to be stopped
        yield [server.url for server in started], policy, models / "escalation-risk.json"
    finally:
        for server in started:
            server.stop()
        database = Database(postgres_url)  # the database is shared by this run's tests: leave it empty
        Base.metadata.drop_all(database.engine)
        with database.engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        database.dispose()


def served(url: str) -> tuple[str, str]:
    with httpx.Client(base_url=url, timeout=10) as client:
        ready = client.get("/readyz").json()
    return ready["policy_version"], ready["model_version"]


def test_a_reload_on_one_process_reaches_the_other(two_processes: tuple[list[str], Path, Path]) -> None:
    urls, policy, model = two_processes
    before = served(urls[0])
    assert served(urls[1]) == before
    replace(policy, RULES_ONLY_POLICY.replace("low: 1h}", "low: 2h}"))
    make_model(2).save(model.with_name("next.json"))
    os.replace(model.with_name("next.json"), model)
    with httpx.Client(base_url=urls[0], timeout=30) as client:
        answer = client.post("/v1/admin/reload", headers=ADMIN).json()
    after = (answer["policy_version"], answer["model_version"])
    assert after[0] != before[0] and after[1] != before[1]
    seen = served(urls[1])
    for _ in range(300):  # polled until the other process serves them too, at most 30 s (its check: 0.5 s)
        if seen == after:
            break
        threading.Event().wait(0.1)
        seen = served(urls[1])
    assert seen == after
    assert served(urls[0]) == after
