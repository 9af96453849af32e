"""Build the configured message analyser: the phrase lexicon (shipped + the team's files), the sentiment
model, and the signal head packaged for its encoder. Loaded once (at start-up, or when training begins)."""

from __future__ import annotations

from pathlib import Path

from core.errors import ConfigError
from core.settings import Settings, get_settings
from features.text.analysis import MessageAnalyser
from features.text.lexicon import load_lexicon
from features.text.signal_head import SignalHead, load_signal_head

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
# The signal head committed for each encoder (the learned signals need the encoder's embedding).
PACKAGED_SIGNAL_HEADS: dict[str, Path] = {
    "multilingual-e5-small-q4": ASSETS_DIR / "signal-head-e5.json",
    "multilingual-e5-small-q4-tuned": ASSETS_DIR / "signal-head-e5-tuned.json",
}


def load_signal_head_for(encoder_name: str, settings: Settings) -> SignalHead | None:
    """The configured head, or the packaged one for `encoder_name`; None when learned signals are off or
    no head is packaged for that encoder (its signals then come from the phrase files alone)."""
    config = settings.text
    if not config.learned_signals:
        return None
    if config.signal_head_path is not None:
        head = load_signal_head(config.signal_head_path)
        if head.encoder_name != encoder_name:
            raise ConfigError(
                f"the signal head {config.signal_head_path} was trained on encoder {head.encoder_name!r}, "
                f"but the sentiment backend runs {encoder_name!r}; train one for it with "
                "`escalation train-signals`"
            )
        return head
    path = PACKAGED_SIGNAL_HEADS.get(encoder_name)
    return load_signal_head(path) if path is not None and path.is_file() else None


def load_analyser(
    settings: Settings | None = None, *, sentiment: bool = True, cache: bool = False
) -> MessageAnalyser:
    """Lexicon + (when `sentiment`) the sentiment model and the signal head for its encoder. `cache`: keep
    recent texts' analyses (settings.text.analysis_cache_mb; serving's, where texts come again)."""
    from features.sentiment import load_sentiment_model  # loads an encoder: only when asked for

    settings = settings or get_settings()
    lexicon = load_lexicon(list(settings.text.signal_phrase_files))
    cache_mb = settings.text.analysis_cache_mb if cache else 0.0
    if not sentiment:
        return MessageAnalyser(lexicon, cache_mb=cache_mb)
    model = load_sentiment_model(settings)
    return MessageAnalyser(lexicon, model, load_signal_head_for(model.encoder.name, settings), cache_mb)
