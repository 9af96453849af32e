"""The LRU cache is bounded by the bytes its values hold, not by how many there are."""

from __future__ import annotations

import random

import pytest

from core.lru import Lru


def test_the_byte_budget_holds_whatever_the_sizes() -> None:
    rng = random.Random(3)
    cache: Lru[int, bytes] = Lru(10_000, len)
    for key in range(2_000):
        cache.put(key, b"x" * rng.choice([10, 100, 1_000, 4_000]))
        if rng.random() < 0.3:
            cache.get(rng.randrange(key + 1))
        held = [v for k in range(key + 1) if (v := cache._items.get(k)) is not None]
        assert cache.bytes == sum(size for _, size in held) <= 10_000
    assert len(cache) < 2_000


def test_the_least_recently_used_goes_first() -> None:
    cache: Lru[str, bytes] = Lru(300, len)
    cache.put("a", b"1" * 100)
    cache.put("b", b"2" * 100)
    cache.put("c", b"3" * 100)
    cache.get("a")  # now b is the oldest
    cache.put("d", b"4" * 100)
    assert cache.get("b") is None
    assert [cache.get(k) is not None for k in "acd"] == [True, True, True]


def test_replacing_and_popping_keep_the_count_right() -> None:
    cache: Lru[str, bytes] = Lru(1_000, len)
    cache.put("a", b"1" * 600)
    cache.put("a", b"1" * 100)
    assert cache.bytes == 100
    cache.pop("a")
    cache.pop("missing")
    assert cache.bytes == 0 and len(cache) == 0


def test_a_value_over_the_whole_budget_is_not_held() -> None:
    cache: Lru[str, bytes] = Lru(100, len)
    cache.put("small", b"s")
    cache.put("huge", b"h" * 101)
    assert cache.get("huge") is None and cache.get("small") == b"s"


def test_a_negative_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        Lru(-1, len)


def test_clear_forgets_everything_and_its_size() -> None:
    held: Lru[str, str] = Lru(10, len)
    held.put("a", "xyz")
    held.put("b", "uv")
    held.clear()
    assert len(held) == 0 and held.bytes == 0 and held.get("a") is None
    held.put("c", "0123456789")  # the whole budget is free again
    assert held.get("c") == "0123456789"


def test_lookups_and_evictions_are_counted() -> None:
    cache: Lru[str, bytes] = Lru(200, len)
    cache.put("a", b"1" * 100)
    cache.put("b", b"2" * 100)
    assert cache.get("a") == b"1" * 100 and cache.get("x") is None
    cache.put("c", b"3" * 100)  # b, the least recently used, makes room
    assert (cache.hits, cache.misses, cache.evictions) == (1, 1, 1)
    cache.pop("a")  # popped by its owner, not evicted
    assert cache.evictions == 1


def test_an_entry_out_of_date_is_a_miss_and_stays_until_replaced() -> None:
    cache: Lru[str, tuple[int, str]] = Lru(1_000, lambda v: 10)
    cache.put("t", (1, "old"))
    assert cache.get("t", lambda held: held[0] == 2) is None
    assert cache.get("t", lambda held: held[0] == 1) == (1, "old")
    assert (cache.hits, cache.misses, len(cache)) == (1, 1, 1)


def test_peek_neither_counts_nor_reorders() -> None:
    cache: Lru[str, bytes] = Lru(200, len)
    cache.put("a", b"1" * 100)
    cache.put("b", b"2" * 100)
    assert cache.peek("a") == b"1" * 100 and cache.peek("x") is None
    cache.put("c", b"3" * 100)  # a stayed the oldest: it goes
    assert cache.peek("a") is None and (cache.hits, cache.misses) == (0, 0)
