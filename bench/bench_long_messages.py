"""What a long message costs the analysis, read whole against clipped to `sentiment.max_chars` (its head and
tail, features/sentiment/model.py `clip`), in the same run: the configured encoder and heads, one message a
call as serving runs them, p50/p99 per length, the ratio, messages a second and the process's peak memory.

    .venv/bin/python bench/bench_long_messages.py [--repeat 5] [--lengths 100,1000,2000,5000,20000]

The texts are made here (an English complaint repeated to length), each call a new text so that no cache
answers. The tweet-length row is the baseline every longer one is compared with."""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from core.settings import Settings
from features.text.analysis import MessageAnalyser, MessageIn
from features.text.loading import load_analyser

OPENING = "Hello, I was charged twice for order {n} and nobody answers my emails. "
MIDDLE = "I have attached the invoice, the bank statement and the confirmation you sent me on Monday. "
CLOSE = "This is the third time I write. I want my money back now or I will contact my lawyer."


def letter(chars: int, n: int) -> str:
    """Exactly `chars` characters: the opening and the middle repeated, cut to leave room for the close."""
    if chars <= len(CLOSE):
        return CLOSE[:chars]
    body = OPENING.format(n=n) + MIDDLE * (chars // len(MIDDLE) + 1)
    return body[: chars - len(CLOSE)] + CLOSE


def timed(analyser: MessageAnalyser, chars: int, repeat: int, start: int) -> list[float]:
    out = []
    for i in range(repeat):
        message = MessageIn(letter(chars, start + i), "en", "en")
        t0 = time.perf_counter()
        analyser.analyse([message])
        out.append(1000 * (time.perf_counter() - t0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lengths", default="100,1000,2000,5000,20000")
    args = parser.parse_args()
    lengths = [int(x) for x in args.lengths.split(",")]
    settings = Settings()
    clipped = load_analyser(settings, sentiment=True, cache=False)
    whole = load_analyser(settings.model_copy(update={"sentiment": settings.sentiment.model_copy(
        update={"max_chars": None})}), sentiment=True, cache=False)
    for analyser in (clipped, whole):
        analyser.warm_up()
    print(f"load average {os.getloadavg()[0]:.2f}; encoder {settings.sentiment.backend}, "
          f"max_chars {settings.sentiment.max_chars}, {args.repeat} messages a length and mode, one a call")
    print(f"{'characters':>10s} {'whole p50':>10s} {'p99':>8s} {'clipped p50':>12s} {'p99':>8s} "
          f"{'whole/clipped':>14s} {'clipped msg/s':>14s} {'p50 / tweet':>12s}")
    base: float | None = None
    for k, chars in enumerate(lengths):
        # interleaved, so that the machine's drift falls on both modes alike
        w, c = [], []
        for i in range(args.repeat):
            w += timed(whole, chars, 1, 10_000 * k + 2 * i)
            c += timed(clipped, chars, 1, 10_000 * k + 2 * i + 1)
        wp50, cp50 = float(np.median(w)), float(np.median(c))
        base = base or cp50
        print(f"{chars:10,d} {wp50:8.1f} ms {np.percentile(w, 99):6.1f} ms {cp50:10.1f} ms "
              f"{np.percentile(c, 99):6.1f} ms {wp50 / cp50:13.2f}x {1000 / cp50:14.1f} {cp50 / base:11.1f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
