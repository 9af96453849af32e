"""The generator's one source of randomness.

Every draw is built from `random.Random.random()` alone: Python guarantees that method's sequence for
a given seed across versions and platforms (the other helpers such as `choice` may change), and a
scalar draw costs ~50 ns where numpy's scalar calls cost ~1 µs — the large benchmark histories make
tens of millions of draws. No module-level state: each generator owns its `Dice`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Dice:
    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self.random = self._rng.random

    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def index(self, n: int) -> int:
        return int(self.random() * n)

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def weighted(self, seq: Sequence[T], cum_weights: Sequence[float]) -> T:
        """`seq[i]` with probability proportional to weight i; `cum_weights` are running totals."""
        target = self.random() * cum_weights[-1]
        lo, hi = 0, len(cum_weights) - 1
        while lo < hi:  # bisect by hand: fewer calls than bisect + bounds checks for short lists
            mid = (lo + hi) // 2
            if cum_weights[mid] > target:
                hi = mid
            else:
                lo = mid + 1
        return seq[lo]

    def normal(self, mu: float = 0.0, sigma: float = 1.0) -> float:
        # Box–Muller from two uniforms; 1 - u keeps log() away from zero.
        u1, u2 = 1.0 - self.random(), self.random()
        return mu + sigma * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(sigma * self.normal())

    def expo(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.random())

    def poisson(self, lam: float) -> int:
        # Knuth's method: fine for the small rates used here (typos per message, extra details).
        limit, k, prod = math.exp(-lam), 0, self.random()
        while prod > limit:
            k += 1
            prod *= self.random()
        return k


def cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))
