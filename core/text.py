"""What text analysis returns for one message: its sentiment and the conflict signals found, with
evidence. The same shapes go into features, the scoring API and `escalation analyze-text`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class SentimentLabel(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class SignalName(StrEnum):
    """Signs of conflict that call for early escalation (support-team vocabulary)."""

    MANAGER_REQUEST = "manager_request"  # demand for a manager / supervisor
    CHURN_THREAT = "churn_threat"  # cancel, switch provider
    LEGAL_THREAT = "legal_threat"  # lawyer, court, consumer protection
    PUBLIC_THREAT = "public_threat"  # bad review, social media, press
    INSULT = "insult"  # insults, offensive language
    SHOUTING = "shouting"  # caps, repeated !
    REPEATED_CONTACT = "repeated_contact"  # "third time I write"
    FINANCIAL_HARM = "financial_harm"  # "payment failed", "charged twice"
    URGENCY = "urgency"  # production down, deadline


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: SentimentLabel
    scores: dict[SentimentLabel, float]  # probabilities over the three labels, summing to 1

    @property
    def polarity(self) -> float:
        """positive minus negative probability, in [-1, 1]: one number for trends and features."""
        return self.scores[SentimentLabel.POSITIVE] - self.scores[SentimentLabel.NEGATIVE]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label.value, "scores": {k.value: round(v, 4) for k, v in self.scores.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Sentiment:
        scores = {SentimentLabel(k): float(v) for k, v in data["scores"].items()}
        return cls(SentimentLabel(data["label"]), scores)


@dataclass(frozen=True, slots=True)
class Signal:
    name: SignalName
    evidence: str  # the matched words, exactly as written
    start: int  # character span of the evidence in the analysed text
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name.value, "evidence": self.evidence, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Signal:
        return cls(SignalName(data["name"]), str(data["evidence"]), int(data["start"]), int(data["end"]))


@dataclass(frozen=True, slots=True)
class MessageAnalysis:
    """Everything text analysis says about one message; features read it by event id. `sentiment` is None
    where no sentiment model was loaded (the signals then come from the phrase files alone)."""

    lang: str
    sentiment: Sentiment | None
    signals: tuple[Signal, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "sentiment": self.sentiment.to_dict() if self.sentiment is not None else None,
            "signals": [s.to_dict() for s in self.signals],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MessageAnalysis:
        """The inverse of `to_dict` (for analyses this project stored: the store, the training cache)."""
        raw = data.get("sentiment")
        return cls(str(data["lang"]), Sentiment.from_dict(raw) if raw else None,
                   tuple(Signal.from_dict(s) for s in data.get("signals", ())))
