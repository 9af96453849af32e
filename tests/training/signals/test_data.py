"""Labelled messages for signals: every bad row named, and a held-out split that depends on the texts only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from training.sentiment.data import LabelledDataError
from training.signals.data import read_messages, split_holdout

HEADER = (
    "text,lang,sentiment,manager_request,churn_threat,legal_threat,public_threat,insult,shouting,"
    "repeated_contact,financial_harm,urgency"
)


def _row(text: str, sentiment: str = "neutral", **signals: int) -> str:
    names = HEADER.split(",")[3:]
    return ",".join([f'"{text}"', "en", sentiment, *(str(signals.get(n, 0)) for n in names)])


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_every_bad_row_is_named(tmp_path: Path) -> None:
    data = _write(
        tmp_path / "m.csv",
        [_row("fine"), _row("", "neutral"), _row("bad", "angry"), _row("odd").replace(",0,0,0", ",2,0,0", 1)],
    )
    with pytest.raises(LabelledDataError) as caught:
        read_messages([data])
    text = str(caught.value)
    assert f"{data}:3 [text]: empty text" in text
    assert f"{data}:4 [sentiment]: unknown label" in text and "angry" in text
    assert f"{data}:5 [manager_request]: a signal is 0 or 1 (got '2')" in text


def test_lines_are_the_lines_an_editor_shows(tmp_path: Path) -> None:
    data = _write(tmp_path / "m.csv", [_row("Hi,\nwhere is my refund?"), _row("", "neutral"),
                                       _row("odd").replace(",0,0,0", ",2,0,0", 1), _row("bad", "angry")])
    with pytest.raises(LabelledDataError) as caught:
        read_messages([data])
    text = str(caught.value)
    assert f"{data}:4 [text]: empty text" in text
    assert f"{data}:5 [manager_request]: a signal is 0 or 1 (got '2')" in text
    assert f"{data}:6 [sentiment]: unknown label" in text


def test_a_lang_the_analysis_does_not_know_is_named_and_blank_is_detected(tmp_path: Path) -> None:
    rows = [_row("fine"), _row("ok").replace(",en,", ",,", 1), _row("hei").replace(",en,", ",nb,", 1),
            _row("Hi,\nthere").replace(",en,", ",english,", 1)]
    data = _write(tmp_path / "m.csv", rows)
    with pytest.raises(LabelledDataError) as caught:
        read_messages([data])
    text = str(caught.value)
    assert "1 problem(s)" in text
    assert f"{data}:5 [lang]: lang 'english' is not a language the analysis knows; use one of de, en, no" \
        in text
    assert read_messages([_write(tmp_path / "ok.csv", rows[:3])]).lang.tolist() == ["en", "", "nb"]


def test_a_file_without_text_names_the_columns_it_has(tmp_path: Path) -> None:
    bad = tmp_path / "b.csv"
    bad.write_text("message,sentiment\nhi,neutral\n", encoding="utf-8")
    with pytest.raises(LabelledDataError, match="missing column 'text' \\(found: message, sentiment\\)"):
        read_messages([bad])


def test_signal_columns_a_file_lacks_are_unknown_not_zero(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("text,sentiment\nhello,neutral\n", encoding="utf-8")
    frame = read_messages([path])
    assert frame["insult"].isna().all() and frame.lang.iat[0] == ""


def test_the_split_is_stratified_stable_and_keeps_held_out_texts_out_of_training(tmp_path: Path) -> None:
    rows = [_row(f"charged twice {i}", "negative", financial_harm=1) for i in range(20)]
    rows += [_row(f"question {i}") for i in range(80)]
    first = _write(tmp_path / "a.csv", rows)
    again = _write(tmp_path / "b.csv", list(reversed(rows)))  # another file, other order, same texts
    train, test = split_holdout(read_messages([first]), 0.25)
    assert len(test) == 25 and int(test.financial_harm.sum()) == 5  # a quarter of each stratum
    both_train, both_test = split_holdout(read_messages([first, again]), 0.25)
    assert set(both_test.text) == set(test.text)  # decided by the text, not its file or position
    assert not set(both_train.text) & set(both_test.text)
    assert isinstance(train, pd.DataFrame) and len(train) == 75
