"""How well analyses agree with labelled messages: per language and signal precision, recall and F1, their
macro-F1, and sentiment macro-F1 — for any analyser, so the phrase-only baseline is measured the same way."""

from __future__ import annotations

import csv
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Literal, TypedDict

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, precision_recall_fscore_support

from core.spreadsheet import cell
from core.text import MessageAnalysis
from training.signals.data import SENTIMENTS, SIGNALS

# Macro-F1 counts the signals with at least this many labelled cases in the language (fewer say little).
MIN_CASES = 5


class SignalScore(TypedDict):
    support: int  # labelled cases
    predicted: int
    precision: float
    recall: float
    f1: float


class SentimentScore(TypedDict):
    rows: int
    macro_f1: float


class TextScores(TypedDict):
    """One language's (or all languages') figures; JSON as `evaluate-text --json` writes it."""

    rows: int
    signals: dict[str, SignalScore]  # by signal name, for the signals the data label
    signals_macro_f1: float | None  # over the signals with at least MIN_CASES cases
    signals_macro_f1_all: float | None  # over the signals with at least one case
    sentiment: SentimentScore | None


# {"phrases only" | "analysis": {"all" | lang: scores}}
Report = dict[str, dict[str, TextScores]]


def text_metrics(frame: pd.DataFrame, analyses: list[MessageAnalysis]) -> dict[str, TextScores]:
    """{"all" | lang: scores}; languages as the analyses found them."""
    langs = pd.Series([a.lang for a in analyses], index=frame.index)
    out = {"all": _one(frame, analyses)}
    for lang in sorted(langs.unique()):
        rows = (langs == lang).to_numpy()
        out[lang] = _one(frame[rows], [a for a, keep in zip(analyses, rows, strict=True) if keep])
    return out


def _one(frame: pd.DataFrame, analyses: list[MessageAnalysis]) -> TextScores:
    found = {
        name: np.array([any(s.name.value == name for s in a.signals) for a in analyses]) for name in SIGNALS
    }
    signals: dict[str, SignalScore] = {}
    for name in SIGNALS:
        labelled = frame[name].notna().to_numpy()
        if not labelled.any():
            continue
        truth = frame[name].to_numpy()[labelled].astype(int)
        p, r, f, _ = precision_recall_fscore_support(
            truth, found[name][labelled], average="binary", zero_division=0
        )
        signals[name] = {
            "support": int(truth.sum()),
            "predicted": int(found[name][labelled].sum()),
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
        }
    counted = [m["f1"] for m in signals.values() if m["support"] >= MIN_CASES]
    any_case = [m["f1"] for m in signals.values() if m["support"] >= 1]
    labelled = (frame.sentiment != "").to_numpy()
    sentiment: SentimentScore | None = None
    if labelled.any() and any(a.sentiment is not None for a in analyses):
        truth = frame.sentiment.to_numpy()[labelled]
        predicted = [
            a.sentiment.label.value if a.sentiment else ""
            for a, keep in zip(analyses, labelled, strict=True)
            if keep
        ]
        sentiment = {
            "rows": int(labelled.sum()),
            "macro_f1": round(
                float(f1_score(truth, predicted, labels=list(SENTIMENTS), average="macro", zero_division=0)),
                4,
            ),
        }
    return {
        "rows": len(frame),
        "signals": signals,
        "signals_macro_f1": round(float(np.mean(counted)), 4) if counted else None,
        "signals_macro_f1_all": round(float(np.mean(any_case)), 4) if any_case else None,
        "sentiment": sentiment,
    }


