"""Benchmark: evaluate the SLA state of 100k open synthetic tickets with the shipped policies.

Prints tickets/s and ms per 10k tickets on one core (the issue's target: well under 1 s per 10k).
Run: .venv/bin/python bench/bench_rules.py [--tickets N]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from core.tickets import Event, Ticket
from rules import evaluate, load_policies

CHANNELS = ["email", "web", "phone", "chat", "twitter", "facebook"]
CATEGORIES = ["billing", "payments", "account", "technical", "outage", "shipping"]
PRIORITIES = ["low", "normal", "high", "urgent"]
TIERS = ["standard", "standard", "standard", "enterprise", "vip"]


def build(n: int, seed: int = 7) -> list[tuple[Ticket, list[Event]]]:
    """Open tickets over the last three weeks, each with 1-6 events (messages, replies, pauses)."""
    rng = random.Random(seed)
    base = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    out = []
    for i in range(n):
        tid = f"T{i}"
        created = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 21))
        ticket = Ticket(
            ticket_id=tid,
            created_at=created,
            channel=rng.choice(CHANNELS),
            priority=rng.choice(PRIORITIES),
            customer_id=f"c{i % 5000}",
            customer_tier=rng.choice(TIERS),
            product="app",
            category=rng.choice(CATEGORIES),
            team="general",
            language="en",
            subject="Help",
            assignee="alice",
        )
        t = created
        events = [
            Event(
                event_id=f"{tid}-0",
                ticket_id=tid,
                at=t,
                type="customer_message",
                author_role="customer",
                body="it is not working" if rng.random() < 0.1 else "question",
            )
        ]
        for k in range(1, rng.randint(1, 6)):
            t += timedelta(minutes=rng.randrange(5, 600))
            kind = rng.random()
            if kind < 0.4:
                e = dict(type="agent_reply", author_role="agent", body="answer")
            elif kind < 0.7:
                e = dict(type="customer_message", author_role="customer", body="more")
            elif kind < 0.85:
                e = dict(type="status_change", author_role="agent", status="pending")
            else:
                e = dict(type="status_change", author_role="agent", status="open")
            events.append(Event(event_id=f"{tid}-{k}", ticket_id=tid, at=t, **e))
        out.append((ticket, events))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()
    policies = load_policies()
    t0 = time.perf_counter()
    tickets = build(args.tickets)
    built = time.perf_counter() - t0
    now = datetime(2025, 3, 25, 12, 0, tzinfo=UTC)
    evaluate(policies, *tickets[0], now)  # warm the calendar caches as a long-running service would
    t0 = time.perf_counter()
    actions = 0
    for ticket, events in tickets:
        actions += len(evaluate(policies, ticket, events, now, signals=(), risk=None).actions)
    elapsed = time.perf_counter() - t0
    n = len(tickets)
    print(f"built {n} synthetic open tickets in {built:.1f} s (not timed below)")
    print(
        f"evaluated {n} tickets in {elapsed:.2f} s on one core: {n / elapsed:,.0f} tickets/s, "
        f"{elapsed / n * 10_000 * 1000:.0f} ms per 10k tickets ({actions} actions due)"
    )


if __name__ == "__main__":
    main()
