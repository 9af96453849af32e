"""`PageCache`: answers that may be a few seconds old, kept per query for `ttl_s`. The early-warning list is
polled by every manager's board and read by integrations; computing it (a count and a sorted page with each
ticket's assessment) costs more than any other request of the mix, and the list moves slower than a board
polls. One computation per query and period; requests that arrive while it runs wait for it instead of each
computing it again."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
MAX_QUERIES = 256  # distinct queries kept (filters × pages); the oldest are dropped beyond this


class PageCache(Generic[T]):
    def __init__(self, ttl_s: float, clock: Callable[[], float]) -> None:
        self.ttl_s = ttl_s
        self._clock = clock  # time.monotonic in the service; a fake one in tests
        self._pages: dict[Hashable, tuple[float, T]] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if self.ttl_s <= 0:
            return make()
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one computation per key at a time: the others wait and take its result
            with self._guard:
                held = self._pages.get(key)
            if held is not None and self._clock() - held[0] < self.ttl_s:
                return held[1]
            made_at = self._clock()
            page = make()
            with self._guard:
                self._pages[key] = (made_at, page)
                while len(self._pages) > MAX_QUERIES:
                    dropped = next(iter(self._pages))
                    del self._pages[dropped]
                    self._locks.pop(dropped, None)
            return page

    def clear(self) -> None:
        """Forget every page: a write that changes the list (a snooze) shows at the next read."""
        with self._guard:
            self._pages.clear()
