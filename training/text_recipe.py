"""How to load the message analyser, as a small picklable value: what a Dask worker receives instead of
an encoder. Each worker process loads the analyser once (the first batch it is given) and keeps it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.settings import Settings
from core.text import MessageAnalysis
from training.text_cache import Analyser

# recipe key -> (analyser, version), in each worker process: the encoder is loaded once per process
_LOADED: dict[str, tuple[Analyser, str]] = {}


@dataclass(frozen=True)
class AnalyserRecipe:
    """The configured analysis path (`features.text.analysis`): `sentiment` False runs the phrase lexicon
    alone (no encoder; its own version, so its analyses are cached apart)."""

    settings: Settings
    sentiment: bool = True

    @property
    def key(self) -> str:
        text = f"{self.sentiment}\x00{self.settings.model_dump_json()}"
        return hashlib.sha256(text.encode()).hexdigest()

    def on_workers(self) -> AnalyserRecipe:
        """This recipe as a Dask worker runs it: one encoder thread a task unless the settings give a
        number. A worker runs one task per thread it has, so an encoder left to take every core (ONNX
        Runtime's default) would have each of N workers' sessions spin on all of them: on 2 cores, 2 workers
        encoded at 0.81x the rate of one (measured; docs/scale-out.md). The embeddings do not depend on it."""
        if self.settings.sentiment.num_threads is not None:
            return self
        sentiment = self.settings.sentiment.model_copy(update={"num_threads": 1})
        return replace(self, settings=self.settings.model_copy(update={"sentiment": sentiment}))

    def load(self) -> tuple[Analyser, str]:
        """(analyser, version): loaded on first use in this process, then reused."""
        found = _LOADED.get(self.key)
        if found is None:
            found = _LOADED[self.key] = load_analysis_path(self.settings, self.sentiment)
        return found


def load_analysis_path(settings: Settings, sentiment: bool) -> tuple[Analyser, str]:
    from features.text.analysis import MessageIn
    from features.text.loading import load_analyser  # loads an encoder: only when text is wanted

    analyser = load_analyser(settings, sentiment=sentiment)

    def analyse(texts: Sequence[str], langs: Sequence[str]) -> list[MessageAnalysis]:
        # `langs` are the tickets' languages: the fallback, as in serving (events carry no language here)
        return analyser.analyse([MessageIn(t, None, lang) for t, lang in zip(texts, langs, strict=True)])

    return analyse, analyser.version
