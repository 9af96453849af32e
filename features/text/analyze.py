"""Analyse message texts in bulk: language (detected when not given), sentiment and conflict signals.

The same `MessageAnalysis` shapes the scoring API returns. Batching lives in the sentiment model;
this module only walks the input in chunks so that memory stays flat on long files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from core.text import MessageAnalysis, Sentiment
from features.text.language import detect_language
from features.text.signals import detect_signals

Predict = Callable[[Sequence[str]], list[Sentiment]]


@dataclass(frozen=True, slots=True)
class TextRow:
    line: int  # where the row is in the input file, for error messages
    text: str
    lang: str | None  # None: detect it


def normalise_lang(lang: str | None, text: str) -> str:
    """'NO', 'nb', 'de-AT' → 'no', 'no', 'de'; blank → detected from the text."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if not code:
        return detect_language(text)
    return "no" if code in ("nb", "nn") else code


def analyze_rows(rows: Sequence[TextRow], predict: Predict) -> Iterator[MessageAnalysis | str]:
    """One result per row, in order: the analysis, or an error message naming the line."""
    texts = [r.text for r in rows if r.text.strip()]
    sentiments = iter(predict(texts)) if texts else iter(())
    for row in rows:
        if not row.text.strip():
            yield f"line {row.line}: column 'text' is empty; nothing to analyse"
            continue
        lang = normalise_lang(row.lang, row.text)
        yield MessageAnalysis(lang=lang, sentiment=next(sentiments), signals=detect_signals(row.text, lang))
