from __future__ import annotations

from collections.abc import Sequence

from core.text import MessageAnalysis, Sentiment, SentimentLabel, SignalName
from features.text.analyze import TextRow, analyze_rows, normalise_lang

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE


class CountingPredict:
    """Stands in for the encoder + head to check batching and ordering; the real model is
    exercised end to end in test_cli.py."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> list[Sentiment]:
        self.calls.append(list(texts))
        label = [NEG if "!" in t else POS for t in texts]
        return [Sentiment(lab, {NEG: float(lab is NEG), NEU: 0.0, POS: float(lab is POS)}) for lab in label]


def test_results_keep_input_order_with_one_batched_call() -> None:
    rows = [
        TextRow(2, "Ich kündige meinen Vertrag, das ist jetzt das dritte Mal!", "de"),
        TextRow(3, "Takk for rask hjelp, alt fungerer nå.", None),
        TextRow(4, "   ", "en"),
        TextRow(5, "I want to speak to your manager!", "EN"),
    ]
    predict = CountingPredict()
    results = list(analyze_rows(rows, predict))
    assert len(predict.calls) == 1 and len(predict.calls[0]) == 3  # blank text is not sent
    first, second, blank, last = results
    assert isinstance(first, MessageAnalysis) and first.lang == "de"
    assert first.sentiment.label is NEG
    assert {s.name for s in first.signals} >= {SignalName.CHURN_THREAT}
    assert isinstance(second, MessageAnalysis) and second.lang == "no" and second.sentiment.label is POS
    assert blank == "line 4: column 'text' is empty; nothing to analyse"
    assert isinstance(last, MessageAnalysis) and last.lang == "en"
    assert [s.name for s in last.signals if s.name is SignalName.MANAGER_REQUEST]


def test_language_codes_are_normalised_or_detected() -> None:
    assert normalise_lang("NO", "x") == "no"
    assert normalise_lang("nb", "x") == "no"
    assert normalise_lang("de_AT", "x") == "de"
    assert normalise_lang("", "Die Rechnung ist falsch und niemand antwortet mir.") == "de"
    assert normalise_lang(None, "The invoice is wrong and nobody answers me.") == "en"
