"""Training and batch scoring on one process vs a Dask LocalCluster, on the same generated history:
seconds per stage (message analyses, features, fit), batch-scoring throughput and peak memory, and each
figure's ratio to the single-process baseline measured in the same run.

    python bench/bench_dask.py [--tickets 1500 | --events 1000000] [--workers 2] [--repeat 1]
        [--against single|one-worker|both] [--no-text] [--keep DIR] [--encoder-turns K]

--against one-worker measures a LocalCluster of 1 worker process against one of --workers processes on the
same data (the scaling of the cluster itself: the ratio is 1-worker seconds / N-worker seconds, a speed-up);
--against single (the default) compares one plain process with the N-worker cluster; both runs all three.
The machine's load average is printed at the start and the end (and before each mode): other jobs on the
machine take cores from the run and show there.

Each mode runs in its own process (its peak memory is its own; a Dask worker's peak is read on the worker).
A stage's figure is the median (p50) over --repeat runs. The features stage's client part is shown
beside it: the client process's CPU seconds while the frame was built on the cluster (merging the workers'
blocks, the LocalCluster's scheduler, which runs in that process) and the seconds building the examples.
The analyses run into an empty cache each time (the encoder does all the work: cold), then once more
over the filled cache (cached: a retrain on a history whose messages were analysed before). Batch scoring
scores every ticket open at each of --instants instants of the newest month; its parts are printed beside the
table: the summaries (once) and, at each instant, the feature rows with the model's risk and reasons (on
the workers under Dask). The history: `escalation
generate-sample --format parquet` (~12 events a ticket).
With text, the run first measures the machine's own ceiling for the encoder stage: the same analyser as a
worker loads (one encoder thread), over --ceiling-messages messages spread over the history (every n-th),
in one process alone and then in --workers processes at once, with no Dask. Their summed rate over the lone
rate is what N cores give this work on this machine at this moment (a VM's cores may share a physical core's
units, and the machine's speed drifts): read the cluster's encoder speed-up against it.

--encoder-turns K measures the encoder stage alone, cold, on a 1-worker cluster and on a --workers one in
turns: every customer message once on each, in K slices (every K-th message from the k-th on, so each slice
is like the whole), the sizes taking the slices in the order 1, N, N, 1, 1, N, … Each side's seconds summed
are its cold encoder stage over the whole history, and since the two alternate every few minutes the
machine's drift falls on both alike, which two runs an hour apart cannot promise (the machine's speed
drifts by up to ~30 %). Each turn is its own process: the history loaded, the cluster started and every
worker's encoder loaded outside the clock, an empty cache. The turns, each slice's speed-up and the totals
are printed.
docs/scale-out.md holds the figures of a run and what they project to.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVENTS_PER_TICKET = 12


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    """The load average over 1, 5 and 15 minutes, and the cores it is to be read against."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def one_mode(mode: str, data: Path, work: Path, workers: int, repeat: int, text: bool, instants: int) -> dict:
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{work}/mlflow.db"
    from contextlib import nullcontext

    import pandas as pd

    from core.settings import get_settings
    from features.history import load_history
    from rules import DEFAULT_POLICY_FILE, load_policies
    from training.batch_scores import LocalRows, batch_scores, open_at, summaries_of
    from training.cluster import ClusterSpec, connect
    from training.examples import build_examples
    from training.fit import BoostParams
    from training.targets import parse_target
    from training.text_analyses import message_analyses
    from training.train import TrainConfig, train_model

    settings = get_settings()
    history = load_history(data)
    policies = load_policies(DEFAULT_POLICY_FILE)
    # the single-process baseline as `escalation train --workers 1` runs it: LightGBM on every core
    config = TrainConfig(parse_target(), params=BoostParams(), workers=1)
    started = time.perf_counter()
    runs: list[dict[str, float]] = []
    with connect(ClusterSpec(workers=workers)) if mode == "dask" else nullcontext() as client:
        start_s = time.perf_counter() - started
        for i in range(repeat):
            builder = fitter = remote = None
            if client is not None:
                from training.dask_fit import DaskFitter
                from training.dask_frame import DaskFrames
                from training.dask_text import DaskAnalyser
                from training.text_recipe import AnalyserRecipe

                builder, fitter = DaskFrames(client), DaskFitter(client)
                remote = DaskAnalyser(client, AnalyserRecipe(settings)) if text else None
            timed = ClientCpu(builder) if builder is not None else None
            cache = work / f"text-{mode}-{i}.sqlite"
            cache.unlink(missing_ok=True)  # cold: the encoder does all the work
            t = time.perf_counter()
            analyses, stats = (
                message_analyses(history, settings, cache, remote=remote)
                if text
                else ({}, None)
            )
            encoder_s = time.perf_counter() - t
            t = time.perf_counter()  # the same analyses again, now all in the cache: a retrain's case
            if text:
                message_analyses(history, settings, cache, remote=remote)
            cached_s = time.perf_counter() - t
            result = train_model(history, config, policies, analyses, builder=timed, fitter=fitter)
            t = time.perf_counter()  # the examples, built on the client inside the features stage: again
            build_examples(history, config.target, every_event=config.every_event)
            examples_s = time.perf_counter() - t
            end = pd.Timestamp(history.events["at"].max())
            t = time.perf_counter()
            rows = builder or LocalRows()  # either keeps the converted history between instants
            summaries = summaries_of(history, rows)
            summaries_s, rows_s = time.perf_counter() - t, 0.0
            scored = 0
            for k in range(instants):
                at = (end - pd.Timedelta(days=30) + pd.Timedelta(days=30) * k / instants).to_pydatetime()
                tickets = open_at(summaries, at)
                step = time.perf_counter()
                found = batch_scores(result.model, history, tickets, at, analyses, policies, builder=rows)
                scored += len(found)
                rows_s += time.perf_counter() - step
            score_s = time.perf_counter() - t
            runs.append({
                "encoder_s": encoder_s, "encoder_cached_s": cached_s,
                "messages": float(stats.messages if stats else 0),
                "features_s": result.timings["features"], "fit_s": result.timings["fit"],
                "evaluate_s": result.timings["evaluate"], "examples": float(result.report.rows),
                "roc_auc": float(result.report.test.figures.roc_auc or 0.0),
                "score_s": score_s, "scored": float(scored),
                "summaries_s": summaries_s, "rows_s": rows_s,
                "frame_cpu_s": timed.cpu if timed is not None else 0.0, "examples_s": examples_s,
            })
        worker_mb = (
            sorted(client.run(peak_mb).values()) if client is not None else []  # type: ignore[union-attr]
        )
    out: dict[str, Any] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    out.update(start_s=start_s, client_peak_mb=peak_mb(), worker_peak_mb=max(worker_mb, default=0.0),
               workers_peak_mb=worker_mb, workers=workers if client is not None else 0)
    return out


