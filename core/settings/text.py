"""Text signals: team phrase files, the learned signal head, the analysis cache."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from core.settings.section import CACHE_MB_MAX, Section


class TextSettings(Section):
    # Team phrase files (or folders of *.yaml) that extend the shipped conflict-signal phrases;
    # format in docs/signals.md. Env: ESCALATION_TEXT__SIGNAL_PHRASE_FILES='["/path/team.yaml"]'.
    signal_phrase_files: list[Path] = Field(default=[])
    # The learned signal head over the sentiment encoder's embedding (docs/signals.md); None: the packaged
    # one for the configured encoder. `learned_signals = False` keeps the phrase files alone.
    signal_head_path: Path | None = None
    learned_signals: bool = True
    # Analyses of recent message texts kept in memory (estimated MB per process), keyed by the text and its
    # language: a text seen again ("Any update?", a ticket scored again with /v1/score) is not encoded again.
    # 0: none kept.
    analysis_cache_mb: float = Field(default=16.0, ge=0, le=CACHE_MB_MAX)
