from __future__ import annotations

import json

from core.text import MessageAnalysis, Sentiment, SentimentLabel, Signal, SignalName

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE


def test_polarity_is_positive_minus_negative() -> None:
    assert Sentiment(NEG, {NEG: 0.81, NEU: 0.15, POS: 0.04}).polarity == 0.04 - 0.81
    assert Sentiment(POS, {NEG: 0.0, NEU: 0.1, POS: 0.9}).polarity == 0.9


def test_analysis_serialises_to_the_documented_shape() -> None:
    analysis = MessageAnalysis(
        lang="de",
        sentiment=Sentiment(NEG, {NEG: 0.81234, NEU: 0.15, POS: 0.03766}),
        signals=(Signal(SignalName.CHURN_THREAT, "kündige ich", 41, 52),),
    )
    assert json.loads(json.dumps(analysis.to_dict())) == {
        "lang": "de",
        "sentiment": {
            "label": "negative",
            "scores": {"negative": 0.8123, "neutral": 0.15, "positive": 0.0377},
        },
        "signals": [{"name": "churn_threat", "evidence": "kündige ich", "start": 41, "end": 52}],
    }