def encoder_turn(data: Path, work: Path, workers: int, turn: int, turns: int) -> dict[str, float]:
    """One turn of --encoder-turns: the slice `turn` of `turns` (every `turns`-th customer message from the
    `turn`-th on) analysed cold on a LocalCluster of `workers` by training's own `message_analyses` (the
    cache here, the encoding on the workers); only the analyses are on the clock."""
    from dataclasses import replace

    from core.enums import EventType
    from core.settings import get_settings
    from features.history import load_history
    from training.cluster import ClusterSpec, connect
    from training.dask_text import DaskAnalyser
    from training.text_analyses import message_analyses
    from training.text_recipe import AnalyserRecipe

    history = load_history(data)
    messages = history.events[history.events["type"] == EventType.CUSTOMER_MESSAGE.value]
    part = replace(history, events=messages.iloc[turn::turns])
    cache = work / f"text-turn-{turn}-{workers}w.sqlite"
    cache.unlink(missing_ok=True)
    settings = get_settings()
    with connect(ClusterSpec(workers=workers)) as client:
        remote = DaskAnalyser(client, AnalyserRecipe(settings))  # every worker loads the encoder
        started = time.perf_counter()
        _, stats = message_analyses(part, settings, cache, remote=remote)
        seconds = time.perf_counter() - started
    cache.unlink(missing_ok=True)
    return {"messages": float(stats.computed), "seconds": seconds}


