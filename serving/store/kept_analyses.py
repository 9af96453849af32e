"""`KeptAnalyses`: the message analyses `/v1/score` made, kept in the store for every server process and
instance, so that a client scoring a ticket again (the same earlier messages and one new) pays the encoder
for the new message only, whichever process answers. Each process also keeps recent analyses in memory
(`features.text.analysis_cache`), but a client's requests land on any worker: with two workers a scored
ticket's earlier messages were missing from the answering process's memory on ~40 % of requests, and the
encoder (~2/3 of a request's CPU) ran again for each (bench/bench_load.py, docs/api.md).

What is kept holds no message text: a row is keyed by the SHA-256 of the analyser's version and the message
as read (text, given language, the ticket's language), and holds the language, the sentiment scores and each
signal's name and character span; the evidence is cut from the request's text again when it is recalled.
An analysis whose evidence is not exactly its span of the text is not kept. Rows older than
`serving.kept_analyses_hours` are deleted.

Writing is behind the requests: `keep` queues, and a thread writes the queue every `FLUSH_S` in one
transaction (SQLite has one writer at a time: a commit per request would queue the new messages behind
/v1/score). A recall misses what the other processes made in the last second, and the store failing costs
the time saved, never an answer: a failed read or write is logged (no text) and counted, and the request
goes on with the encoder."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from core.text import MessageAnalysis
from features.text.analysis import MessageIn
from serving.store.database import Database
from serving.store.tables import KeptAnalysisRow
from serving.store.writes import insert_new

log = logging.getLogger("serving.kept_analyses")

FLUSH_S = 1.0  # the queue is written this often
PRUNE_EVERY_S = 600.0  # rows past their age are deleted this often (and at the first write)
QUEUE_MAX = 10_000  # analyses waiting to be written; past it new ones are dropped (counted), not queued


def digest(version: str, message: MessageIn) -> str:
    """The key of a message's analysis: each part length-prefixed, so that no two messages share one."""
    h = hashlib.sha256()
    for part in (version, message.lang, message.fallback_lang, message.text):
        raw = b"\xff" if part is None else part.encode("utf-8", "surrogatepass")
        h.update(f"{len(raw)}:".encode())
        h.update(raw)
    return h.hexdigest()


def without_text(analysis: MessageAnalysis, text: str) -> dict[str, Any] | None:
    """What is kept of an analysis: its dict with each signal's evidence left out (its span stays); None
    when an evidence is not its span of the text (it could not be cut from the text again)."""
    if any(text[s.start:s.end] != s.evidence for s in analysis.signals):
        return None
    data = analysis.to_dict()
    data["signals"] = [{k: v for k, v in s.items() if k != "evidence"} for s in data["signals"]]
    return data


def with_text(data: Mapping[str, Any], text: str) -> MessageAnalysis:
    """The inverse of `without_text`: the evidence cut from the text by its span."""
    signals = [{**s, "evidence": text[int(s["start"]):int(s["end"])]} for s in data.get("signals", ())]
    return MessageAnalysis.from_dict({**data, "signals": signals})


@dataclass
class KeptCounts:
    """Since the process started: analyses recalled, asked for and not held, written, and dropped (the
    queue full, or a failed write), and the store's failures (reads and writes)."""

    recalled: int = 0
    missed: int = 0
    written: int = 0
    dropped: int = 0
    failures: int = 0


class KeptAnalyses:
    """`SharedAnalyses` (features.text.analysis) on the store. The first `keep` starts the writer thread;
    `close()` stops it and writes what is queued. Tests call `flush()` themselves."""

    def __init__(self, database: Database, max_age: timedelta, *, background: bool = True) -> None:
        """`background`: False writes only when `flush()` is called (tests)."""
        self.db = database
        self.max_age = max_age
        self.background = background
        self.counts = KeptCounts()
        self._queue: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pruned_at = float("-inf")

    def recall(self, version: str, messages: Sequence[MessageIn]) -> Mapping[int, MessageAnalysis]:
        keys = [digest(version, m) for m in messages]
        try:
            with self.db.engine.connect() as connection:
                rows = connection.execute(
                    select(KeptAnalysisRow.digest, KeptAnalysisRow.analysis).where(
                        KeptAnalysisRow.digest.in_(set(keys)),
                        KeptAnalysisRow.kept_at >= datetime.now(UTC) - self.max_age,
                    )
                ).all()
        except Exception as exc:  # the encoder answers instead: slower, never wrong
            self._failed("read", exc)
            return {}
        held = {str(row[0]): row[1] for row in rows}
        found = {
            i: with_text(held[key], m.text)
            for i, (key, m) in enumerate(zip(keys, messages, strict=True)) if key in held
        }
        with self._lock:
            self.counts.recalled += len(found)
            self.counts.missed += len(messages) - len(found)
        return found

    def keep(self, version: str, made: Sequence[tuple[MessageIn, MessageAnalysis]]) -> None:
        """Queue the analyses for the writer thread (started by the first call)."""
        if made and self.background and self._thread is None and not self._stop.is_set():
            self.start()
        kept = [(digest(version, m), data) for m, a in made if (data := without_text(a, m.text)) is not None]
        with self._lock:
            for key, data in kept:
                if len(self._queue) >= QUEUE_MAX:
                    self.counts.dropped += 1
                    continue
                self._queue[key] = data

    def flush(self, now: datetime | None = None) -> int:
        """Write what is queued (one transaction; a digest already there is left as it is) and, every
        `PRUNE_EVERY_S`, delete rows past their age. Returns the rows written."""
        now = now or datetime.now(UTC)
        with self._lock:
            queued, self._queue = self._queue, {}
        prune = time.monotonic() - self._pruned_at >= PRUNE_EVERY_S
        if not queued and not prune:
            return 0
        rows = [{"digest": key, "analysis": data, "kept_at": now} for key, data in sorted(queued.items())]
        try:
            with self.db.session() as s:
                written = len(insert_new(s, KeptAnalysisRow.__table__, rows, KeptAnalysisRow.digest))
                if prune:
                    s.execute(delete(KeptAnalysisRow).where(KeptAnalysisRow.kept_at < now - self.max_age))
        except Exception as exc:
            self._failed("write", exc)
            with self._lock:
                self.counts.dropped += len(rows)
            return 0
        if prune:
            self._pruned_at = time.monotonic()
        with self._lock:
            self.counts.written += written
        return written

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="kept-analyses", daemon=True)
            self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(FLUSH_S):
            self.flush()

    def _failed(self, what: str, exc: Exception) -> None:
        with self._lock:
            self.counts.failures += 1
        log.warning("kept analyses: the store's %s failed (%s); the encoder answers instead",
                    what, type(exc).__name__)
