"""`disagreements` and `write_disagreements` (`evaluate-text --errors`) on small labelled messages with
hand-made analyses: which part of the analysis found or dropped each signal, and a CSV a spreadsheet opens
safely."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from core.text import MessageAnalysis, Sentiment, SentimentLabel, Signal, SignalName
from training.signals.data import SIGNALS
from training.signals.evaluate import Disagreement, disagreements, write_disagreements

NEUTRAL = Sentiment(SentimentLabel.NEUTRAL, {SentimentLabel.NEGATIVE: 0.2, SentimentLabel.NEUTRAL: 0.7,
                                             SentimentLabel.POSITIVE: 0.1})


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Labelled messages as read_messages gives them: every signal column (NaN: not labelled)."""
    base = {"lang": "", "sentiment": "", **{name: 0.0 for name in SIGNALS}}
    return pd.DataFrame([{**base, **row} for row in rows])


def _signal(name: SignalName, text: str, words: str) -> Signal:
    start = text.index(words)
    return Signal(name, words, start, start + len(words))


def test_each_kind_of_disagreement_says_which_part_of_the_analysis_made_it() -> None:
    texts = [
        "I was charged twice and I will sue you",  # money taken missed; legal threat by phrases, labelled 0
        "Third time I write this week",  # repeated contact: the phrase found it, the head overruled it
        "Your app crashed, please have a look",  # the head's insult, labelled 0
        "Thanks, all good",
    ]
    frame = _frame([
        {"file": "mine.csv", "line": 2, "text": texts[0], "financial_harm": 1.0},
        {"file": "mine.csv", "line": 3, "text": texts[1], "repeated_contact": 1.0},
        {"file": "mine.csv", "line": 5, "text": texts[2]},
        {"file": "mine.csv", "line": 6, "text": texts[3]},
    ])
    legal = _signal(SignalName.LEGAL_THREAT, texts[0], "I will sue you")
    again = _signal(SignalName.REPEATED_CONTACT, texts[1], "Third time I write")
    insult = _signal(SignalName.INSULT, texts[2], "Your app crashed, please have a look")
    analyses = [MessageAnalysis("en", NEUTRAL, (legal,)), MessageAnalysis("en", NEUTRAL),
                MessageAnalysis("en", NEUTRAL, (insult,)), MessageAnalysis("en", NEUTRAL)]
    phrases = [MessageAnalysis("en", None, (legal,)), MessageAnalysis("en", None, (again,)),
               MessageAnalysis("en", None), MessageAnalysis("en", None)]

    found = disagreements(frame, analyses, phrases)

    assert [(d.line, d.what, d.kind, d.found_by, d.evidence) for d in found] == [
        (2, "legal_threat", "false alarm", "phrases", "I will sue you"),
        (2, "financial_harm", "missed", "", ""),
        (3, "repeated_contact", "missed", "phrases, overruled", ""),
        (5, "insult", "false alarm", "model", texts[2]),
    ]
    missed = Disagreement("mine.csv", 2, "en", "financial_harm", "missed", "1", "0", "", "", texts[0])
    assert found[1] == missed


def test_unlabelled_signals_and_sentiments_are_never_disagreements() -> None:
    text = "I want my money back, this is a disgrace"
    frame = _frame([{"file": "a.csv", "line": 2, "text": text, "financial_harm": np.nan, "sentiment": ""}])
    money = _signal(SignalName.FINANCIAL_HARM, text, "I want my money back")
    analysis = MessageAnalysis("en", NEUTRAL, (money,))
    assert disagreements(frame, [analysis], [analysis]) == []


def test_another_sentiment_gives_the_probabilities_and_rows_come_in_file_and_line_order() -> None:
    frame = _frame([
        {"file": "b.csv", "line": 9, "text": "Das ist eine Katastrophe", "sentiment": "negative"},
        {"file": "a.csv", "line": 4, "text": "Fint, takk", "sentiment": "positive"},
        {"file": "a.csv", "line": 3, "text": "Hvor er pakken min?", "sentiment": "neutral"},
    ])
    analyses = [MessageAnalysis(lang, NEUTRAL) for lang in ("de", "no", "no")]

    found = disagreements(frame, analyses, [MessageAnalysis(a.lang, None) for a in analyses])

    assert [(d.file, d.line, d.lang, d.labelled, d.found) for d in found] == [
        ("a.csv", 4, "no", "positive", "neutral"), ("b.csv", 9, "de", "negative", "neutral")]
    assert found[1].kind == "other sentiment" and found[1].what == "sentiment"
    assert found[1].evidence == "negative 0.20 · neutral 0.70 · positive 0.10"


def test_the_csv_opens_in_a_spreadsheet_as_text(tmp_path: Path) -> None:
    row = Disagreement("mine.csv", 7, "de", "insult", "false alarm", "0", "1", "phrases",
                       "=Idioten", "=Idioten, alle miteinander. Grüße aus Tromsø")
    out = tmp_path / "errors.csv"
    write_disagreements(out, [row])
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads the ü and the ø as UTF-8
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["file", "line", "lang", "what", "kind", "labelled", "found", "found_by", "evidence",
                       "text"]
    assert rows[1] == ["mine.csv", "7", "de", "insult", "false alarm", "0", "1", "phrases", "'=Idioten",
                       "'=Idioten, alle miteinander. Grüße aus Tromsø"]
