"""Benchmark: point-in-time ticket features at every customer message of a history, on one core.

Prints examples/s for the committed sample and for a generated history (default 20,000 tickets, made
with `escalation generate-sample`), with the time of each phase: load + validate, history -> core
Tickets/Events (features.history.iter_tickets), the cross-ticket context, `build_features` per
example (rules.evaluate included), and encoding the frame.
Run: .venv/bin/python bench/bench_features.py [--data DIR ...] [--generate N] [--every-event]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from features.history import load_history
from features.ticket import DEFAULT_SPEC, HistoryContext, build_feature_rows, example_times, history_pairs
from rules import load_policies

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


class Clock:
    """Wall and CPU seconds per phase: on a shared machine the CPU time is the steadier figure."""

    def __init__(self) -> None:
        self.phases: dict[str, tuple[float, float]] = {}

    def time(self, phase: str, fn: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        self.phases[phase] = (time.perf_counter() - wall, time.process_time() - cpu)
        return result


def bench(path: Path, every_event: bool) -> None:
    policies = load_policies()
    clock = Clock()
    history = clock.time("load", lambda: load_history(path))
    examples = example_times(history, every_event=every_event)
    pairs = clock.time("to core types", lambda: history_pairs(history))
    context = clock.time("context", lambda: HistoryContext(pairs.values()))
    rows = clock.time(
        "build_features", lambda: build_feature_rows(pairs, examples, {}, policies, context, progress=False)
    )
    clock.time("encode", lambda: DEFAULT_SPEC.with_categories_from(rows).encode(rows))

    n = len(examples)
    kind = "events" if every_event else "customer messages"
    print(f"{path}: {len(history.tickets):,} tickets, {len(history.events):,} events, "
          f"{n:,} examples ({kind})")
    print(f"  {'phase':<16} {'wall s':>8} {'cpu s':>8}")
    for phase, (wall, cpu) in clock.phases.items():
        print(f"  {phase:<16} {wall:8.2f} {cpu:8.2f}")
    wall, cpu = clock.phases["build_features"]
    print(f"  build_features   {n / cpu:9,.0f} examples per CPU second ({1e3 * cpu / n:.2f} ms each; "
          f"{n / wall:,.0f}/s wall)")
    total_wall = sum(w for w, _ in clock.phases.values())
    total_cpu = sum(c for _, c in clock.phases.values())
    print(f"  end to end       {n / total_cpu:9,.0f} examples per CPU second ({total_cpu:.1f} s CPU, "
          f"{total_wall:.1f} s wall)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, action="append", help="history folder(s); default: the sample")
    parser.add_argument("--generate", type=int, default=20_000, help="tickets to generate (0: none)")
    parser.add_argument("--every-event", action="store_true", help="an example at every event")
    args = parser.parse_args()
    for path in args.data or [ROOT / "data" / "sample"]:
        bench(path, args.every_event)
    if args.generate:
        with tempfile.TemporaryDirectory() as tmp:
            escalation = Path(sys.executable).with_name("escalation")
            subprocess.run([str(escalation), "generate-sample", "--out", tmp, "--tickets", str(args.generate),
                            "--format", "parquet", "--no-progress"], check=True, stdout=subprocess.DEVNULL)
            bench(Path(tmp), args.every_event)


if __name__ == "__main__":
    main()
