"""Dedup keys for action rows fired without one (migration 0010): who asks whether any are left, and when.

A row without a key was fired by a release before 0010 — before the upgrade, or during a rolling upgrade by
one of its processes still running beside this one (its code does not know the column). A row is keyed when
its action is due again and found by its id (`Store._record`); the migration makes the open tickets holding
actions due at once, so the first sweep after it keys every row whose action is still due. The rows it
cannot key (a fulfilled target's, a reminder's once its target is breached) are never due again and stay
without a key, harmlessly.

Asking once a process and believing the answer for good missed the rows an older process wrote after the
question; keying on every recording ran an UPDATE that changed nothing on every sweep once all rows that can
be keyed had their key. So a process asks again at most every ASK_EVERY_S and keys the due actions' rows only
while the last answer said some are left: during its first UPGRADE_WINDOW_S any row without a key counts
(the first sweeps, a rolling upgrade); after it only rows fired within the window before `now` (a process of
the release before still running), and once none are, it never asks again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection

from core.assessment import DueAction
from serving.store.statements import KEY_ACTION, UNKEYED_ACTION, UNKEYED_SINCE

ASK_EVERY_S = 60.0
# a rolling upgrade replaces every process of the release before, and the first sweeps after the migration
# are done, within this long of this process's start
UPGRADE_WINDOW_S = 3600.0


class UnkeyedActions:
    """One process's view of whether action rows without a dedup key are left. `clock`: monotonic seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self._asked_at: float | None = None
        self._left = False  # the last answer
        self._done = False  # none left past the upgrade window: never asked again

    def key(self, connection: Connection, known: Sequence[DueAction], now: datetime) -> None:
        """Give the rows of `known` (due, not fired now: stored under their id or their key) that have no
        dedup key theirs, while rows without a key are left. `now`: the recording's instant."""
        if not known or self._done:
            return
        asking = self._ask_now()
        if asking is not None:
            late = asking - self._started >= UPGRADE_WINDOW_S
            question = UNKEYED_SINCE if late else UNKEYED_ACTION
            since = {"since": now - timedelta(seconds=UPGRADE_WINDOW_S)} if late else {}
            left = connection.execute(question, since).first() is not None
            with self._lock:
                self._left = left
                self._done = late and not left
        if self._left:
            connection.execute(KEY_ACTION, [{"id": a.action_id, "key": a.dedup_key} for a in known])

    def _ask_now(self) -> float | None:
        """The time of this call's question, or None: asked within ASK_EVERY_S (one caller a period, however
        many threads record at once)."""
        now = self._clock()
        with self._lock:
            if self._asked_at is not None and now - self._asked_at < ASK_EVERY_S:
                return None
            self._asked_at = now
            return now
