"""End-to-end latency and throughput of POST /v1/tickets/{id}/events with a new customer message.

Starts the real server (uvicorn in a subprocess, loopback, embedded SQLite in a temp dir; the trained model
models/escalation-risk.json when present, else rules-only — printed), drives it from this process (bounded:
a fixed number of messages), with and without the transformer sentiment step, and in the same run times the
bare encoder's forward pass for the same messages (batch 1) and prints the ratio. The sweeper and outbox
worker are off in the server so that they do not compete with the measured requests.

    .venv/bin/python bench/bench_api.py [--messages 400] [--tickets 40] [--concurrency 4] [--workers N]
        [--threads N]

The server runs as users start it (`escalation serve`, `--workers` processes); ESCALATION_SENTIMENT__BACKEND
picks the encoder measured, `--threads` its runtime threads (ESCALATION_SENTIMENT__NUM_THREADS; by default
the runtime's with one process, cores / workers with several, as `serve` sets them). The bare forward pass is
timed with the same threads as one server process's encoder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from harness import ServerProcess, percentile

from serving.cli import encoder_threads, usable_cpus

ROOT = Path(__file__).resolve().parent.parent
KEY = {"X-API-Key": "dev-integration-key"}
TEXTS = [
    "Hello, my invoice for May shows the wrong address, can you fix it?",
    "I was charged twice this month. Please refund the second payment.",
    "Thanks, that worked perfectly!",
    "This is the third time I write. Nobody answers. I want to speak to a manager.",
    "The export to CSV fails with an error since yesterday's update.",
    "Können Sie mir bitte die Rechnung noch einmal schicken?",
    "Jeg har ikke fått svar på henvendelsen min fra forrige uke.",
    "If this is not solved by Friday we will cancel our contract and talk to our lawyer.",
    "Where is my parcel? The tracking number has not changed for five days.",
    "Could you tell me how to add a second user to our account?",
]


def sentiment_head(workdir: Path) -> Path | None:
    """None when the packaged sentiment head exists; else a stand-in head fitted here on a few labelled
    messages (same encoder, same cost per message; its answers are not meant to be good)."""
    from core.settings import get_settings
    from features.sentiment import SentimentHead, embed, make_encoder, packaged_head_path, save_head

    settings = get_settings()
    encoder = make_encoder(settings.sentiment.backend, settings.paths.models_dir)
    if settings.sentiment.head_path is not None or packaged_head_path(encoder.name).is_file():
        return None
    labelled = [
        (TEXTS[2], "positive"),
        ("Great service, very happy.", "positive"),
        (TEXTS[3], "negative"),
        (TEXTS[7], "negative"),
        ("This is the worst support ever.", "negative"),
        ("Thank you so much, solved!", "positive"),
        (TEXTS[0], "neutral"),
        (TEXTS[9], "neutral"),
        ("What are your opening hours?", "neutral"),
    ]
    texts, labels = zip(*labelled, strict=True)
    head = SentimentHead(encoder.name, "bench").fit(embed(encoder, list(texts)), list(labels))
    return save_head(head, workdir / "head-bench.json")


def start_server(
    sentiment: bool, workdir: Path, head: Path | None, workers: int, threads: int | None
) -> ServerProcess:
    """The server with sentiment on or off; the encoder and its settings are the caller's
    (ESCALATION_SENTIMENT__* from the environment: the bench measures what the shell configures)."""
    return ServerProcess({
        "ESCALATION_DATABASE_URL": f"sqlite:///{workdir / ('on' if sentiment else 'off')}.db",
        "ESCALATION_SERVING__SENTIMENT": str(sentiment).lower(),
        **({"ESCALATION_SENTIMENT__HEAD_PATH": str(head)} if head is not None else {}),
        **({"ESCALATION_SENTIMENT__NUM_THREADS": str(threads)} if threads else {}),
        "ESCALATION_SWEEPER__ENABLED": "false",
        "ESCALATION_OUTBOX__ENABLED": "false",
    }, workers=workers, inherit_settings=True)


def ticket_fields(i: int, start: datetime) -> dict[str, object]:
    return {
        "created_at": start.isoformat(),
        "channel": "email",
        "priority": "normal",
        "customer_id": f"C-{i % 7}",
        "customer_tier": "gold",
        "product": "invoicing",
        "category": "billing_payment",
        "team": "billing",
        "language": "en",
        "assignee": f"agent-{i % 5}",
    }


def create_tickets(client: httpx.Client, prefix: str, tickets: int, start: datetime) -> None:
    for i in range(tickets):
        r = client.post(
            f"/v1/tickets/{prefix}{i}/events",
            headers=KEY,
            json={
                "ticket": ticket_fields(i, start),
                "events": [
                    {
                        "event_id": f"{prefix}{i}-0",
                        "at": start.isoformat(),
                        "type": "customer_message",
                        "author_role": "customer",
                        "body": TEXTS[i % len(TEXTS)],
                    }
                ],
            },
        )
        r.raise_for_status()


def post_message(client: httpx.Client, prefix: str, n: int, tickets: int, start: datetime) -> float:
    """One new customer message on ticket n % tickets; returns the seconds the request took."""
    at = start + timedelta(minutes=1 + n)
    body = {
        "events": [
            {
                "event_id": f"{prefix}m{n}",
                "at": at.isoformat(),
                "type": "customer_message",
                "author_role": "customer",
                "body": f"{TEXTS[n % len(TEXTS)]} (ref {n})",
            }
        ]
    }
    t0 = time.perf_counter()
    r = client.post(f"/v1/tickets/{prefix}{n % tickets}/events", headers=KEY, json=body)
    elapsed = time.perf_counter() - t0
    r.raise_for_status()
    return elapsed


def measure(url: str, messages: int, tickets: int, concurrency: int) -> dict[str, float]:
    start = datetime.now(UTC) - timedelta(days=1)
    with httpx.Client(base_url=url, timeout=30) as client:
        create_tickets(client, "L", tickets, start)
        for n in range(20):  # warm-up (not measured)
            post_message(client, "L", n, tickets, start)
        latencies = [post_message(client, "L", n, tickets, start) for n in range(20, 20 + messages)]
    # throughput: `concurrency` clients at once, each its own tickets, a fixed number of messages in all
    per_client = max(1, messages // concurrency)
    errors: list[BaseException] = []

    def run(c: int) -> None:
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                create_tickets(client, f"T{c}-", tickets // concurrency or 1, start)
                barrier.wait(timeout=60)
                for n in range(per_client):
                    post_message(client, f"T{c}-", n, tickets // concurrency or 1, start)
        except BaseException as exc:
            errors.append(exc)

    barrier = threading.Barrier(concurrency + 1)
    threads = [threading.Thread(target=run, args=(c,)) for c in range(concurrency)]
    for t in threads:
        t.start()
    barrier.wait(timeout=120)
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise errors[0]
    return {
        "p50_ms": 1000 * percentile(latencies, 50),
        "p99_ms": 1000 * percentile(latencies, 99),
        "mean_ms": 1000 * statistics.fmean(latencies),
        "throughput": per_client * concurrency / wall,
    }


def encoder_forward_ms(messages: int, threads: int | None) -> float:
    """The bare encoder (the configured backend, as many threads as the server's), batch 1, over the same
    message texts: p50 in ms."""
    from core.settings import get_settings
    from features.sentiment import make_encoder

    settings = get_settings()
    encoder = make_encoder(settings.sentiment.backend, settings.paths.models_dir, threads)
    texts = [f"{TEXTS[n % len(TEXTS)]} (ref {n})" for n in range(20, 20 + messages)]
    for text in texts[:20]:
        encoder.encode([text])
    times = []
    for text in texts:
        t0 = time.perf_counter()
        encoder.encode([text])
        times.append(time.perf_counter() - t0)
    return 1000 * percentile(times, 50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--tickets", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=usable_cpus(),
                        help="server processes (serve --workers; default: as serve, one per usable core)")
    parser.add_argument("--threads", type=int, help="encoder threads per process (default: all cores)")
    args = parser.parse_args()
    # as many threads as each server process's encoder has: `serve --workers N` splits the cores among them
    split = encoder_threads(args.workers, usable_cpus()) if args.workers > 1 else None
    threads = args.threads or split
    print(
        f"cpu cores: {os.cpu_count()}; messages per run: {args.messages}; tickets: {args.tickets}; "
        f"throughput clients: {args.concurrency}; server workers: {args.workers}; encoder threads: "
        f"{threads or 'default'}; load average before: {os.getloadavg()[0]:.2f}"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        head = sentiment_head(Path(tmp))
        if head is not None:
            print("no packaged sentiment head in this checkout: a stand-in head fitted on 9 messages is used")
        for sentiment in (True, False):
            with start_server(sentiment, Path(tmp), head, args.workers, args.threads) as server:
                ready = server.ready
                model = ready.get("model_version") or "none: rules-only (no models/escalation-risk.json)"
                print(
                    f"\nsentiment {'on ' if sentiment else 'off'}: model {model}; "
                    f"sentiment {ready.get('sentiment_version') or 'off'}"
                )
                results[sentiment] = figures = measure(
                    server.url, args.messages, args.tickets, args.concurrency
                )
                print(
                    f"  POST /v1/tickets/{{id}}/events  p50 {figures['p50_ms']:.1f} ms  "
                    f"p99 {figures['p99_ms']:.1f} ms  mean {figures['mean_ms']:.1f} ms  "
                    f"throughput {figures['throughput']:.0f} msg/s"
                )
    forward = encoder_forward_ms(args.messages, threads)
    with_model = results[True]["p50_ms"]
    print(
        f"\nbare encoder forward (batch 1, {threads or 'default'} threads) p50 {forward:.2f} ms; "
        f"end-to-end p50 with the transformer "
        f"{with_model:.1f} ms = {with_model / forward:.1f}x the forward pass; the sentiment step adds "
        f"{with_model - results[False]['p50_ms']:.1f} ms at p50"
    )
    print("targets (2 cores): p50 <= 10 ms, p99 <= 25 ms with the transformer, >= 150 msg/s, ratio <= 3x")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
