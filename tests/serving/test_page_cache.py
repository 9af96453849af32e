"""Early-warning pages are answered from memory for `ttl_s`, one computation per query and period."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from serving.page_cache import PageCache
from serving.service import Service
from serving.store import OpenTicketsQuery
from tests.serving.test_isolation import message, ticket


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_page_is_reused_within_its_period_and_read_again_after() -> None:
    clock = Clock()
    made: list[str] = []
    cache: PageCache[str] = PageCache(2.0, clock)

    def make(key: str) -> str:
        made.append(key)
        return f"page {key} #{len(made)}"

    assert cache.get("a", lambda: make("a")) == "page a #1"
    clock.now += 1.9
    assert cache.get("a", lambda: make("a")) == "page a #1"
    assert cache.get("b", lambda: make("b")) == "page b #2"  # another query: its own page
    clock.now += 0.1
    assert cache.get("a", lambda: make("a")) == "page a #3"
    assert made == ["a", "b", "a"]


def test_no_period_reads_every_time() -> None:
    cache: PageCache[int] = PageCache(0.0, Clock())
    calls = iter(range(10))
    assert [cache.get("a", lambda: next(calls)) for _ in range(3)] == [0, 1, 2]


def test_requests_during_a_computation_take_its_result() -> None:
    cache: PageCache[int] = PageCache(5.0, Clock())
    started, finish = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        started.set()
        finish.wait()
        return 42

    first = threading.Thread(target=lambda: cache.get("q", slow))
    first.start()
    started.wait()
    results: list[int] = []
    second = threading.Thread(target=lambda: results.append(cache.get("q", slow)))
    second.start()
    finish.set()
    first.join()
    second.join()
    assert results == [42] and calls == [1]


def test_the_service_reuses_a_page_across_instants_and_a_snooze_shows_at_once(
    make_service: Callable[[], Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service()
    service._pages = PageCache(60.0, Clock())  # a page lives a minute of a clock that stands still
    t0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    service.ingest("PC-1", ticket("PC-1"), [message("PC-1", 1)])
    reads: list[OpenTicketsQuery] = []
    real = service.store.early_warning

    def counted(query: OpenTicketsQuery) -> Any:
        reads.append(query)
        return real(query)

    monkeypatch.setattr(service.store, "early_warning", counted)
    service.early_warning(OpenTicketsQuery(limit=25, now=t0))
    service.early_warning(OpenTicketsQuery(limit=25, now=t0 + timedelta(seconds=1)))  # a later poll
    assert len(reads) == 1  # the board's instant is not part of the key
    service.early_warning(OpenTicketsQuery(limit=25, team="billing", now=t0))
    assert len(reads) == 2  # other filters: another page
    service.snooze("PC-1", datetime.now(UTC) + timedelta(hours=1), "mgr")
    listed = service.early_warning(OpenTicketsQuery(limit=25, now=t0))
    assert len(reads) == 3 and listed.items[0].snoozed_by == "mgr"
