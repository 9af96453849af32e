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
from pathlib import Path

from features.history import load_history
from features.ticket import DEFAULT_SPEC, HistoryContext, build_feature_rows, example_times, history_pairs
from rules import load_policies

ROOT = Path(__file__).resolve().parent.parent


def bench(path: Path, every_event: bool) -> None:
    policies = load_policies()
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    history = load_history(path)
    times["load"] = time.perf_counter() - t0
    examples = example_times(history, every_event=every_event)

    t0 = time.perf_counter()
    pairs = history_pairs(history)
    times["to core types"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    context = HistoryContext(pairs.values())
    times["context"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = build_feature_rows(pairs, examples, {}, policies, context, progress=False)
    times["build_features"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    DEFAULT_SPEC.with_categories_from(rows).encode(rows)
    times["encode"] = time.perf_counter() - t0

    n, total = len(examples), sum(times.values())
    kind = "events" if every_event else "customer messages"
    print(f"{path}: {len(history.tickets):,} tickets, {len(history.events):,} events, "
          f"{n:,} examples ({kind})")
    for phase, seconds in times.items():
        print(f"  {phase:<16} {seconds:7.2f} s")
    print(f"  build_features   {n / times['build_features']:9,.0f} examples/s "
          f"({1e3 * times['build_features'] / n:.2f} ms each)")
    print(f"  end to end       {n / total:9,.0f} examples/s ({total:.1f} s)")


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
