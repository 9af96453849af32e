"""`FifoLock`: a lock that hands itself to its waiters in the order they came. `threading.Lock` wakes an
arbitrary waiter, and a thread that has just released it often takes it back at once: under load some
requests wait many turns while others pass them — the tail of the latency. Here a request waits for the
ones ahead of it only."""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType


class FifoLock:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()  # each waiter's own lock, held until its turn
        self._held = False

    def acquire(self) -> None:
        with self._guard:
            if not self._held and not self._waiters:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        turn.acquire()  # released by `release` of the holder before us: the lock is ours, still held

    def release(self) -> None:
        with self._guard:
            if not self._held:
                raise RuntimeError("FifoLock.release: the lock is not held; release only what you acquired")
            if self._waiters:
                self._waiters.popleft().release()  # handed over: `_held` stays True
            else:
                self._held = False

    def waiting(self) -> int:
        """Threads queued for the lock now (a gauge, for tests and metrics)."""
        with self._guard:
            return len(self._waiters)

    def __enter__(self) -> FifoLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
