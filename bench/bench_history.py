"""Benchmark: generate a large synthetic history, then load + validate it in each file format.

Prints generation time, then per format: load time, events/s and peak memory of the process.

    .venv/bin/python bench/bench_history.py                  # 150k tickets, ~1.9M events
    .venv/bin/python bench/bench_history.py --tickets 20000  # quicker
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("parquet", "csv", "jsonl")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_load(directory: Path) -> None:
    """Runs in a child process per format, so each peak-memory figure is its own."""
    from features.history import load_history

    began = time.perf_counter()
    history = load_history(directory)
    took = time.perf_counter() - began
    events = len(history.events)
    print(
        f"  load+validate {directory.name:8s} {len(history.tickets):>8,} tickets {events:>10,} events "
        f"{took:7.1f} s  {events / took:>10,.0f} events/s  peak RSS {peak_rss_mb():,.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=150_000)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # child-process mode
    args = parser.parse_args()
    if args.measure:
        measure_load(args.measure)
        return

    exe = Path(sys.executable).parent / "escalation"
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        print(f"history of {args.tickets:,} tickets (synthetic, seeded)")
        for fmt in args.formats:
            out = Path(tmp) / fmt
            began = time.perf_counter()
            subprocess.run(
                [str(exe), "generate-sample", "--out", str(out), "--tickets", str(args.tickets),
                 "--format", fmt, "--no-progress"],
                check=True, capture_output=True,
            )
            print(f"  generate      {fmt:8s} {time.perf_counter() - began:7.1f} s", flush=True)
            subprocess.run([sys.executable, __file__, "--measure", str(out)], check=True)


if __name__ == "__main__":
    main()
