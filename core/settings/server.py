"""`escalation serve`: where it listens, its processes, threads and queue, its garbage collector."""

from __future__ import annotations

from pydantic import Field

from core.bounds import SERVER_THREADS_MAX, SERVER_WORKERS_MAX
from core.settings.section import Section


class ServerSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Server processes (`escalation serve`); None: one per CPU core this process may use. One process is
    # GIL-bound: on 2 cores, 1 worker served 110-142 messages/s with the transformer, 2 workers 176-220
    # (bench_api, docs/api.md). They share the store; the sweeper and outbox are safe to run in each.
    workers: int | None = Field(default=None, ge=1, le=SERVER_WORKERS_MAX)
    # Requests each process works on at once (its thread pool; `escalation serve --threads`). The others wait
    # in line in the event loop, in arrival order. On 2 cores the CPU, not waiting, bounds a request: 40
    # threads (the framework's default) only made each request share the cores with 39 others, and at 80
    # requests/s the p99 reached 2 s (bench/bench_load.py, docs/api.md "Under mixed load").
    threads: int = Field(default=4, ge=1, le=SERVER_THREADS_MAX)
    # Requests that may wait for a thread in one process; one more is answered 503 with Retry-After at once
    # (serving/overload.py) instead of waiting past the client's timeout. The wait grows with the queue: at
    # 100, the admitted requests of an overloaded 2-core server waited 4-8 s (bench_load); at 16, well
    # under a second. None: no limit.
    max_waiting: int | None = Field(default=16, ge=1, le=10_000)
    # Once start-up is done, freeze what it left for the garbage collector and collect the youngest generation
    # after `gc_threshold` new objects (CPython: 700; None keeps it): a full collection walked the ~400k
    # objects of the loaded models every time and stopped the process for 100-300 ms under load
    # (serving/collector.py, docs/api.md "Under mixed load").
    gc_freeze: bool = True
    gc_threshold: int | None = Field(default=10_000, ge=100, le=10_000_000)
