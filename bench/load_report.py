"""What `bench_load.py` measures and prints: latencies per kind of request, errors, the server's memory over
time (read from /proc, every process of its group), and a plot when matplotlib is installed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import percentile

KINDS = ("message", "score", "early_warning")


@dataclass(frozen=True, slots=True)
class Sample:
    kind: str
    intended: float  # seconds since the start of the run, when it was meant to be sent
    latency: float  # seconds from the intended send to the answer (coordinated omission is not hidden)
    status: str  # the HTTP status, or the exception's name


@dataclass(slots=True)
class Results:
    samples: list[Sample] = field(default_factory=list)
    rss: list[tuple[float, int]] = field(default_factory=list)  # (seconds since the start, bytes)
    # (seconds since the start, CPU s used by each server process): their sum is the server's CPU, their
    # shares how evenly the workers share the work
    cpu_by_process: list[tuple[float, dict[int, float]]] = field(default_factory=list)
    send_lag: list[float] = field(default_factory=list)  # how late the client itself sent (its own limit)


def summary(results: Results, warmup: float, duration: float, rate: float) -> dict[str, Any]:
    """Figures of the measured window (after the warm-up): rate held, latency per kind, errors, memory."""
    measured = [s for s in results.samples if s.intended >= warmup]
    ok = [s for s in measured if s.status == "200"]
    window = duration - warmup
    kinds = {}
    for kind in KINDS:
        latencies = [1000 * s.latency for s in ok if s.kind == kind]
        kinds[kind] = {
            "count": len(latencies),
            "p50_ms": round(percentile(latencies, 50), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(max(latencies, default=float("nan")), 1),
        }
    errors = Counter(s.status for s in measured if s.status != "200")
    after = [bytes_ for t, bytes_ in results.rss if t >= warmup]
    growth = (after[-1] - after[0]) / after[0] if len(after) > 1 else float("nan")
    # requests answered in time to count: those meant to go in the window and answered within 2 s of its end
    held = sum(1 for s in ok if s.intended + s.latency <= duration + 2) / window if window > 0 else 0.0
    used = [sum(c.values()) for t, c in results.cpu_by_process if t >= warmup]
    answered = len([s for s in ok if s.intended < duration])
    cpu_ms = 1000 * (used[-1] - used[0]) / max(answered, 1) if used else 0.0
    return {
        "rate_offered": rate,
        "rate_sent": round(len(measured) / window, 1) if window > 0 else 0.0,  # arrivals drawn in the window
        "rate_held": round(held, 1),
        "requests": len(measured),
        "kinds": kinds,
        "errors": dict(errors),
        "server_cpu_ms_per_request": round(cpu_ms, 2),  # all its processes' CPU time over answered requests
        "server_cpu_share_pct": cpu_shares(results, warmup),
        "rss_mb_start": round(after[0] / 2**20, 1) if after else None,
        "rss_mb_end": round(after[-1] / 2**20, 1) if after else None,
        "rss_mb_max": round(max(after) / 2**20, 1) if after else None,
        "rss_growth_pct": round(100 * growth, 1),
        "client_send_lag_p99_ms": round(1000 * percentile(results.send_lag, 99), 1),
    }


def cpu_shares(results: Results, warmup: float) -> list[float]:
    """Each server process's share of the server's CPU over the measured window (%, largest first; the
    processes that used under 1 %, such as the supervisor, left out)."""
    after = [used for t, used in results.cpu_by_process if t >= warmup]
    if len(after) < 2:
        return []
    spent = {pid: after[-1][pid] - after[0].get(pid, 0.0) for pid in after[-1]}
    total = sum(spent.values())
    if total <= 0:
        return []
    return sorted((round(100 * s / total, 1) for s in spent.values() if s / total >= 0.01), reverse=True)


def window_line(results: Results, start: float, end: float) -> str:
    """One progress line: the requests meant to be sent in [start, end) and the memory at `end`."""
    chosen = [s for s in results.samples if start <= s.intended < end]
    parts = [f"t={end:5.0f}s sent {len(chosen):4d}"]
    for kind in KINDS:
        latencies = [1000 * s.latency for s in chosen if s.kind == kind and s.status == "200"]
        if latencies:
            parts.append(f"{kind} p50 {percentile(latencies, 50):6.1f} p99 {percentile(latencies, 99):7.1f}")
    errors = sum(1 for s in chosen if s.status != "200")
    rss = next((b for t, b in reversed(results.rss) if t <= end), 0)
    parts.append(f"errors {errors}  rss {rss / 2**20:6.1f} MB")
    return "  ".join(parts)


def plot(results: Results, path: Path, title: str) -> bool:
    """Latency of every request (log scale, by kind) and the server's memory over time; False without
    matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True)
    for kind in KINDS:
        chosen = [s for s in results.samples if s.kind == kind]
        top.scatter([s.intended for s in chosen], [1000 * s.latency for s in chosen], s=2, label=kind)
    top.set_yscale("log")
    top.set_ylabel("latency ms (from the intended send)")
    top.legend(markerscale=4)
    top.set_title(title)
    bottom.plot([t for t, _ in results.rss], [b / 2**20 for _, b in results.rss])
    bottom.set_ylabel("server RSS MB (all processes)")
    bottom.set_xlabel("seconds")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True
