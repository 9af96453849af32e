"""The heads are trained on what serving reads of a message (features.sentiment.encoder_text): the
customer's own words, whitespace collapsed — not the quoted thread below a reply."""

from __future__ import annotations

import pandas as pd

from core.text import SignalName
from features.text.lexicon import load_lexicon
from features.text.signal_head import LEARNED
from tests.features.sentiment.sentiment_fakes import HashEncoder
from training.sentiment.cache import PROBE
from training.sentiment.train import fit_head
from training.signals.train import fit_signal_head

QUOTED = "\n\nOn 3 March 2026, Sam wrote:\n> You useless lot, I want my money back!"
REPLIES = ["Thanks,  that fixed it!", "Still   broken, please call me.", "Where is my parcel?",
           "Great service, thank you.", "The app crashes on start.", "Awful, nobody answers."] * 20


def _embedded(encoder: HashEncoder) -> set[str]:
    return {t for batch in encoder.batches if batch != [PROBE] for t in batch}


def test_the_sentiment_head_is_trained_on_the_customers_own_words() -> None:
    labels = ["positive", "negative", "neutral", "positive", "negative", "negative"] * 20
    frame = pd.DataFrame({"text": [r + QUOTED for r in REPLIES], "sentiment": labels, "lang": "en"})
    encoder = HashEncoder()
    fit_head(frame, encoder, "fake", C=1.0, seed=0, batch_size=8)
    assert _embedded(encoder) == {" ".join(r.split()) for r in REPLIES}


def test_the_signal_head_is_trained_on_the_customers_own_words() -> None:
    rows = {name.value: [i % 2 for i in range(len(REPLIES))] for name in LEARNED}
    rows[SignalName.SHOUTING.value] = [0] * len(REPLIES)
    frame = pd.DataFrame({"text": [r + QUOTED for r in REPLIES], "lang": "en", **rows})
    encoder = HashEncoder()
    fit_signal_head(frame, encoder, "fake", load_lexicon(), C=1.0, seed=0, batch_size=8)
    assert _embedded(encoder) == {" ".join(r.split()) for r in REPLIES}
