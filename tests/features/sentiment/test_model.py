from __future__ import annotations

import numpy as np
import pytest
from sentiment_fakes import HashEncoder

from core.errors import ConfigError
from core.text import Sentiment, SentimentLabel
from features.sentiment.head import SentimentHead
from features.sentiment.model import GAP, SentimentModel, clip, embed, encoder_text

TEXTS = ["short", "a much longer message than the others", "mid length", "x", "another one", "NA"]


def _model(batch_size: int = 2) -> tuple[SentimentModel, HashEncoder]:
    encoder = HashEncoder()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, encoder.dim))
    head = SentimentHead(encoder.name, encoder.version).fit(X, ["negative", "neutral", "positive"] * 10)
    return SentimentModel(encoder, head, batch_size=batch_size), encoder


def test_embed_batches_by_length_and_keeps_input_order() -> None:
    encoder = HashEncoder()
    seen: list[int] = []
    out = embed(encoder, TEXTS, batch_size=4, progress=seen.append)
    assert [len(b) for b in encoder.batches] == [4, 2] and seen == [4, 2]
    assert encoder.batches[0] == ["x", "NA", "short", "mid length"]  # shortest first: little padding
    np.testing.assert_array_equal(out, HashEncoder().encode(TEXTS))


def test_embed_refuses_a_zero_batch() -> None:
    with pytest.raises(ValueError, match="batch_size must be at least 1, got 0"):
        embed(HashEncoder(), TEXTS, batch_size=0)


def test_predict_returns_one_sentiment_per_text_in_order() -> None:
    model, encoder = _model(batch_size=2)
    results = model.predict(TEXTS)
    assert len(results) == len(TEXTS) and all(isinstance(r, Sentiment) for r in results)
    assert [len(b) for b in encoder.batches] == [2, 2, 2]
    for text, result in zip(TEXTS, results, strict=True):
        alone = model.predict([text])[0]
        assert alone.label == result.label
        assert alone.scores == pytest.approx(result.scores)
        assert set(result.scores) == set(SentimentLabel)
        assert sum(result.scores.values()) == pytest.approx(1.0)
        assert result.label == max(result.scores, key=lambda k: result.scores[k])


def test_whitespace_does_not_change_the_result() -> None:
    model, _ = _model()
    a, b = model.predict(["good  morning\n", " good morning"])
    assert a == b


def test_empty_input_and_json_shape() -> None:
    model, _ = _model()
    assert model.predict([]) == []
    out = model.predict(["hello"])[0].to_dict()
    assert set(out) == {"label", "scores"} and set(out["scores"]) == {"negative", "neutral", "positive"}


def test_bad_inputs_say_what_to_do() -> None:
    model, _ = _model()
    with pytest.raises(TypeError, match="wrap a single message in a list"):
        model.predict("one message")
    with pytest.raises(TypeError, match=r"item 1 is float.*keep_default_na=False"):
        model.predict(["ok", float("nan")])  # type: ignore[list-item]


def test_a_head_for_another_encoder_is_refused() -> None:
    _, encoder = _model()
    head = SentimentHead("all-MiniLM-L6-v2", "0.1.0").fit(np.eye(8)[:6], ["negative", "positive"] * 3)
    with pytest.raises(ConfigError, match=r"trained on encoder 'all-MiniLM-L6-v2'.*hash-encoder"):
        SentimentModel(encoder, head)


def test_version_names_encoder_backend_and_head() -> None:
    model, _ = _model()
    assert model.version == f"hash-encoder/HashEncoder/{model.head.version_}/own-words"


def test_clip_keeps_short_texts_and_cuts_long_ones_to_head_and_tail_at_spaces() -> None:
    assert clip("Where is my refund?", 200) == "Where is my refund?"
    words = " ".join(f"w{i:04d}" for i in range(2000))  # 11,999 characters
    clipped = clip(words, 1200)
    assert len(clipped) <= 1200
    head, tail = clipped.split(GAP)
    assert words.startswith(head) and words.endswith(tail)
    assert head.split()[-1] in words.split() and tail.split()[0] in words.split()  # no word cut in two
    assert len(head) > 550 and len(tail) > 550


def test_a_long_message_reaches_the_encoder_clipped_and_names_it_in_the_version() -> None:
    encoder = HashEncoder()
    head = SentimentHead(encoder.name, encoder.version).fit(
        np.random.default_rng(0).normal(size=(30, encoder.dim)), ["negative", "neutral", "positive"] * 10
    )
    model = SentimentModel(encoder, head, max_chars=400)
    opening, close = "I was charged twice for my order.", "I want my money back or I will sue."
    letter = " ".join([opening, *["Some details about the order and the delivery."] * 200, close])
    whole = SentimentModel(HashEncoder(), head)
    (read,) = model.preprocess([letter])
    assert len(read) <= 400 and read.startswith(opening) and read.endswith(close)
    assert model.predict([letter]) == whole.predict([read])  # what the encoder and the n-grams read
    assert model.preprocess(["Short one."]) == ["Short one."]
    assert model.version == f"{whole.version}/clip400"


def test_the_encoder_reads_the_customers_own_words_not_the_quoted_thread() -> None:
    model, encoder = _model()
    reply = "Thanks,   that fixed it!\n\nOn 3 March 2026, Sam wrote:\n> You useless lot. Money back!"
    assert model.preprocess([reply]) == ["Thanks, that fixed it!"] == [encoder_text(reply)]
    assert model.predict([reply]) == model.predict(["Thanks, that fixed it!"])
    assert ["Thanks, that fixed it!"] in encoder.batches and not any("useless" in t for b in encoder.batches
                                                                     for t in b)
