"""The server killed with SIGKILL in the middle of concurrent event writes loses no acknowledged event, stores
none twice and leaves no ticket whose state saw fewer events than it holds — on SQLite and PostgreSQL. Runs
bench/bench_crash.py (the real `escalation serve` in a subprocess, killed and restarted) at a small size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_killed_server_loses_no_acknowledged_event(url: str) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_crash.py"), "--events", "240", "--tickets", "12",
         "--kill-after", "90", "--concurrency", "6", "--database", url, "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["acknowledged_before_kill"] >= 90 and figures["stored_at_kill"] < 240  # killed mid-way
    assert figures["lost"] == 0 and figures["stored_twice"] == 0
    assert figures["stored_after_retry"] == 240 and figures["lagging_tickets"] == 0 and figures["5xx"] == 0
