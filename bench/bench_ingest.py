"""CPU time and SQL of one new message (POST /v1/tickets/{id}/events), in process, the encoder apart.

Each run starts a child process that builds the app (`create_app`, its lifespan: migrations, models loaded;
SQLite in a temp dir, or a fresh database on `--database` PostgreSQL), creates `--tickets` tickets, then sends
`--messages` requests of `bench_load.py`'s message traffic one at a time through the ASGI app itself (no
socket, no HTTP client: what is measured is the server's work) and records, per request: the process's CPU
time, the wall time, the CPU time inside the encoder's forward pass, the SQL statements sent and the
transactions committed. A /healthz request in the same process is the floor every request pays (routing,
middleware, the thread hop).

`--against DIR` measures another checkout of the code (e.g. `git worktree add /tmp/main main`) in the same
run, interleaved with this one (round 1: this, other; round 2: other, this; …) so drift on a shared machine
falls on both alike, and prints each figure's ratio. The encoder runs with one thread, as each of the server's
processes does on two cores.

    .venv/bin/python bench/bench_ingest.py [--messages 300] [--tickets 100] [--rounds 2] [--against DIR]
        [--database postgresql+psycopg://…] [--profile 30] [--statements]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from load_report import percentile
from load_traffic import Traffic

ROOT = Path(__file__).resolve().parent.parent
KEY = [(b"x-api-key", b"dev-integration-key"), (b"content-type", b"application/json")]
FIGURES = (  # (key, label, format)
    ("cpu_ms", "CPU ms / message, all", "{:.2f}"),
    ("encoder_ms", "  of which encoder forward", "{:.2f}"),
    ("cpu_ex_encoder_ms", "CPU ms / message, encoder apart", "{:.2f}"),
    ("service_cpu_ms", "  of which Service.ingest", "{:.2f}"),
    ("per_encoder_ms", "  encoder apart / encoder forward", "{:.2f}"),
    ("healthz_cpu_ms", "CPU ms / healthz (floor)", "{:.2f}"),
    ("statements", "SQL statements / message", "{:.2f}"),
    ("commits", "commits / message", "{:.2f}"),
    ("p50_ms", "wall p50 ms", "{:.2f}"),
    ("p99_ms", "wall p99 ms", "{:.2f}"),
    ("per_s", "messages / s (one at a time)", "{:.1f}"),
    ("rss_growth_mb", "RSS growth MB", "{:.1f}"),
)


class Asgi:
    """Requests straight into an ASGI app on one event loop: scope, body, status and body back."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
                 "root_path": "", "headers": [*KEY, (b"content-length", str(len(body)).encode())],
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
        sent = False
        status, chunks = 0, []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.Event().wait()  # nothing more will come: the app waits for a disconnect
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def timed(owner: Any, name: str, spent: list[float]) -> None:
    """Wrap `owner.name` so that the CPU time of each call is appended to `spent`: the calling thread's (the
    encoder runs one thread, in the caller's)."""
    inner: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.thread_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent.append(time.thread_time() - t0)

    setattr(owner, name, wrapper)


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    """The child: build the app on the configured store and time `--messages` messages."""
    from sqlalchemy import Engine, event

    from serving.app import create_app

    statements: list[str] = []
    commits: list[int] = []
    event.listen(Engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
    event.listen(Engine, "commit", lambda _c: commits.append(1))
    app = create_app()
    lifespan: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    started = asyncio.Event()

    async def lifespan_send(message: MutableMapping[str, Any]) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()
            if message["type"].endswith("failed"):
                raise RuntimeError(message.get("message"))

    await lifespan.put({"type": "lifespan.startup"})
    running = asyncio.create_task(app({"type": "lifespan"}, lifespan.get, lifespan_send))
    await started.wait()
    client, traffic = Asgi(app), Traffic(args.seed)
    encoder: list[float] = []
    service: list[float] = []
    sentiment = app.state.service.scorers.analyser.sentiment
    if sentiment is not None:
        timed(sentiment.encoder, "encode", encoder)
    timed(app.state.service, "ingest", service)

    async def message() -> tuple[float, float, float, int, int, list[str], float]:
        path, body = traffic.new_message()
        raw = json.dumps(body).encode()
        del statements[:], commits[:], encoder[:], service[:]
        t0, c0 = time.perf_counter(), time.process_time()
        status, answer = await client.request("POST", path, raw)
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        if status != 200:
            raise RuntimeError(f"{path}: {status} {answer[:300]!r}")
        if "ticket" in body:
            traffic.created(body)
        return cpu, wall, sum(encoder), len(statements), len(commits), list(statements), sum(service)

    for _ in range(args.tickets):
        path, body = traffic.new_ticket()
        status, answer = await client.request("POST", path, json.dumps(body).encode())
        if status != 200:  # the bench's own setup: stop at once
            raise RuntimeError(f"{path}: {status} {answer[:300]!r}")
        traffic.created(body)
    for _ in range(args.warmup):
        await message()
    healthz = []
    for _ in range(100):
        c0 = time.process_time()
        await client.request("GET", "/healthz")
        healthz.append(time.process_time() - c0)
    rss0 = rss_mb()
    profile = None
    if args.profile:  # the service's call, in the worker thread that runs it (cProfile sees one thread),
        import cProfile  # timed in that thread's CPU time: other processes' load does not count

        profile = cProfile.Profile(time.thread_time)
        ingest = app.state.service.ingest
        app.state.service.ingest = lambda *a, **k: profile.runcall(ingest, *a, **k)
    runs = [await message() for _ in range(args.messages)]
    rss1 = rss_mb()
    await lifespan.put({"type": "lifespan.shutdown"})
    await running
    if profile is not None:
        import pstats

        stats = pstats.Stats(profile, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)
    cpu = [r[0] for r in runs]
    walls = [r[1] for r in runs]
    enc = [r[2] for r in runs]
    apart = statistics.mean(c - e for c, e in zip(cpu, enc, strict=True))
    kinds = Counter(" ".join(sql.split()[:3])[:60] for r in runs for sql in r[5])
    return {
        "cpu_ms": 1000 * statistics.mean(cpu),
        "encoder_ms": 1000 * statistics.mean(enc),
        "cpu_ex_encoder_ms": 1000 * apart,
        # the encoder's code is the same in every checkout: a gauge of how fast the machine ran this run
        "per_encoder_ms": apart / max(statistics.mean(enc), 1e-9),
        "service_cpu_ms": 1000 * statistics.mean(r[6] for r in runs),
        "healthz_cpu_ms": 1000 * statistics.median(healthz),
        "statements": statistics.mean(r[3] for r in runs),
        "statements_max": max(r[3] for r in runs),
        "commits": statistics.mean(r[4] for r in runs),
        "p50_ms": 1000 * percentile(walls, 50),
        "p99_ms": 1000 * percentile(walls, 99),
        "per_s": len(walls) / sum(walls),
        "rss_growth_mb": rss1 - rss0,
        "statement_kinds": {k: round(v / len(runs), 2) for k, v in kinds.most_common()},
    }


def child(checkout: Path, args: argparse.Namespace, profile: bool) -> dict[str, Any]:
    """One measurement in a fresh process running `checkout`'s code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_")}
    env |= {"PYTHONPATH": str(checkout), "ESCALATION_PATHS__MODELS_DIR": str(ROOT / "models"),
            "ESCALATION_SWEEPER__ENABLED": "false", "ESCALATION_OUTBOX__ENABLED": "false",
            # the model file for both: no registry check in the background (only one checkout has a store)
            "ESCALATION_SERVING__MODEL_SOURCE": "file",
            "ESCALATION_LOGGING__LEVEL": "WARNING", "ESCALATION_SENTIMENT__NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        env["ESCALATION_DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.db"
        command = [sys.executable, __file__, "--child", "--messages", str(args.messages), "--tickets",
                   str(args.tickets), "--warmup", str(args.warmup), "--seed", str(args.seed)]
        if profile and args.profile:
            command += ["--profile", str(args.profile)]
        done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"{checkout}: the measuring process failed:\n{done.stderr[-3000:]}")
    if profile and args.profile:
        print(done.stderr, file=sys.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def fresh_database(base: str) -> tuple[str, Callable[[], None]]:
    """A new PostgreSQL database next to `base`'s, and how to drop it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"bench_ingest_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300, help="measured messages per run")
    parser.add_argument("--tickets", type=int, default=100, help="tickets created before measuring")
    parser.add_argument("--warmup", type=int, default=50, help="messages sent first, not measured")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each checkout, interleaved")
    parser.add_argument("--against", type=Path, help="another checkout to measure in the same run")
    parser.add_argument("--database", help="a PostgreSQL URL; each run gets a fresh database beside it")
    parser.add_argument("--profile", type=int, default=0, help="cProfile this checkout: top N functions")
    parser.add_argument("--statements", action="store_true", help="list the statements of a message")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(measure(args))))
        return
    checkouts = {"this": ROOT} | ({"against": args.against.resolve()} if args.against else {})
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in checkouts}
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; {args.tickets} tickets, "
          f"{args.messages} messages a run after {args.warmup} unmeasured, {args.rounds} round(s)",
          flush=True)
    if args.profile:  # a run of its own: cProfile slows Python code ~1.5-2x, so it is not one of the measured
        args.database_url, drop = fresh_database(args.database) if args.database else (None, None)
        try:
            child(ROOT, args, profile=True)
        finally:
            if drop is not None:
                drop()
    for round_ in range(args.rounds):
        order = list(checkouts) if round_ % 2 == 0 else list(reversed(checkouts))
        for name in order:
            args.database_url, drop = fresh_database(args.database) if args.database else (None, None)
            try:
                runs[name].append(child(checkouts[name], args, profile=False))
            finally:
                if drop is not None:
                    drop()
            r = runs[name][-1]
            print(f"  round {round_ + 1} {name:7s} CPU {r['cpu_ms']:.2f} ms (encoder {r['encoder_ms']:.2f}), "
                  f"{r['statements']:.2f} statements, p50 {r['p50_ms']:.2f} ms", flush=True)
    print(f"\n{'median of the rounds':34s}" + "".join(f"{n:>12s}" for n in checkouts)
          + ("       ratio" if args.against else ""))
    for key, label, shape in FIGURES:
        values = [statistics.median(r[key] for r in runs[n]) for n in checkouts]
        ratio = f"{values[1] / values[0]:12.2f}" if args.against and values[0] else ""
        print(f"{label:34s}" + "".join(f"{shape.format(v):>12s}" for v in values) + ratio)
    if args.statements:
        for name in checkouts:
            print(f"\nstatements per message ({name}): " + json.dumps(runs[name][0]["statement_kinds"]))
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
