"""`AnalysisCache`: analyses of recent message texts, so that a text seen again is not analysed (encoded)
again — the stock lines customers repeat, and every earlier message of a ticket that a client scores again
with /v1/score. Keyed by everything an analysis depends on besides the loaded models (the analyser owns
the cache, so its models are fixed): the text, its given language and the ticket's fallback language. Safe
to share because an analysis does not depend on the batch it was made in (the encoder runs one message a
call) and `MessageAnalysis` is immutable. Bounded by estimated bytes; locked, requests run in threads."""

from __future__ import annotations

import threading

from core.lru import Lru
from core.text import MessageAnalysis

Key = tuple[str, str | None, str | None]  # (text, given language, fallback language)
MB = 2**20
ANALYSIS_BYTES = 1_500  # a MessageAnalysis with its sentiment scores and a signal, besides the key's text


def _entry_bytes(item: tuple[Key, MessageAnalysis]) -> int:
    key, analysis = item
    return ANALYSIS_BYTES + 2 * len(key[0]) + sum(2 * len(s.evidence) + 200 for s in analysis.signals)


class AnalysisCache:
    def __init__(self, max_mb: float) -> None:
        self._items: Lru[Key, tuple[Key, MessageAnalysis]] = Lru(int(max_mb * MB), _entry_bytes)
        self._lock = threading.Lock()

    def get(self, key: Key) -> MessageAnalysis | None:
        with self._lock:
            item = self._items.get(key)
            return None if item is None else item[1]

    def put(self, key: Key, analysis: MessageAnalysis) -> None:
        with self._lock:
            self._items.put(key, (key, analysis))

    @property
    def lru(self) -> Lru[Key, tuple[Key, MessageAnalysis]]:
        """The held analyses, with their counts (for /metrics)."""
        return self._items
