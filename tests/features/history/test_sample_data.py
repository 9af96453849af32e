"""The committed sample history (data/sample/) meets the format it documents."""

from __future__ import annotations

from core.settings import get_settings
from features.history import load_history
from features.history.summary import summarize


def test_the_sample_history_validates() -> None:
    sample = get_settings().paths.sample_dir
    history = load_history(sample)  # raises DataValidationError listing every problem
    assert len(history.tickets) > 0 and len(history.events) > 0
    assert set(history.tickets["language"]) >= {"en", "de", "no"}
    figures = summarize(history)
    rate = figures.escalation.rate
    assert rate is not None and 0.12 <= rate <= 0.20  # the range data/sample/README.md states
    assert set(history.tickets["channel"]) == {"email", "web", "phone", "chat", "twitter", "facebook"}
    assert history.source.events_files and history.source.events_files[0].endswith("events.jsonl.gz")
