"""FifoLock hands itself to its waiters in the order they came (threading.Lock promises no order)."""

from __future__ import annotations

import os
import threading

import pytest

from core.fifo import FifoLock


def _until_waiting(lock: FifoLock, count: int) -> None:
    """Yield the processor until `count` threads are queued (a state, not a time: no sleep)."""
    for _ in range(10_000_000):
        if lock.waiting() >= count:
            return
        os.sched_yield()
    raise AssertionError(f"{count} waiters never queued")


def test_waiters_get_the_lock_in_the_order_they_came() -> None:
    lock = FifoLock()
    order: list[int] = []
    lock.acquire()
    threads = []
    for n in range(12):
        def take(n: int = n) -> None:
            with lock:
                order.append(n)
        thread = threading.Thread(target=take)
        thread.start()
        _until_waiting(lock, n + 1)  # each queues behind the ones before it
        threads.append(thread)
    lock.release()
    for thread in threads:
        thread.join()
    assert order == list(range(12))
    assert lock.waiting() == 0


def test_the_releasing_thread_cannot_cut_in_line() -> None:
    lock = FifoLock()
    order: list[str] = []
    lock.acquire()
    waiter = threading.Thread(target=lambda: (lock.acquire(), order.append("waiter"), lock.release()))
    waiter.start()
    _until_waiting(lock, 1)
    lock.release()
    lock.acquire()  # queued behind the waiter, or taken after it finished: never before it
    order.append("releaser")
    lock.release()
    waiter.join()
    assert order == ["waiter", "releaser"]


def test_release_of_a_free_lock_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not held"):
        FifoLock().release()
