"""`Lru`: a mapping bounded by the bytes its values hold, forgetting the least recently used entry first.
Bounded by count, a cache of tickets grows with their length: a few thousand long tickets hold far more
memory than a few thousand short ones, and a long-running server's memory keeps rising. Each value's size
is estimated by the owner's `size` function (cheap, not exact: what matters is that it grows with the
value). Not locked: its owners hold their own lock around it. It counts its lookups (hits, misses) and the
entries it dropped for room (evictions), which /metrics shows per cache (serving/metrics/process.py)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    def __init__(self, max_bytes: int, size: Callable[[V], int]) -> None:
        if max_bytes < 0:
            raise ValueError(f"max_bytes must be 0 or more, got {max_bytes}")
        self.max_bytes = max_bytes
        self._size = size
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self.bytes = 0  # the estimated size of what is held
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K, fresh: Callable[[V], bool] | None = None) -> V | None:
        """The value held for `key`, now the most recently used; None (a miss) when none is held, or when
        `fresh` says the one held is out of date (it stays until replaced)."""
        item = self._items.get(key)
        if item is None or (fresh is not None and not fresh(item[0])):
            self.misses += 1
            return None
        self.hits += 1
        self._items.move_to_end(key)
        return item[0]

    def peek(self, key: K) -> V | None:
        """The value held for `key`, neither counted as a lookup nor moved."""
        item = self._items.get(key)
        return None if item is None else item[0]

    def put(self, key: K, value: V) -> None:
        """Hold `value`; a value larger than the whole budget is not held at all."""
        self.pop(key)
        size = self._size(value)
        if size > self.max_bytes:
            return
        self._items[key] = (value, size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, dropped) = self._items.popitem(last=False)
            self.bytes -= dropped
            self.evictions += 1

    def pop(self, key: K) -> None:
        item = self._items.pop(key, None)
        if item is not None:
            self.bytes -= item[1]

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0
