"""Labels kept without their texts: made from labelled messages, joined back to a copy of the source by its
row id, every text checked against its hash, and every mismatch named by line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from training.sentiment.data import LabelledDataError
from training.signals.cli import attach_texts_command
from training.signals.data import SIGNALS, read_messages
from training.signals.labels import attach_texts, strip_texts, text_digest

SOURCE = [
    ("tweets.csv:row1", "@airline  charged me twice for one bag, I want my money back", "negative", "en"),
    ("tweets.csv:row2", "@airline thanks, lovely crew today", "positive", "en"),
    ("tweets.csv:row3", "@airline third time I DM you, still no answer", "negative", "en"),
]


def _source(path: Path) -> Path:
    pd.DataFrame(SOURCE, columns=["source_id", "text", "sentiment", "lang"]).to_csv(path, index=False)
    return path


def _labelled(path: Path) -> Path:
    rows = []
    for _, text, sentiment, lang in SOURCE:
        row = {"text": text, "sentiment": sentiment, "lang": lang, **{s: 0 for s in SIGNALS}}
        row["financial_harm"] = int("charged" in text)
        row["repeated_contact"] = int("third time" in text)
        rows.append(row)
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_labels_leave_without_texts_and_come_back_to_the_same_messages(tmp_path: Path) -> None:
    labelled = _labelled(tmp_path / "labelled.csv")
    labels = strip_texts(labelled, pd.Series([s for s, *_ in SOURCE]))
    assert list(labels.columns) == ["source_id", "text_sha256", *SIGNALS]
    assert not any(text in labels.to_csv() for _, text, *_ in SOURCE)  # no text in the labels file
    labels.to_csv(tmp_path / "labels.csv", index=False)

    out = tmp_path / "joined.csv"
    source = _source(tmp_path / "source.csv")
    args = [str(tmp_path / "labels.csv"), "--source", str(source), "--out", str(out)]
    result = CliRunner().invoke(attach_texts_command, args)
    assert result.exit_code == 0, result.output
    again, before = read_messages([out]), read_messages([labelled])
    pd.testing.assert_frame_equal(again[["text", "lang", "sentiment", *SIGNALS]],
                                  before[["text", "lang", "sentiment", *SIGNALS]])
    assert again.financial_harm.tolist() == [1.0, 0.0, 0.0]


def test_a_missing_id_an_edited_text_and_a_bad_label_are_each_named(tmp_path: Path) -> None:
    rows = [{"source_id": sid, "text_sha256": text_digest(text), **{s: "0" for s in SIGNALS}}
            for sid, text, *_ in SOURCE]
    rows[0]["source_id"] = "tweets.csv:row9"
    rows[1]["text_sha256"] = text_digest("another version of the tweet")
    rows[2]["insult"] = "yes"
    pd.DataFrame(rows).to_csv(tmp_path / "labels.csv", index=False)
    with pytest.raises(LabelledDataError) as caught:
        attach_texts(tmp_path / "labels.csv", [_source(tmp_path / "source.csv")])
    text = str(caught.value)
    assert "labels.csv:2 [source_id]: no row with this source_id in the sources" in text
    assert "(got 'tweets.csv:row9')" in text
    assert "labels.csv:3 [text_sha256]: the source's text for this id does not match the hash" in text
    assert "labels.csv:4 [insult]: a signal is 0 or 1 (got 'yes')" in text


def test_stripping_needs_one_source_id_a_message(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2 source ids for the 3 messages"):
        strip_texts(_labelled(tmp_path / "labelled.csv"), pd.Series(["a", "b"]))


def test_whitespace_does_not_change_a_texts_hash() -> None:
    assert text_digest("charged  me\ntwice ") == text_digest("charged me twice")
    assert text_digest("charged me twice") != text_digest("charged me once")