def encoder_turns(data: Path, work: Path, workers: int, turns: int) -> str:
    """--encoder-turns: the turns run one by one (each its own process), then the report."""
    rows: list[tuple[int, int, dict[str, float]]] = []
    for turn in range(turns):
        sizes = (1, workers) if turn % 2 == 0 else (workers, 1)
        for size in sizes:
            command = [sys.executable, __file__, "--one", "encoder-turn", "--data", str(data), "--work",
                       str(work), "--workers", str(size), "--turn", str(turn), "--encoder-turns", str(turns)]
            done = subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            found = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append((turn, size, found))
            print(f"{time.strftime('%H:%M:%S')} slice {turn + 1}/{turns} on {size}w: "
                  f"{found['messages']:,.0f} messages in {found['seconds']:.1f} s "
                  f"({found['messages'] / found['seconds']:.1f} msg/s); {load()}", flush=True)
    return turns_report(rows, workers)


def turns_report(rows: list[tuple[int, int, dict[str, float]]], workers: int) -> str:
    """Each slice's seconds on 1 and on `workers` workers and its speed-up, then the totals: each side's
    cold encoder stage over every message, and their ratio."""
    seconds = {(turn, size): found["seconds"] for turn, size, found in rows}
    counts = {turn: found["messages"] for turn, _, found in rows}
    many = f"{workers}w"
    lines = [f"{'slice':>5} {'messages':>9} {'1w s':>8} {many + ' s':>8} {'1w/' + many:>7}"]
    ratios = []
    for turn in sorted(counts):
        one, other = seconds[(turn, 1)], seconds[(turn, workers)]
        ratios.append(one / other)
        lines.append(f"{turn + 1:>5} {counts[turn]:>9,.0f} {one:>8.1f} {other:>8.1f} {one / other:>7.2f}")
    total = sum(counts.values())
    one_s = sum(s for (_, size), s in seconds.items() if size == 1)
    many_s = sum(s for (_, size), s in seconds.items() if size == workers)
    lines.append(f"encoder stage, cold, {total:,.0f} messages: "
                 f"1w {one_s:,.1f} s ({total / one_s:,.1f} msg/s), "
                 f"{many} {many_s:,.1f} s ({total / many_s:,.1f} msg/s): {one_s / many_s:.2f}x "
                 f"(slices: median {statistics.median(ratios):.2f}x, {min(ratios):.2f}-{max(ratios):.2f}x)")
    return "\n".join(lines)


