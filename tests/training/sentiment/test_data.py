from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from training.sentiment.data import LabelledDataError, fingerprint, read_labelled, stratified_split


def _csv(tmp_path: Path, text: str, name: str = "labels.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_and_normalises(tmp_path: Path) -> None:
    text = 'text,sentiment,lang\n"Great,  thanks!",Positive ,EN\nNA,neutral,de\nnull,negative,no\n'
    path = _csv(tmp_path, text)
    frame = read_labelled([path])
    assert frame.text.tolist() == ["Great, thanks!", "NA", "null"]  # "NA" and "null" stay text
    assert frame.sentiment.tolist() == ["positive", "neutral", "negative"]
    assert frame.lang.tolist() == ["en", "de", "no"] and set(frame.file) == {"labels.csv"}


def test_lang_column_is_optional(tmp_path: Path) -> None:
    frame = read_labelled([_csv(tmp_path, "sentiment,text\npositive,fine\n")])
    assert frame.lang.tolist() == ["und"]


def test_every_bad_row_is_named_with_line_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, "text,sentiment,lang\nok,positive,en\nhmm,angry,en\n,negative,en\nfine,neutral,\n")
    with pytest.raises(LabelledDataError) as caught:
        read_labelled([path])
    message = str(caught.value)
    assert "3 problem(s) in the labelled messages" in message
    assert f"{path}:3 [sentiment]: unknown label; use one of negative, neutral, positive (got 'angry')" \
        in message
    assert f"{path}:4 [text]: empty text; drop the row" in message
    assert f"{path}:5 [lang]: empty language" in message


def test_a_message_over_several_lines_moves_the_lines_of_the_rows_after_it(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'text,sentiment,lang\n"Hello,\n\nmy order is late",negative,en\n\nhmm,angry,en\n')
    with pytest.raises(LabelledDataError) as caught:
        read_labelled([path])
    assert f"{path}:6 [sentiment]: unknown label" in str(caught.value)


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "message,label\nhello,positive\n")
    with pytest.raises(LabelledDataError, match=r"missing column 'text' \(found: message, label\)"):
        read_labelled([path])


def test_empty_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(LabelledDataError, match="not a readable UTF-8 CSV"):
        read_labelled([_csv(tmp_path, "")])


def test_split_is_stratified_per_language_and_label_and_seeded() -> None:
    frame = pd.DataFrame({
        "text": [f"t{i}" for i in range(100)],
        "sentiment": ["negative"] * 50 + ["positive"] * 30 + ["neutral"] * 20,
        "lang": ["en", "de"] * 50,
    })
    train, test = stratified_split(frame, 0.2, seed=1)
    assert len(train) + len(test) == 100 and not set(train.text) & set(test.text)
    counts = test.groupby(["lang", "sentiment"]).size().to_dict()
    assert counts == {("de", "negative"): 5, ("de", "neutral"): 2, ("de", "positive"): 3,
                      ("en", "negative"): 5, ("en", "neutral"): 2, ("en", "positive"): 3}
    again, _ = stratified_split(frame, 0.2, seed=1)
    other, _ = stratified_split(frame, 0.2, seed=2)
    assert train.text.tolist() == again.text.tolist() and train.text.tolist() != other.text.tolist()
    with pytest.raises(ValueError, match="between 0 and 1"):
        stratified_split(frame, 1.0, seed=1)


def test_fingerprint_holds_counts_not_texts(tmp_path: Path) -> None:
    path = _csv(tmp_path, "text,sentiment\nsecret words,positive\n")
    (entry,) = fingerprint([path], read_labelled([path]))
    assert entry["rows"] == 1 and entry["labels"]["positive"] == 1 and len(entry["sha256"]) == 64
    assert "secret" not in str(entry)


def test_cap_per_language_is_stratified_and_seeded() -> None:
    from training.sentiment.data import cap_per_language

    frame = pd.DataFrame({
        "text": [f"t{i}" for i in range(300)],
        "sentiment": (["negative"] * 100 + ["neutral"] * 50) * 2,
        "lang": ["en"] * 150 + ["de"] * 150,
    })
    capped = cap_per_language(frame, 30, seed=4)
    assert capped.groupby(["lang", "sentiment"]).size().to_dict() == {
        ("de", "negative"): 20, ("de", "neutral"): 10, ("en", "negative"): 20, ("en", "neutral"): 10}
    assert capped.text.tolist() == cap_per_language(frame, 30, seed=4).text.tolist()
    assert cap_per_language(frame, None, seed=4) is frame


def test_a_lang_the_analysis_does_not_know_is_named_with_its_line_and_the_codes(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'text,sentiment,lang\n"Hi,\nthanks",positive,english\nok,neutral,NB\n'
                          "ja,neutral,de-AT\nfine,negative,xx\nhm,neutral,und\n")
    with pytest.raises(LabelledDataError) as caught:
        read_labelled([path])
    message = str(caught.value)
    assert "2 problem(s)" in message
    assert f"{path}:2 [lang]: lang 'english' is not a language the analysis knows; use one of de, en, no" \
        in message
    assert f"{path}:6 [lang]: lang 'xx' is not a language" in message
