"""Two readings of the same messages: per-signal F1 and kappa of the second against the first, paired by text,
and the macro-F1 counted as `evaluate-text` counts a model's."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.sentiment.data import LabelledDataError
from training.signals.agreement import agreement


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_readers_are_compared_per_signal_on_the_messages_both_read(tmp_path: Path) -> None:
    header = "text,insult,urgency,legal_threat"
    insults = [f'"you useless lot, order {i}",1,0,0' for i in range(6)]
    first = _write(tmp_path / "a.csv", header, [
        *insults,
        '"need it today, flight at 4",0,1,0',
        '"where is my parcel",0,0,0',
        '"only the first reader saw this one",1,0,0',
    ])
    second = _write(tmp_path / "b.csv", header, [
        *insults[:5],
        '"you useless lot, order 5",0,0,0',  # the second reader disagrees once
        '"need  it today,   flight at 4",0,1,0',  # spacing differs: still the same message
        '"where is my parcel",1,0,0',
    ])
    result = agreement(first, second)
    assert (result.paired, result.unpaired) == (8, 1)
    by_name = {s.signal: s for s in result.signals}
    assert set(by_name) == {"insult", "urgency", "legal_threat"}
    insult = by_name["insult"]
    assert (insult.first, insult.second) == (6, 6)
    assert insult.f1 == pytest.approx(2 * 5 / 12)
    assert by_name["urgency"].f1 == 1.0
    assert by_name["legal_threat"].f1 is None and by_name["legal_threat"].kappa == 1.0
    # only insult has 5 or more cases for the first reader
    assert result.macro_f1 == pytest.approx(insult.f1)


def test_a_bad_row_in_either_reading_is_named(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.csv", "text,insult", ['"fine",0'])
    second = _write(tmp_path / "b.csv", "text,insult", ['"fine",yes'])
    with pytest.raises(LabelledDataError, match=r"b\.csv:2 \[insult\]"):
        agreement(first, second)
