"""Time end-to-end training on generated histories: wall time and peak memory per size, split into
load / text analyses (cold cache, then cached) / features / fit / evaluate, and the growth with size.

    python bench/bench_training.py [--events 100000 1000000] [--no-text] [--keep DIR]
        [--examples events|messages] [--workers N]

Each size runs in its own process, so its peak memory (getrusage ru_maxrss) is its own. Histories are
made with `escalation generate-sample --format parquet` (~12.5 events a ticket). Targets (issue 6, this
2-core machine, 1M events): <= 10 min end to end with message embeddings computed, <= 3 min cached,
peak memory <= 8 GB, growth close to linear.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENTS_PER_TICKET = 12.5


def one_size(data: Path, text: bool, work: Path, examples: str, workers: int | None) -> dict[str, object]:
    """Train twice on one history: the first run analyses texts into an empty cache (cold), the second
    finds them cached. Features are built both times (no frame cache): that is a plain retrain."""
    import os

    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{work}/mlflow.db"
    from core.settings import get_settings
    from features.history import load_history
    from rules import DEFAULT_POLICY_FILE, load_policies
    from training.targets import parse_target
    from training.text_analyses import message_analyses
    from training.train import TrainConfig, train_model

    settings = get_settings()
    out: dict[str, object] = {}
    for run in ("cold", "cached") if text else ("no-text",):
        started = time.perf_counter()
        history = load_history(data)
        policies = load_policies(DEFAULT_POLICY_FILE)
        load_s = time.perf_counter() - started
        analyses, stats = (
            message_analyses(history, settings, work / "text.sqlite") if text else ({}, None)
        )
        config = TrainConfig(parse_target(), every_event=examples == "events")
        if workers:
            config = replace(config, workers=workers)
        result = train_model(history, config, policies, analyses)
        out[run] = {
            "wall_s": round(time.perf_counter() - started, 1),
            "load_s": round(load_s, 1),
            "analyses_s": stats.seconds if stats else 0.0,
            "analysed": stats.computed if stats else 0,
            **{f"{k}_s": round(v, 1) for k, v in result.timings.items()},
            "examples": result.report.rows,
            "workers": config.workers,
            "roc_auc": round(result.report.test.figures.roc_auc or 0.0, 3),
        }
        out["events"], out["tickets"] = len(history.events), len(history.tickets)
        out["messages"] = stats.messages if stats else 0
    out["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2)
    return out


def generate(events: int, out: Path) -> float:
    tickets = max(100, round(events / EVENTS_PER_TICKET))
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "escalation"), "generate-sample", "--out", str(out),
         "--tickets", str(tickets),
         "--format", "parquet", "--no-progress"],
        check=True, cwd=ROOT,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--no-text", dest="text", action="store_false")
    parser.add_argument("--keep", type=Path, help="Keep generated histories here (reused when present).")
    parser.add_argument("--examples", choices=["events", "messages"], default="events")
    parser.add_argument("--workers", type=int, help="feature-building processes (default: one per core)")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # internal: one size, JSON to stdout
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.text, args.work, args.examples, args.workers)))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for events in args.events:
            data = (args.keep or Path(tmp)) / f"history-{events}"
            made = 0.0 if (data / "events.parquet").exists() else generate(events, data)
            work = Path(tmp) / f"work-{events}"
            work.mkdir()
            cmd = [sys.executable, __file__, "--one", str(data), "--work", str(work)]
            cmd += ["--examples", args.examples]
            cmd += ["--workers", str(args.workers)] if args.workers else []
            run = subprocess.run(cmd + ([] if args.text else ["--no-text"]), check=True, cwd=ROOT,
                                 capture_output=True, text=True)
            row = json.loads(run.stdout.strip().splitlines()[-1])
            row["generate_s"] = round(made, 1)
            rows.append(row)
            print(json.dumps(row), flush=True)
    _table(rows)


def _table(rows: list[dict]) -> None:
    runs = [r for r in ("cold", "cached", "no-text") if r in rows[0]]
    print(f"\n{'events':>10} {'run':>8} {'wall s':>8} {'load':>6} {'text':>7} {'feat':>7} {'fit':>6} "
          f"{'eval':>6} {'examples':>9} {'peak GB':>8}")
    for r in rows:
        for run in runs:
            x = r[run]
            print(f"{r['events']:>10,} {run:>8} {x['wall_s']:>8} {x['load_s']:>6} {x['analyses_s']:>7} "
                  f"{x['features_s']:>7} {x['fit_s']:>6} {x['evaluate_s']:>6} {x['examples']:>9,} "
                  f"{r['peak_rss_gb']:>8}")
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        size = b["events"] / a["events"]
        for run in runs:
            print(f"growth {run}: x{size:.1f} events -> x{b[run]['wall_s'] / a[run]['wall_s']:.1f} wall time")
        print(f"growth peak memory: x{b['peak_rss_gb'] / a['peak_rss_gb']:.1f}")


if __name__ == "__main__":
    main()
