"""The server process settles its garbage collector once start-up is done (serving/collector.py): what
start-up left is frozen, the youngest generation's threshold is the setting's, and a cycle made after
start-up is still collected. Each case runs in a child process: freezing is per process, and the test
process creates many apps (tests/conftest.py turns the freeze off for them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent("""
    import gc, json, sys
    from fastapi.testclient import TestClient
    from core.settings import Settings
    from serving.app import create_app

    settings = Settings.model_validate(json.loads(sys.argv[1]))
    before = gc.get_freeze_count()
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        assert client.get("/healthz").status_code == 200
        frozen, threshold = gc.get_freeze_count(), gc.get_threshold()[0]

        class Node:
            pass

        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle made after start-up: only the collector can free it
        del a, b
        collected = gc.collect()
    print(json.dumps({"before": before, "frozen": frozen, "threshold": threshold, "collected": collected}))
""")


def _served(tmp_path: Path, server: dict[str, object]) -> dict[str, int]:
    settings = {"database_url": f"sqlite:///{tmp_path / 'gc.db'}", "paths": {"models_dir": str(tmp_path)},
                "serving": {"sentiment": False}, "sweeper": {"enabled": False}, "outbox": {"enabled": False},
                "server": server}
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_")} | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(settings)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_start_up_freezes_what_it_left_and_sets_the_threshold(tmp_path: Path) -> None:
    probe = _served(tmp_path, {})  # the defaults
    assert probe["before"] == 0
    assert probe["frozen"] > 10_000  # the app, its validators, the policies: far more than a handful
    assert probe["threshold"] == 10_000
    assert probe["collected"] >= 2  # a cycle made after start-up is still found and freed


def test_the_freeze_can_be_turned_off(tmp_path: Path) -> None:
    probe = _served(tmp_path, {"gc_freeze": False})
    assert probe["frozen"] == 0
    assert probe["threshold"] == 700  # CPython's own
