"""Text analyses for training: every customer message through the one analysis path that serving and
`escalation analyze-text` use too (`features.text.analysis`), batched, cached by content hash
(training/text_cache.py), so a retrain encodes only messages it has not seen before. The encoding runs
here, or on Dask workers (training/dask_text.py) with the cache still kept here."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from core.errors import ConfigError
from core.settings import Settings
from core.text import MessageAnalysis
from features.history import TicketHistory
from training.text_cache import Analyser, AnalysisCache, BatchRunner, analyse_messages
from training.text_recipe import load_analysis_path


@dataclass(frozen=True, slots=True)
class TextStats:
    """What analysing a history's messages cost: messages analysed, newly computed (cache misses), the
    analyser's version and seconds (the training report's `text`)."""

    messages: int
    computed: int
    analyser: str
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"messages": self.messages, "computed": self.computed, "analyser": self.analyser,
                "seconds": self.seconds}


def default_text_cache(settings: Settings) -> Path:
    """The analysis cache where no --text-cache names one: in the state folder."""
    return settings.paths.state_dir / "text-analyses.sqlite"


class RemoteAnalyser(Protocol):
    """An analyser that runs elsewhere: its version (the cache namespace) and a batch runner."""

    @property
    def version(self) -> str: ...

    @property
    def run(self) -> BatchRunner: ...


def refuse_no_text(trained_with_text: list[str]) -> None:
    """`--no-text` with models (named) trained on the text analyses: scored without them, their text features
    are missing, and the figures those of no model anyone serves. A model trained --no-text never split on
    the text columns, so scoring it with or without them is the same."""
    if trained_with_text:
        was = "was" if len(trained_with_text) == 1 else "were"
        its = "its" if len(trained_with_text) == 1 else "their"
        raise ConfigError(
            f"--no-text: {' and '.join(trained_with_text)} {was} trained on the text analyses; without them "
            f"{its} text features are missing and the figures are not those of the model served: leave "
            "--no-text out"
        )


def text_analyser(settings: Settings) -> tuple[Analyser, str]:
    """(analyser, version): the one analysis path (`features.text.analysis`) with the configured sentiment
    model, signal head and phrase files. The version names all of them, so changing any invalidates the
    cached analyses."""
    return load_analysis_path(settings, sentiment=True)


def message_analyses(
    history: TicketHistory,
    settings: Settings,
    cache_path: Path | None = None,
    *,
    batch_size: int = 256,
    progress: bool = False,
    remote: RemoteAnalyser | None = None,
) -> tuple[dict[str, MessageAnalysis], TextStats]:
    """Analyses of every customer message by event id, and what it cost: messages, newly computed
    (cache misses) and seconds. `remote`: encode the cache misses there (Dask workers) instead."""
    started = time.perf_counter()
    analyser: Analyser | None = None
    if remote is None:
        analyser, version = text_analyser(settings)
    else:
        version = remote.version
    cache = AnalysisCache(cache_path or default_text_cache(settings), version)
    languages = history.tickets["language"].astype("object").where(history.tickets["language"].notna(), "")
    analyses, computed = analyse_messages(
        history.events, languages.astype(str), analyser, cache, batch_size=batch_size, progress=progress,
        runner=remote.run if remote is not None else None,
    )
    return analyses, TextStats(len(analyses), computed, version, round(time.perf_counter() - started, 2))
