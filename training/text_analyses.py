"""Text analyses for training: every customer message through the one analysis path that serving and
`escalation analyze-text` use too (`features.text.analysis`), batched, cached by content hash
(training/text_cache.py), so a retrain encodes only messages it has not seen before."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.settings import Settings
from core.text import MessageAnalysis
from features.history import TicketHistory
from training.text_cache import Analyser, AnalysisCache, analyse_messages


def text_analyser(settings: Settings) -> tuple[Analyser, str]:
    """(analyser, version): the one analysis path (`features.text.analysis`) with the configured sentiment
    model, signal head and phrase files. The version names all of them, so changing any invalidates the
    cached analyses."""
    from features.text.analysis import MessageIn
    from features.text.loading import load_analyser  # loads an encoder: only when text is wanted

    analyser = load_analyser(settings)

    def analyse(texts: Sequence[str], langs: Sequence[str]) -> list[MessageAnalysis]:
        # `langs` are the tickets' languages: the fallback, as in serving (events carry no language here)
        return analyser.analyse([MessageIn(t, None, lang) for t, lang in zip(texts, langs, strict=True)])

    return analyse, analyser.version


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