def format_report(results: Report) -> str:
    """Markdown: per language, one row per signal with each analyser's P / R / F1 side by side."""
    names = list(results)
    lines = []
    for lang in results[names[0]]:
        head = " | ".join(f"{n} P / R / F1" for n in names)
        lines += [
            "",
            f"**{lang}** ({results[names[0]][lang]['rows']:,} messages)",
            "",
            f"| signal | cases | {head} |",
            "|---|---:|" + "---:|" * len(names),
        ]
        for signal, m in results[names[0]][lang]["signals"].items():
            cells = " | ".join(_prf(results[n][lang]["signals"][signal]) for n in names)
            lines.append(f"| {signal} | {m['support']} | {cells} |")
        macro = " | ".join(_num(results[n][lang]["signals_macro_f1"]) for n in names)
        lines.append(f"| macro-F1 (signals with ≥ {MIN_CASES} cases) | | {macro} |")
        macro_all = " | ".join(_num(results[n][lang]["signals_macro_f1_all"]) for n in names)
        lines.append(f"| macro-F1 (signals with ≥ 1 case) | | {macro_all} |")
        scored = [results[n][lang]["sentiment"] for n in names]
        rows = next((s["rows"] for s in scored if s is not None), None)
        if rows is not None:
            sent = " | ".join(_num(s["macro_f1"] if s is not None else None) for s in scored)
            lines.append(f"| sentiment macro-F1 | {rows} | {sent} |")
    return "\n".join(lines)


def _prf(m: SignalScore) -> str:
    return f"{m['precision']:.2f} / {m['recall']:.2f} / {m['f1']:.2f}"


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One place where the analysis and a label part, as `evaluate-text --errors` writes it: a signal missed,
    a signal found without its label, or another sentiment."""

    file: str
    line: int  # where the message starts in its file, as an editor shows it
    lang: str  # as the analysis read it
    what: str  # a signal's name, or "sentiment"
    kind: Literal["missed", "false alarm", "other sentiment"]
    labelled: str  # "1" / "0", or the labelled sentiment
    found: str  # "1" / "0", or the analysis's sentiment
    # A false alarm: "phrases" (the phrase files alone find it) or "model" (the learned head alone). A miss:
    # "phrases, overruled" where the phrase files found it and the head's doubt dropped it, else "".
    found_by: str
    evidence: str  # the signal's evidence; the sentiment's probabilities
    text: str  # the message as analysed (white space collapsed)


def disagreements(
    frame: pd.DataFrame, analyses: list[MessageAnalysis], phrases_only: list[MessageAnalysis]
) -> list[Disagreement]:
    """Every disagreement of `analyses` with `frame`'s labels (a signal column's NaN, a blank sentiment: not
    labelled, never a disagreement), in file and line order; `phrases_only` (the same messages through the
    phrase files alone) tells which part of the analysis found or dropped a signal."""
    out: list[Disagreement] = []
    rows = zip(frame.itertuples(index=False), analyses, phrases_only, strict=True)
    for row, analysis, phrases in rows:
        text, labelled = str(row.text), str(row.sentiment)  # read_messages' columns: strings
        where = (str(row.file), int(str(row.line)), analysis.lang)
        found = {s.name.value: s for s in analysis.signals}
        matched = {s.name.value for s in phrases.signals}
        for name in SIGNALS:
            label = getattr(row, name)
            if pd.isna(label) or bool(label) == (name in found):
                continue
            if label:
                by = "phrases, overruled" if name in matched else ""
                out.append(Disagreement(*where, name, "missed", "1", "0", by, "", text))
            else:
                by = "phrases" if name in matched else "model"
                evidence = found[name].evidence
                out.append(Disagreement(*where, name, "false alarm", "0", "1", by, evidence, text))
        sentiment = analysis.sentiment
        if labelled and sentiment is not None and sentiment.label.value != labelled:
            scores = " · ".join(f"{label.value} {p:.2f}" for label, p in sentiment.scores.items())
            out.append(Disagreement(*where, "sentiment", "other sentiment", labelled,
                                    sentiment.label.value, "", scores, text))
    return sorted(out, key=lambda d: (d.file, d.line))


def write_disagreements(path: Path, rows: list[Disagreement]) -> None:
    """CSV with a header, UTF-8 with a byte-order mark (spreadsheets then read the umlauts and the ø); a cell
    that would start a formula is written as text."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(field.name for field in fields(Disagreement))
        out.writerows([cell(value) for value in astuple(row)] for row in rows)
