"""Language of a message that arrives without one, by py3langid (its model ships in the wheel, so it works
offline; chosen by measurement, see docs/signals.md). Returns ISO 639-1 codes; Norwegian Bokmål and
Nynorsk are both 'no'."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Our languages plus the neighbours a short message is most often mistaken for. Danish is left out on
# purpose: with it, 3% of short Norwegian messages came back Danish; without it, none did (docs/signals.md).
CANDIDATES = ("en", "de", "no", "nn", "sv", "nl")
_OURS = {"nn": "no", "nb": "no"}
_SUPPORTED = frozenset({"en", "de", "no", "nn"})
# A neighbour must be this sure to win over our best language: very short messages ("Still broken.
# Any update?") otherwise come back Swedish now and then (measured: 71 → 73 of 75 very short messages).
NEIGHBOUR_MIN_PROBABILITY = 0.9


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """Loaded on first use (about a second: the model is unpacked), not at import."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of `text`'s language among CANDIDATES; `default` when the text has no letters."""
    if not any(ch.isalpha() for ch in text):
        return default
    ranked: list[tuple[str, float]] = _identifier().rank(text)
    code, probability = ranked[0]
    if code not in _SUPPORTED and probability < NEIGHBOUR_MIN_PROBABILITY:
        code = next(c for c, _ in ranked if c in _SUPPORTED)
    return _OURS.get(code, code)
