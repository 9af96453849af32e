"""The bench scripts (bench/*.py) as modules, for tests that start the server the way a bench does. The
benches import their shared module (`harness`) from their own folder, as a script run would, so that folder
goes on sys.path first."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str) -> ModuleType:
    """bench/`name`.py, loaded (e.g. "harness", "bench_crash")."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