def ceiling_rate(data: Path, messages: int) -> float:
    """Messages a second of one analyser as a worker loads it (one encoder thread), in this process, over
    `messages` customer messages spread over the history (every n-th), in batches as the workers get
    them."""
    from core.enums import EventType
    from core.settings import get_settings
    from features.history import load_history
    from training.text_recipe import AnalyserRecipe

    history = load_history(data)
    every = history.events[history.events["type"] == EventType.CUSTOMER_MESSAGE.value]
    events = every.iloc[:: max(1, len(every) // messages)].head(messages)
    languages = history.tickets["language"].astype("object").fillna("")  # by ticket id, as training reads it
    texts = events["body"].astype(str).tolist()
    langs = languages.reindex(events["ticket_id"]).fillna("").astype(str).tolist()
    analyser, _ = AnalyserRecipe(get_settings()).on_workers().load()
    analyser(texts[:8], langs[:8])  # first call's set-up outside the clock
    started = time.perf_counter()
    for i in range(0, len(texts), 256):
        analyser(texts[i:i + 256], langs[i:i + 256])
    return len(texts) / (time.perf_counter() - started)


def ceiling(data: Path, workers: int, messages: int) -> str:
    """The encoder stage's ceiling on this machine: `workers` independent analyser processes at once against
    one alone (no Dask), as a line for the report."""
    command = [sys.executable, __file__, "--one", "ceiling", "--data", str(data),
               "--ceiling-messages", str(messages)]

    def rates(count: int) -> list[float]:
        running = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
                   for _ in range(count)]
        outs = [p.communicate()[0] for p in running]
        if any(p.returncode for p in running):
            raise SystemExit("the ceiling's analyser processes failed (their errors are above)")
        return [json.loads(out.strip().splitlines()[-1])["rate"] for out in outs]

    (alone,) = rates(1)
    together = rates(workers)
    return (f"the machine's ceiling for the encoder stage: {workers} analyser processes at once "
            f"{sum(together):,.0f} msg/s ({', '.join(f'{r:,.0f}' for r in together)}) against one alone "
            f"{alone:,.0f} msg/s: {sum(together) / alone:.2f}x ({messages:,} messages each, no Dask)")


class ClientCpu:
    """A frame builder that counts this process's CPU seconds while the frame is built elsewhere: the
    client's own part of the features stage (merging the workers' blocks, and the in-process scheduler of
    a LocalCluster), besides the examples it builds first."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.cpu = inner, 0.0

    def frame(self, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return self.inner.frame(*args, **kwargs)
        finally:
            self.cpu += time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=1500)
    parser.add_argument("--events", type=int, help="size by events instead (1000000: ~83k tickets)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--against", choices=("single", "one-worker", "both"), default="single",
                        help="the baseline: one process, a 1-worker LocalCluster, or both")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--instants", type=int, default=10, help="batch-scoring instants")
    parser.add_argument("--no-text", dest="text", action="store_false")
    parser.add_argument("--keep", type=Path, help="keep the generated history and runs here")
    parser.add_argument("--ceiling-messages", type=int, default=600,
                        help="messages each process of the encoder's ceiling analyses (0: skip it)")
    parser.add_argument("--encoder-turns", type=int, default=0, metavar="K",
                        help="only the encoder stage: 1 and --workers workers in turns over K slices")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one mode, print JSON
    parser.add_argument("--turn", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.encoder_turns < 0:
        parser.error(f"--encoder-turns {args.encoder_turns}: give a number of slices of at least 1 (0: off)")
    if args.one == "ceiling":
        print(json.dumps({"rate": ceiling_rate(args.data, args.ceiling_messages)}))
        return
    if args.one == "encoder-turn":
        print(json.dumps(encoder_turn(args.data, args.work, args.workers, args.turn, args.encoder_turns)))
        return
    if args.one:
        found = one_mode(args.one, args.data, args.work, args.workers, args.repeat, args.text, args.instants)
        print(json.dumps(found))
        return
    tickets = args.events // EVENTS_PER_TICKET if args.events else args.tickets
    print(f"start: {load()}", flush=True)
    modes = {
        "single": [("single", 0), ("dask", args.workers)],
        "one-worker": [("dask", 1), ("dask", args.workers)],
        "both": [("single", 0), ("dask", 1), ("dask", args.workers)],
    }[args.against]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        data = work / f"history-{tickets}"
        if not data.exists():
            subprocess.run([sys.executable, "-c", "from core.cli import main; main()", "generate-sample",
                            "--out", str(data), "--tickets", str(tickets), "--format", "parquet"],
                           check=True, cwd=ROOT)
        limit = ""
        if args.text and args.ceiling_messages:
            limit = ceiling(data, args.workers, args.ceiling_messages)
            print(limit, flush=True)
        if args.encoder_turns:
            if not args.text:
                raise SystemExit("--encoder-turns measures the encoder: it cannot go with --no-text")
            print(encoder_turns(data, work, args.workers, args.encoder_turns))
            print(f"end: {load()}")
            if limit:
                print(limit)
            return
        results = {}
        for mode, workers in modes:
            name = mode_name(mode, workers)
            print(f"-- {name}; {load()}", flush=True)
            command = [sys.executable, __file__, "--one", mode, "--data", str(data), "--work", str(work),
                       "--workers", str(workers), "--repeat", str(args.repeat),
                       "--instants", str(args.instants), *([] if args.text else ["--no-text"])]
            # the bars go to stderr, shown as they run; the figures come back on stdout
            done = subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"end: {load()}")
    many = mode_name("dask", args.workers)
    if "single" in results:
        print(report(results["single"], results[many], tickets, ratio="slower"))
    one = mode_name("dask", 1)
    if one in results:
        print(report(results[one], results[many], tickets, ratio="speed-up"))
    if limit:
        print(limit)


def mode_name(mode: str, workers: int) -> str:
    return "single" if mode == "single" else f"{workers}w"


STAGES = [
    ("message analyses (encoder)", "encoder_s", "messages", "msg/s"),
    ("message analyses, cached", "encoder_cached_s", "messages", "msg/s"),
    ("features", "features_s", "examples", "rows/s"),
    ("fit (early stopping + refit)", "fit_s", "examples", "rows/s"),
    ("batch scoring", "score_s", "scored", "tickets/s"),
]


def report(base: dict[str, Any], other: dict[str, Any], tickets: int, *, ratio: str) -> str:
    """A table of `other` against `base`, stage by stage. ratio "slower": other seconds / base seconds
    (below 1: the cluster is faster); "speed-up": base seconds / other seconds (the 1-worker cluster's time
    over the N-worker cluster's: 2.0 is perfect scaling on 2 workers)."""
    a_name, b_name = (mode_name("dask" if r["workers"] else "single", r["workers"]) for r in (base, other))
    label = f"{b_name}/{a_name}" if ratio == "slower" else f"{a_name}/{b_name}"
    started = "; ".join(
        f"{mode_name('dask', r['workers'])}: LocalCluster of {r['workers']} started in {r['start_s']:.1f} s"
        for r in (base, other) if r["workers"]
    )
    lines = [f"{tickets:,} tickets, {base['examples']:,.0f} examples, {base['messages']:,.0f} messages; "
             f"{started}",
             f"{'stage':<30} {a_name + ' p50 s':>12} {b_name + ' p50 s':>11} {a_name + ' rate':>13} "
             f"{b_name + ' rate':>13} {label:>11}"]
    for name, seconds, count, unit in STAGES:
        if not base[count]:  # --no-text: no messages to analyse
            continue
        a, b = base[seconds], other[seconds]
        rate_a = base[count] / a if a else 0.0
        rate_b = other[count] / b if b else 0.0
        shown = (b / a if a else float("nan")) if ratio == "slower" else (a / b if b else float("nan"))
        lines.append(f"{name:<30} {a:>12.1f} {b:>11.1f} {rate_a:>9,.0f} {unit:<3} {rate_b:>9,.0f} {unit:<3} "
                     f"{shown:>11.2f}")
    if base["messages"]:  # with --no-text there is nothing to analyse: cold and cached are the same
        lines.append("training in all (analyses + features + fit): " + "; ".join(
            f"{mode_name('dask' if r['workers'] else 'single', r['workers'])} "
            f"cold {r['encoder_s'] + r['features_s'] + r['fit_s']:,.1f} s, "
            f"cached {r['encoder_cached_s'] + r['features_s'] + r['fit_s']:,.1f} s"
            for r in (base, other)))
    lines.append("batch scoring's parts: " + "; ".join(
        f"{mode_name('dask' if r['workers'] else 'single', r['workers'])} "
        f"summaries {r['summaries_s']:.1f} s, "
        f"feature rows, risk and reasons {r['rows_s']:.1f} s"
        for r in (base, other)))
    client = [f"{mode_name('dask', r['workers'])} {r['frame_cpu_s']:.1f} s CPU while the frame was built + "
              f"{r['examples_s']:.1f} s examples" for r in (base, other) if r["workers"]]
    if client:
        lines.append(f"features on the client: {'; '.join(client)}")
    lines.append(f"test ROC-AUC: {a_name} {base['roc_auc']:.4f}, {b_name} {other['roc_auc']:.4f} "
                 f"(difference {abs(base['roc_auc'] - other['roc_auc']):.4f})")
    lines.append(f"peak memory: {memory(base)}; {memory(other)}")
    return "\n".join(lines)


def memory(r: dict[str, Any]) -> str:
    if not r["workers"]:
        return f"single {r['client_peak_mb']:,.0f} MB"
    each = ", ".join(f"{mb:,.0f}" for mb in r["workers_peak_mb"])
    return f"{mode_name('dask', r['workers'])} client {r['client_peak_mb']:,.0f} MB + workers {each} MB"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
