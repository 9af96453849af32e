"""A server process's garbage collector, settled once start-up is done.

CPython's full collection (generation 2) walks every object the collector tracks. After start-up a worker
holds about 400,000 of them — the encoder's tokeniser and vocabulary, the model, the policies, pydantic's
validators, the web framework — none of them ever garbage, and every full collection walked them all again:
under load each worker stopped for 100-300 ms every few seconds to tens of seconds (measured with a
`gc.callbacks` probe during bench/bench_load.py), which was the tail of every kind of request.

So once the models are loaded, the process collects once and freezes what it holds (`gc.freeze`: moved to
a permanent generation the collector never walks), and the youngest generation is collected after
`server.gc_threshold` new objects instead of CPython's 700, so full collections come less often. What a
request allocates and drops is freed by reference counting as before; the collector is only needed for
cycles, and those are still collected."""

from __future__ import annotations

import gc
import logging

log = logging.getLogger("serving")


def settle_after_start_up(threshold: int | None) -> int:
    """Collect, freeze what start-up left, and set the youngest generation's threshold (None: CPython's).
    Returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    if threshold is not None:
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(threshold, older, oldest)
    frozen = gc.get_freeze_count()
    log.info("start-up objects frozen for the collector: %d; thresholds %s", frozen, gc.get_threshold())
    return frozen
