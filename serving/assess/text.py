"""Text analysis of customer messages: language when the message has none, sentiment (when a
model is loaded) and conflict signals with evidence. Each message is analysed once, when it arrives, and
stored, so older messages are never analysed again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.enums import EventType
from core.text import MessageAnalysis, Sentiment, SentimentLabel, Signal, SignalName
from core.tickets import Event
from features.sentiment import SentimentModel
from features.text import detect_language, detect_signals


@dataclass(frozen=True, slots=True)
class MessageText:
    """What serving knows about one customer message. `sentiment` is None when no model was loaded."""

    lang: str
    sentiment: Sentiment | None
    signals: tuple[Signal, ...] = ()

    def analysis(self) -> MessageAnalysis | None:
        """The features' view: only messages with a sentiment count as analysed."""
        return (
            MessageAnalysis(self.lang, self.sentiment, self.signals) if self.sentiment is not None else None
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "sentiment": self.sentiment.to_dict() if self.sentiment else None,
            "signals": [s.to_dict() for s in self.signals],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MessageText:
        raw = data.get("sentiment")
        sentiment = (
            Sentiment(
                SentimentLabel(raw["label"]), {SentimentLabel(k): float(v) for k, v in raw["scores"].items()}
            )
            if raw
            else None
        )
        signals = tuple(
            Signal(SignalName(s["name"]), s["evidence"], int(s["start"]), int(s["end"]))
            for s in data.get("signals", ())
        )
        return cls(str(data["lang"]), sentiment, signals)


def message_language(event: Event, default: str) -> str:
    given = (event.model_extra or {}).get("lang") or (event.model_extra or {}).get("language")
    if isinstance(given, str) and given:
        return given
    return detect_language(event.body or "", default=default)


def analyse_messages(
    events: Sequence[Event],
    known: Mapping[str, MessageText],
    sentiment: SentimentModel | None,
    default_lang: str,
) -> dict[str, MessageText]:
    """Analyses of the customer messages in `events` not in `known` (language, sentiment, signals)."""
    new = [e for e in events if e.type is EventType.CUSTOMER_MESSAGE and e.event_id not in known and e.body]
    if not new:
        return {}
    # One message per forward pass: the int8 encoder's output moves with the padding of its batch
    # (~0.01 in probability), and a message's sentiment must not depend on which request carried it —
    # replaying events in another batch split has to give the same assessment.
    sentiments: list[Sentiment | None] = (
        [sentiment.predict([e.body or ""])[0] for e in new] if sentiment is not None else [None] * len(new)
    )
    out = {}
    for e, s in zip(new, sentiments, strict=True):
        lang = message_language(e, default_lang)
        out[e.event_id] = MessageText(lang, s, detect_signals(e.body or "", lang))
    return out
