"""Message analyses on Dask workers: each worker process loads the analyser (the encoder) once and encodes
the batches it is given; the cache lookups and writes stay with the caller (training/text_cache.py), so a
cluster run stores exactly what a single-process run stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from core.errors import ConfigError
from core.text import MessageAnalysis
from training.text_cache import Batch, BatchRunner
from training.text_recipe import AnalyserRecipe

if TYPE_CHECKING:
    from distributed import Client


class DaskAnalyser:
    """A `RemoteAnalyser`: `recipe` loaded on every worker (once each), batches mapped over them."""

    def __init__(self, client: Client, recipe: AnalyserRecipe) -> None:
        self.client = client
        self.recipe = recipe.on_workers()
        versions = set(client.run(_warm, self.recipe).values())  # every worker loads it now, once
        if len(versions) != 1:
            raise ConfigError(
                f"the Dask workers load different analysers ({', '.join(sorted(versions)) or 'none'}): give "
                "every worker the same package versions, phrase files and ESCALATION_* text settings"
            )
        self._version = versions.pop()

    @property
    def version(self) -> str:
        return self._version

    @property
    def run(self) -> BatchRunner:
        def run(batches: list[Batch]) -> Iterator[list[MessageAnalysis]]:
            if not batches:
                return
            recipe = self.client.scatter(self.recipe, broadcast=True)
            futures = self.client.map(_analyse, [recipe] * len(batches), batches, pure=False)
            try:
                for future in futures:  # in batch order; the others keep running meanwhile
                    yield future.result()
            finally:
                self.client.cancel(futures)

        return run


def _warm(recipe: AnalyserRecipe) -> str:
    return recipe.load()[1]


def _analyse(recipe: AnalyserRecipe, batch: Batch) -> list[MessageAnalysis]:
    analyser, _ = recipe.load()
    return analyser([text for _, (text, _) in batch], [lang for _, (_, lang) in batch])
