"""Read labelled messages (CSV `text,sentiment[,lang]`), check every row, and split them for evaluation.

Problems name the file, the line (the header is line 1) and the column; all of them are reported at once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.errors import DataValidationError, Problem
from core.text import SentimentLabel
from features.history.csv_lines import csv_line_numbers
from features.text.analysis import language_problem
from features.text.lexicon import default_lexicon, normalise_language

LABELS = tuple(label.value for label in SentimentLabel)
REQUIRED = ("text", "sentiment")
UNKNOWN_LANG = "und"  # BCP 47 "undetermined": rows of a file without a lang column


class LabelledDataError(DataValidationError):
    def __init__(self, problems: list[Problem], *, max_shown: int = 20) -> None:
        super().__init__(problems, max_shown=max_shown)
        shown = "\n".join(f"  {p}" for p in problems[:max_shown])
        more = f"\n  … and {len(problems) - max_shown} more" if len(problems) > max_shown else ""
        self.args = (f"{len(problems)} problem(s) in the labelled messages:\n{shown}{more}",)


def read_labelled(paths: list[Path]) -> pd.DataFrame:
    """One frame with columns text, sentiment, lang, file; raises LabelledDataError listing every bad row."""
    return read_all(paths, _read_one)


def read_all(
    paths: list[Path], read_one: Callable[[Path, pd.DataFrame], tuple[pd.DataFrame, list[Problem]]]
) -> pd.DataFrame:
    """`read_one(path, raw)` over every file's raw CSV (strings); every problem of every file at once."""
    frames, problems = [], []
    for path in paths:
        try:
            # keep_default_na=False: a message that says "NA" or "null" is text, not a missing value.
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), f"not a readable UTF-8 CSV: {exc}"))
            continue
        frame, found = read_one(path, raw)
        problems += found
        frames.append(frame)
    if problems:
        raise LabelledDataError(problems)
    return pd.concat(frames, ignore_index=True)


def row_lines(path: Path, raw: pd.DataFrame) -> list[int]:
    """The line an editor shows for each row of `raw` as read_all read it: a message with line breaks (quoted)
    spans several lines, and blank lines are skipped."""
    starts, _ = csv_line_numbers(path, len(raw.columns))
    return starts if len(starts) == len(raw) else list(range(2, len(raw) + 2))


def lang_problems(path: Path, raw: pd.DataFrame, lines: list[int]) -> list[Problem]:
    """Each row whose `lang` the analysis has no phrases for ('english', 'xx'): it would be analysed with
    every language's phrases. A blank `lang` is detected from the text, as in `analyze-text`."""
    if "lang" not in raw.columns:
        return []
    known = [normalise_language(lang) for lang in default_lexicon().languages]
    found = ((i, language_problem(lang, known)) for i, lang in enumerate(raw["lang"]))
    return [Problem(str(path), problem, row=lines[i], column="lang") for i, problem in found if problem]


def _read_one(path: Path, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    name = str(path)
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        found = ", ".join(map(str, raw.columns)) or "none"
        return pd.DataFrame(), [
            Problem(name, f"missing column {c!r} (found: {found}); the columns are text,sentiment[,lang]",
                    row=1, column=c)
            for c in missing
        ]
    frame = pd.DataFrame({
        "text": raw["text"].map(lambda t: " ".join(t.split())),
        "sentiment": raw["sentiment"].str.strip().str.lower(),
        "lang": raw["lang"].str.strip().str.lower() if "lang" in raw.columns else UNKNOWN_LANG,
        "file": path.name,
    })
    lines = row_lines(path, raw)
    problems = lang_problems(path, raw, lines)
    for i, (text, label, lang) in enumerate(zip(frame.text, frame.sentiment, frame.lang, strict=True)):
        line = lines[i]
        if label not in LABELS:
            problems.append(Problem(name, f"unknown label; use one of {', '.join(LABELS)}", row=line,
                                    column="sentiment", value=str(raw["sentiment"].iat[i])))
        if not text:
            problems.append(Problem(name, "empty text; drop the row", row=line, column="text"))
        if not lang:
            problems.append(Problem(name, f"empty language; write a code such as en, or {UNKNOWN_LANG}",
                                    row=line, column="lang"))
    if frame.empty:
        problems.append(Problem(name, "no rows below the header"))
    return frame, problems


def fingerprint(paths: list[Path], frame: pd.DataFrame) -> list[dict[str, Any]]:
    """What the head was trained on, without a single text: each file's name, hash, rows and labels."""
    out = []
    for path in paths:
        rows = frame[frame.file == path.name]
        out.append({
            "file": path.name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "rows": len(rows),
            "labels": {label: int((rows.sentiment == label).sum()) for label in LABELS},
            "langs": sorted(rows.lang.unique().tolist()),
        })
    return out


def stratified_split(
    frame: pd.DataFrame, test_fraction: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out `test_fraction` of each (language, label) group, drawn with `seed`; the same seed and data
    give the same split. Groups too small to split (fewer than 2 rows) stay in training."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test fraction must be between 0 and 1 (exclusive), got {test_fraction}")
    rng = np.random.default_rng(seed)
    test_index: list[int] = []
    for _, group in frame.groupby(["lang", "sentiment"], sort=True):
        n_test = round(len(group) * test_fraction)
        if len(group) >= 2 and n_test > 0:
            test_index += rng.choice(group.index.to_numpy(), size=min(n_test, len(group) - 1),
                                     replace=False).tolist()
    is_test = frame.index.isin(test_index)
    return frame[~is_test].reset_index(drop=True), frame[is_test].reset_index(drop=True)


def cap_per_language(frame: pd.DataFrame, limit: int | None, seed: int) -> pd.DataFrame:
    """At most about `limit` rows of each language, drawn stratified by label with `seed` (for slow
    encoders); None keeps every row."""
    if limit is None:
        return frame
    parts = []
    for _, rows in frame.groupby("lang", sort=True):
        share = min(1.0, limit / len(rows))
        parts.append(rows.groupby("sentiment", group_keys=False).sample(frac=share, random_state=seed))
    return pd.concat(parts, ignore_index=True)
