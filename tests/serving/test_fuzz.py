"""Fuzzing from the app's own OpenAPI schema, on SQLite and PostgreSQL: every operation, requests that fit the
schema and requests that do not, with the key of every role, a wrong key or none, and valid ingests that reach
the assessment and the store. No answer may be a 5xx or break the response schema. Runs bench/bench_fuzz.py
(the real app on loopback, a fixed seed) at a small size; the bench's default size is the longer run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_fuzzing_finds_no_5xx_and_no_schema_violation(url: str) -> None:
    database = [] if url.startswith("sqlite") else ["--database", url]
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_fuzz.py"), "--examples", "25", "--seed", "15", "--json",
         *database],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["requests"] >= 200
    assert figures["server_errors"] == 0 and figures["violations"] == 0, figures["first_failures"]
    assert figures["by_status"].get("200", 0) >= 20  # valid ingests and reads got through
