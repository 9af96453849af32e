"""Message text analyses (sentiment + conflict signals) computed in batches and cached by content hash.

Encoding every customer message with a transformer is the slow part of training; the cache keys each
analysis by a hash of (analyser version, language, text), so retraining on a grown history encodes only
the messages it has not seen. One SQLite file; safe to delete (it is rebuilt).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from core.enums import EventType
from core.text import MessageAnalysis

# texts, languages -> one analysis per text, in order (the sentiment model + signal detector)
Analyser = Callable[[Sequence[str], Sequence[str]], list[MessageAnalysis]]
Batch = list[tuple[str, tuple[str, str]]]  # (cache key, (text, language)) pairs
# batches -> each batch's analyses, yielded in batch order: where the encoding runs (here, or on workers)
BatchRunner = Callable[[list[Batch]], Iterator[list[MessageAnalysis]]]


class AnalysisCache:
    """Analyses by content hash in a SQLite file, namespaced by the analyser's version."""

    def __init__(self, path: str | Path, version: str) -> None:
        self.path = Path(path)
        self.version = version

    def key(self, text: str, lang: str) -> str:
        return hashlib.sha256(f"{self.version}\x00{lang}\x00{text}".encode()).hexdigest()

    def get(self, keys: Sequence[str]) -> dict[str, MessageAnalysis]:
        found: dict[str, MessageAnalysis] = {}
        with closing(self._connect()) as db:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, analysis FROM analyses WHERE key IN ({marks})", chunk)
                found.update((key, MessageAnalysis.from_dict(json.loads(value))) for key, value in rows)
        return found

    def put(self, items: dict[str, MessageAnalysis]) -> dict[str, MessageAnalysis]:
        """Store the analyses; returns them as `get` will return them later (the codec rounds the
        sentiment scores), so that a cold run uses exactly what every cached run will."""
        encoded = {k: json.dumps(a.to_dict(), ensure_ascii=False) for k, a in items.items()}
        with closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO analyses VALUES (?, ?)", list(encoded.items()))
        return {k: MessageAnalysis.from_dict(json.loads(value)) for k, value in encoded.items()}

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, analysis TEXT NOT NULL)")
        return db


def analyse_messages(
    events: pd.DataFrame,
    languages: pd.Series,
    analyser: Analyser | None,
    cache: AnalysisCache,
    *,
    batch_size: int = 64,
    progress: bool = False,
    runner: BatchRunner | None = None,
) -> tuple[dict[str, MessageAnalysis], int]:
    """Analyses of every customer message by event id, and how many were newly computed (cache misses).
    `languages` maps ticket_id -> the ticket's language code. `runner` encodes the missing batches
    elsewhere (on Dask workers); the cache, and so the stored values every later run reads, stays here."""
    messages = events[events["type"] == EventType.CUSTOMER_MESSAGE.value]
    texts = messages["body"].astype("str").tolist()
    langs = languages.reindex(messages["ticket_id"]).astype("str").tolist()
    keys = [cache.key(text, lang) for text, lang in zip(texts, langs, strict=True)]
    known = cache.get(list(dict.fromkeys(keys)))
    todo = {k: (t, lg) for k, t, lg in zip(keys, texts, langs, strict=True) if k not in known}
    pending = list(todo.items())
    batches = list(_batches(pending, batch_size))
    if runner is None and analyser is None:
        raise TypeError("analyse_messages needs an analyser or a runner")
    run = runner or _runner(analyser)  # type: ignore[arg-type]
    with tqdm(total=len(pending), desc="analysing messages", unit="msg", disable=not progress) as bar:
        for batch, results in zip(batches, run(batches), strict=True):
            fresh = {key: result for (key, _), result in zip(batch, results, strict=True)}
            known.update(cache.put(fresh))  # as stored: the same values a cached run reads
            bar.update(len(batch))
    by_event = dict(zip(messages["event_id"].tolist(), (known[k] for k in keys), strict=True))
    return by_event, len(pending)


def _runner(analyser: Analyser) -> BatchRunner:
    def run(batches: list[Batch]) -> Iterator[list[MessageAnalysis]]:
        for batch in batches:
            yield analyser([t for _, (t, _) in batch], [lg for _, (_, lg) in batch])

    return run


def _batches(items: Batch, size: int) -> Iterator[Batch]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
