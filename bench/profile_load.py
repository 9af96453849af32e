"""Where a request of `bench_load.py`'s mix spends its CPU, in process (no HTTP): the service on a temp SQLite
store with the configured models, the same traffic, each kind's calls timed and profiled with cProfile.

    .venv/bin/python bench/profile_load.py [--requests 1500] [--top 25] [--kind message] [--every N]

Prints the mean time per call of each kind, then the functions with the most own time (tottime) and the
most cumulative time for the chosen kind. Run alongside nothing else: cProfile slows pure Python ~1.5-2x,
so read proportions, not absolute figures.

--every N prints, every N requests, the process's resident memory beside what each in-memory cache holds
(estimated bytes against its budget, hit share since the last line, evictions): whether memory that grows
is the caches filling towards their budgets, or something else; and the garbage collector's pauses in that
window by generation (count, total and longest ms). The process settles its collector after start-up as the
server does (serving/collector.py).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import tempfile
import time
from collections import defaultdict
from typing import Any

from harness import tree_usage
from load_report import KINDS
from load_traffic import Traffic

from core.settings import Settings
from core.tickets import Ticket
from serving.collector import settle_after_start_up
from serving.early_warning import EarlyWarningPage
from serving.schemas import EventsRequest, ScoreRequest
from serving.service import build_service
from serving.store import OpenTicketsQuery


def run_one(service: Any, kind: str, traffic: Traffic) -> None:
    """One request of `kind` as the route runs it: parse the body, call the service, build the response."""
    if kind == "message":
        path, body = traffic.new_message()
        ticket_id = path.split("/")[3]
        ticket, events = EventsRequest.model_validate(body).to_domain(ticket_id)
        service.ingest(ticket_id, ticket, events).model_dump_json()
        if ticket is not None:
            traffic.created(body)
    elif kind == "score":
        request = ScoreRequest.model_validate(traffic.score())
        ticket = Ticket.model_validate(request.ticket.model_dump())
        service.score(ticket, request.to_domain(), request.at).model_dump_json()
    else:
        query = traffic.early_warning().split("?", 1)[1]
        params = dict(p.split("=") for p in query.split("&"))
        query_ = OpenTicketsQuery(team=params.get("team"), sort=params.get("sort", "risk"),
                                  limit=int(params["limit"]))
        found = service.early_warning(query_)
        EarlyWarningPage.model_validate(found.model_dump()).model_dump_json()  # as the route answers it


def caches_now(service: Any) -> dict[str, tuple[int, int, int]]:
    """Each cache's (hits, misses, evictions) so far."""
    return {name: (c.hits, c.misses, c.evictions) for name, c in service.caches().items()}


class GcPauses:
    """The collector's pauses by generation, from `gc.callbacks`, since the last `take`."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = defaultdict(list)
        self._started = 0.0
        gc.callbacks.append(self._on)

    def _on(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses[info["generation"]].append(time.perf_counter() - self._started)

    def take(self) -> str:
        line = " ".join(
            f"gen{g} {len(p)}× {1000 * sum(p):.0f} ms (max {1000 * max(p):.0f})"
            for g, p in sorted(self.pauses.items())
        )
        self.pauses.clear()
        return line or "no collection"


def memory_line(
    done: int,
    service: Any,
    last: dict[str, tuple[int, int, int]],
    pauses: GcPauses,
    spent: dict[str, list[float]],
) -> str:
    """After `done` requests: the RSS, the mean ms a request of each kind since the last line (`spent`: the
    window's times), then the collector's pauses and each cache's MB of its budget, hit share and evictions
    since `last`."""
    rss_mb = tree_usage(os.getpid())[0] / 2**20
    means = " ".join(f"{kind} {1000 * sum(t) / len(t):.2f}" for kind, t in spent.items() if t)
    parts = [f"{done:6d} requests  RSS {rss_mb:7.1f} MB", f"ms {means}", f"GC {pauses.take()}"]
    for name, c in service.caches().items():
        hits, misses, evicted = (now - before for now, before in zip(
            (c.hits, c.misses, c.evictions), last.get(name, (0, 0, 0)), strict=True))
        share = f"{100 * hits / (hits + misses):3.0f}%" if hits + misses else "  – "
        parts.append(f"{name} {c.bytes / 2**20:5.1f}/{c.max_bytes / 2**20:.0f} MB hit {share} out {evicted}")
    return " | ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--kind", choices=KINDS, default="message")
    parser.add_argument("--every", type=int, default=0, help="print memory and caches every N requests")
    parser.add_argument("--customers", type=int,
                        help="customers of the tickets (fewer: more tickets each; default: the load bench's)")
    args = parser.parse_args()
    traffic = Traffic(7) if args.customers is None else Traffic(7, customers=args.customers)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ESCALATION_DATABASE_URL"] = f"sqlite:///{tmp}/profile.db"
        settings = Settings()
        service, database = build_service(settings)
        if settings.server.gc_freeze:  # as the server does once it has started
            settle_after_start_up(settings.server.gc_threshold)
        pauses = GcPauses() if args.every else None
        for _ in range(args.tickets):
            run_one(service, "message", traffic) if traffic.tickets else None
            path, body = traffic.new_ticket()
            ticket, events = EventsRequest.model_validate(body).to_domain(path.split("/")[3])
            service.ingest(path.split("/")[3], ticket, events)
            traffic.created(body)
        kinds = traffic.rng.choices(list(KINDS), [0.7, 0.2, 0.1], k=args.requests)
        spent: dict[str, list[float]] = defaultdict(list)
        profile = cProfile.Profile()
        last = caches_now(service)
        window: dict[str, list[float]] = defaultdict(list)
        if pauses is not None:
            print(memory_line(0, service, last, pauses, window))
        for done, kind in enumerate(kinds, 1):
            t0 = time.perf_counter()
            if kind == args.kind:
                profile.enable()
            run_one(service, kind, traffic)
            if kind == args.kind:
                profile.disable()
            spent[kind].append(time.perf_counter() - t0)
            window[kind].append(spent[kind][-1])
            if pauses is not None and done % args.every == 0:
                print(memory_line(done, service, last, pauses, window), flush=True)
                last = caches_now(service)
                window.clear()
        database.dispose()
    for kind in KINDS:
        times = spent[kind]
        print(f"{kind:14s} n {len(times):5d}  mean {1000 * sum(times) / max(len(times), 1):6.2f} ms "
              f"(profiled: {kind == args.kind})")
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
