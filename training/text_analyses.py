"""Text analyses for training: the sentiment model (`features.sentiment`) and the conflict-signal
detector (`features.text`) over every customer message, batched, cached by content hash
(training/text_cache.py), so a retrain encodes only messages it has not seen before.

Serving analyses each message with the very same two functions; the cache only saves recomputation."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.settings import Settings
from core.text import MessageAnalysis
from features.history import TicketHistory
from training.text_cache import Analyser, AnalysisCache, analyse_messages

_UNKNOWN = {"", "nan", "none", "null", "unknown", "<na>"}


def text_analyser(settings: Settings) -> tuple[Analyser, str]:
    """(analyser, version): the configured sentiment model + signal phrases (shipped and the team's).
    The version names both, so changing either invalidates the cached analyses."""
    from features.sentiment import load_sentiment_model  # loads an encoder: only when text is wanted
    from features.text import detect_language, detect_signals
    from features.text.lexicon import expand_paths, load_lexicon, shipped_phrase_files

    model = load_sentiment_model(settings)
    extra = list(settings.text.signal_phrase_files)
    lexicon = load_lexicon(extra)
    phrases = hashlib.sha256()
    for path in shipped_phrase_files() + expand_paths(extra):
        phrases.update(path.read_bytes())
    version = f"{model.version}|signals:{phrases.hexdigest()[:16]}"

    def analyse(texts: Sequence[str], langs: Sequence[str]) -> list[MessageAnalysis]:
        found = [
            lang if lang.strip().lower() not in _UNKNOWN else detect_language(text)
            for text, lang in zip(texts, langs, strict=True)
        ]
        sentiments = model.predict(list(texts))
        return [
            MessageAnalysis(lang, sentiment, detect_signals(text, lang, lexicon=lexicon))
            for text, lang, sentiment in zip(texts, found, sentiments, strict=True)
        ]

    return analyse, version


def message_analyses(
    history: TicketHistory,
    settings: Settings,
    cache_path: Path | None = None,
    *,
    batch_size: int = 256,
    progress: bool = False,
) -> tuple[dict[str, MessageAnalysis], dict[str, Any]]:
    """Analyses of every customer message by event id, and what it cost: messages, newly computed
    (cache misses) and seconds."""
    started = time.perf_counter()
    analyser, version = text_analyser(settings)
    cache = AnalysisCache(cache_path or settings.paths.state_dir / "text-analyses.sqlite", version)
    languages = history.tickets["language"].astype("object").where(history.tickets["language"].notna(), "")
    analyses, computed = analyse_messages(
        history.events, languages.astype(str), analyser, cache, batch_size=batch_size, progress=progress
    )
    stats = {"messages": len(analyses), "computed": computed, "analyser": version,
             "seconds": round(time.perf_counter() - started, 2)}
    return analyses, stats
