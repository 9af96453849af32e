"""Mixed load at a fixed arrival rate: does the server hold it, with what tail, and does its memory stay put?

Starts the real server (`escalation serve`, loopback, SQLite in a temp dir or `--database URL`; the trained
model models/escalation-risk.json when present; the sweeper and outbox off unless `--background`), creates
`--tickets` tickets, then sends requests open-loop — each at its planned instant (`--arrivals poisson` or
`fixed` intervals) whether or not earlier ones were answered, and each timed from that planned instant, so a
server that falls behind shows it (no coordinated omission). The mix: 70 % new events on tickets (customer
messages in en/de/no, agents' replies, now and then a new ticket), 20 % POST /v1/score, 10 % GET
/v1/early-warning. Stops by itself after `--duration` s; the first `--warmup` s are not counted.

Prints a line every `--every` s, then: the rate held, p50/p99/max per kind, errors by status, the server's
memory (all its processes) after the warm-up and its growth, the server's CPU a request and each process's
share of it, and the machine's baseline measured in the same run — a /healthz round trip and the bare
encoder's forward pass (batch 1) — with p50 per kind over each.
`--json` prints the summary as one JSON object; `--plot FILE.png` draws latency and memory over time.

    .venv/bin/python bench/bench_load.py [--rate 120] [--duration 300] [--warmup 30] [--workers N]
        [--env ESCALATION_X=Y ...] [--database postgresql+psycopg://…] [--json] [--plot load.png]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from harness import ServerProcess, percentile, tree_usage_by_process
from load_client import Http
from load_report import Results, Sample, plot, summary, window_line
from load_traffic import Traffic

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = {"X-API-Key": "dev-integration-key"}
MANAGER = {"X-API-Key": "dev-manager-key"}
MIX = (("message", 0.7), ("score", 0.2), ("early_warning", 0.1))


def start_server(args: argparse.Namespace, database_url: str) -> ServerProcess:
    settings = {
        "ESCALATION_DATABASE_URL": database_url,
        "ESCALATION_SWEEPER__ENABLED": str(args.background).lower(),
        "ESCALATION_OUTBOX__ENABLED": str(args.background).lower(),
        "ESCALATION_PATHS__MODELS_DIR": str(ROOT / "models"),  # the same models for an A/B against --checkout
    }
    settings |= dict(item.split("=", 1) for item in args.env)
    return ServerProcess(settings, workers=args.workers, checkout=args.checkout, server_log=args.server_log)


def healthz_ms(url: str, n: int = 200) -> float:
    """p50 of a /healthz round trip, one at a time: the floor of HTTP + framework on this machine now."""
    with httpx.Client(base_url=url, timeout=5) as client:
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            client.get("/healthz").raise_for_status()
            times.append(time.perf_counter() - t0)
    return 1000 * percentile(times, 50)


def encoder_ms(traffic: Traffic, n: int = 200) -> float | None:
    """p50 of the bare encoder's forward pass (batch 1, one thread as each of two workers has) on messages
    like the bench's; None when the sentiment model is off."""
    from core.settings import get_settings
    from features.sentiment import make_encoder

    settings = get_settings()
    if not settings.serving.sentiment:
        return None
    encoder = make_encoder(settings.sentiment.backend, settings.paths.models_dir, 1)
    texts = [traffic.text(lang) for lang in ("en", "de", "no") * (n // 3)]
    for text in texts[:20]:
        encoder.encode([text])
    times = []
    for text in texts:
        t0 = time.perf_counter()
        encoder.encode([text])
        times.append(time.perf_counter() - t0)
    return 1000 * percentile(times, 50)


async def send(client: Http, kind: str, traffic: Traffic) -> int:
    if kind == "message":
        path, body = traffic.new_message()
        status = await client.request("POST", path, INTEGRATION, body)
        if "ticket" in body and status == 200:
            traffic.created(body)
        return status
    if kind == "score":
        return await client.request("POST", "/v1/score", INTEGRATION, traffic.score())
    return await client.request("GET", traffic.early_warning(), MANAGER)


async def drive(args: argparse.Namespace, url: str, server_pid: int, traffic: Traffic) -> Results:
    results = Results()
    loop = asyncio.get_running_loop()
    client = Http("127.0.0.1", int(url.rsplit(":", 1)[1]), args.timeout)
    try:
        start = loop.time() + 0.2
        pending: set[asyncio.Task[None]] = set()

        async def one(kind: str, planned: float) -> None:
            results.send_lag.append(loop.time() - planned)
            try:
                status = str(await send(client, kind, traffic))
            except Exception as exc:  # counted by its name, as an error of the run
                status = type(exc).__name__
            results.samples.append(Sample(kind, planned - start, loop.time() - planned, status))

        async def memory() -> None:
            while True:
                rss, by_process = tree_usage_by_process(server_pid)
                results.rss.append((loop.time() - start, rss))
                results.cpu_by_process.append((loop.time() - start, by_process))
                await asyncio.sleep(1.0)

        sampler = asyncio.create_task(memory())
        planned, shown = start, 0.0
        while planned < start + args.duration:
            gap = traffic.rng.expovariate(args.rate) if args.arrivals == "poisson" else 1 / args.rate
            planned += gap
            kind = traffic.rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
            await asyncio.sleep(max(0.0, planned - loop.time()))
            task = asyncio.create_task(one(kind, planned))
            pending.add(task)
            task.add_done_callback(pending.discard)
            if planned - start >= shown + args.every:
                if shown and not args.json:
                    print(window_line(results, shown - args.every, shown), flush=True)
                shown += args.every
        if pending:  # bounded: what is still unanswered after the timeout counts as an error
            await asyncio.wait(pending, timeout=args.timeout + 5)
        sampler.cancel()
        if not args.json:
            print(window_line(results, shown - args.every, shown), flush=True)
    finally:
        client.close()
    return results


def run(main: Any) -> Results:
    """asyncio.run, on uvloop when it is installed (the client's own cost per request is lower)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)  # type: ignore[no-any-return]
    return uvloop.run(main)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=120.0, help="requests per second offered")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load, warm-up included")
    parser.add_argument("--warmup", type=float, default=30.0, help="first seconds not counted")
    parser.add_argument("--arrivals", choices=("poisson", "fixed"), default="poisson")
    parser.add_argument("--tickets", type=int, default=300, help="tickets created before the load")
    parser.add_argument("--workers", type=int, help="server processes (default: as serve)")
    parser.add_argument("--env", action="append", default=[], help="ESCALATION_X=Y for the server")
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="serve another copy of the code (e.g. `git archive` of a commit) for an A/B")
    parser.add_argument("--database", help="a database URL (PostgreSQL); default: SQLite in a temp dir")
    parser.add_argument("--background", action="store_true", help="run the sweeper and outbox too")
    parser.add_argument("--timeout", type=float, default=30.0, help="a request's time limit, seconds")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between progress lines")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.add_argument("--plot", type=Path, help="draw latency and memory over time to this PNG")
    parser.add_argument("--server-log", action="store_true", help="let the server write to stderr")
    parser.add_argument("--no-encoder", action="store_true", help="skip the bare encoder baseline")
    args = parser.parse_args()
    # a bench stopped from outside (timeout, Ctrl-C) still stops its server: SIGTERM unwinds through `finally`
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    traffic = Traffic(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(args, args.database or f"sqlite:///{tmp}/load.db")
        url = server.url
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                for _ in range(args.tickets):
                    path, body = traffic.new_ticket()
                    client.post(path, json=body, headers=INTEGRATION).raise_for_status()
                    traffic.created(body)
            floor = healthz_ms(url)
            if not args.json:
                load = os.getloadavg()[0]
                print(f"cores {os.cpu_count()}, load average {load:.2f}; {args.tickets} tickets; "
                      f"offering {args.rate:g}/s ({args.arrivals}) for {args.duration:g} s, warm-up "
                      f"{args.warmup:g} s; /healthz p50 {floor:.2f} ms", flush=True)
            results = run(drive(args, url, server.pid, traffic))
        finally:
            server.stop()
    forward = None if args.no_encoder else encoder_ms(traffic)
    figures: dict[str, Any] = summary(results, args.warmup, args.duration, args.rate)
    figures["healthz_p50_ms"] = round(floor, 2)
    figures["encoder_p50_ms"] = round(forward, 2) if forward is not None else None
    for kind in figures["kinds"].values():
        kind["p50_over_healthz"] = round(kind["p50_ms"] / floor, 1)
    if args.plot is not None:
        figures["plot"] = str(args.plot) if plot(results, args.plot, f"{args.rate:g}/s offered") else None
    if args.json:
        print(json.dumps(figures))
        return
    print(f"\noffered {args.rate:g}/s ({args.arrivals}: {figures['rate_sent']}/s sent in the window), "
          f"held {figures['rate_held']}/s over {args.duration - args.warmup:g} s "
          f"({figures['requests']} requests); errors {figures['errors'] or 0}")
    for name, kind in figures["kinds"].items():
        print(f"  {name:14s} n {kind['count']:6d}  p50 {kind['p50_ms']:7.1f}  p99 {kind['p99_ms']:7.1f}  "
              f"max {kind['max_ms']:7.1f} ms  (p50 = {kind['p50_over_healthz']}x /healthz)")
    print(f"server RSS after warm-up {figures['rss_mb_start']} MB -> {figures['rss_mb_end']} MB "
          f"(max {figures['rss_mb_max']}), growth {figures['rss_growth_pct']} %; server CPU "
          f"{figures['server_cpu_ms_per_request']} ms per request, by process "
          f"{' · '.join(f'{share:g} %' for share in figures['server_cpu_share_pct'])}")
    print(f"baseline: /healthz p50 {floor:.2f} ms; bare encoder p50 "
          f"{'-' if forward is None else f'{forward:.2f}'} ms; client send lag p99 "
          f"{figures['client_send_lag_p99_ms']} ms; load average after {os.getloadavg()[0]:.2f}")
    print("targets (2 cores): >= 120/s held, 0 errors, p99 <= 100 ms per kind, RSS growth <= 5 %")


if __name__ == "__main__":
    main()
