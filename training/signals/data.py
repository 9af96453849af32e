"""Labelled messages for signals and sentiment: CSV with `text`, optional `lang` and `sentiment`, and any of
the nine signal columns (0/1). Every bad row is reported at once with its file, line and column.

`split_holdout` holds out a stratified share of each file, decided by a hash of the text alone: the same
data always give the same split, and the same text lands on the same side in every file and language."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import Problem
from core.text import SentimentLabel, SignalName
from training.sentiment.data import lang_problems, read_all, row_lines

SIGNALS = tuple(s.value for s in SignalName)
SENTIMENTS = tuple(s.value for s in SentimentLabel)
# Strata for the split, rarest first: a message counts under the rarest signal it has.
_RARITY = (
    "legal_threat",
    "manager_request",
    "public_threat",
    "churn_threat",
    "urgency",
    "financial_harm",
    "insult",
    "shouting",
    "repeated_contact",
)


def read_messages(paths: list[Path]) -> pd.DataFrame:
    """One frame: text, lang ("" where not given), sentiment ("" where not given), one float column per signal
    (NaN where the file has no such column), file, and line (where the row starts, as an editor shows it)."""
    return read_all(paths, _read_one)


def _read_one(path: Path, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    name = str(path)
    if "text" not in raw.columns:
        found = ", ".join(map(str, raw.columns)) or "none"
        return pd.DataFrame(), [
            Problem(
                name,
                f"missing column 'text' (found: {found}); the columns are text"
                f"[,lang][,sentiment][,{','.join(SIGNALS)}]",
                row=1,
                column="text",
            )
        ]
    frame = pd.DataFrame(
        {
            "text": raw["text"].map(lambda t: " ".join(t.split())),
            "lang": raw["lang"].str.strip().str.lower() if "lang" in raw else "",
            "sentiment": raw["sentiment"].str.strip().str.lower() if "sentiment" in raw else "",
        }
    )
    lines = row_lines(path, raw)
    problems = lang_problems(path, raw, lines)
    for signal in SIGNALS:
        if signal not in raw.columns:
            frame[signal] = np.nan
            continue
        values = raw[signal].str.strip()
        for i in np.flatnonzero(~values.isin(["0", "1"])).tolist():
            problems.append(
                Problem(
                    name, "a signal is 0 or 1", row=lines[i], column=signal, value=str(raw[signal].iat[i])
                )
            )
        frame[signal] = pd.to_numeric(values.where(values.isin(["0", "1"]), "0")).astype(float)
    for row, (text, label) in enumerate(zip(frame.text, frame.sentiment, strict=True)):
        i = int(row)
        if not text:
            problems.append(Problem(name, "empty text; drop the row", row=lines[i], column="text"))
        if label and label not in SENTIMENTS:
            problems.append(
                Problem(
                    name,
                    f"unknown label; use one of {', '.join(SENTIMENTS)}",
                    row=lines[i],
                    column="sentiment",
                    value=str(raw["sentiment"].iat[i]),
                )
            )
    if frame.empty:
        problems.append(Problem(name, "no rows below the header"))
    frame["file"] = path.name
    frame["line"] = lines
    return frame, problems


def text_hash(text: str, salt: str = "") -> float:
    """A text's place in [0, 1), the same on every machine. A `salt` gives an order independent of the
    unsalted one, which `split_holdout` holds out by: a share drawn by a salted hash from the training rows is
    as large as asked, where the unsalted lowest hashes are already held out."""
    return int.from_bytes(hashlib.sha256((salt + text).encode("utf-8")).digest()[:8], "big") / 2**64


def split_holdout(frame: pd.DataFrame, fraction: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, held_out): of each file and stratum (the rarest signal a message has, else its sentiment), the
    `fraction` of rows with the lowest text hash is held out. Training rows whose text is held out anywhere
    are dropped, so no held-out text is trained on under another file's name."""
    if not 0 < fraction < 1:
        raise ValueError(f"the held-out fraction must be between 0 and 1 (exclusive), got {fraction}")
    place = frame.text.map(text_hash)
    stratum = pd.Series("sentiment:" + frame.sentiment, index=frame.index)
    for signal in reversed(_RARITY):  # the rarest ends up written last
        stratum = stratum.where(~(frame[signal] == 1), signal)
    held = pd.Series(False, index=frame.index)
    for _, rows in place.groupby([frame.file, stratum]):
        held[rows.sort_values().index[: round(len(rows) * fraction)]] = True
    held_texts = set(frame.text[held])
    train = frame[~held & ~frame.text.isin(held_texts)]
    return train.reset_index(drop=True), frame[held].reset_index(drop=True)


def drop_texts(frame: pd.DataFrame, texts: set[str]) -> pd.DataFrame:
    """`frame` without rows whose text is in `texts` (held out elsewhere)."""
    return frame[~frame.text.isin(texts)].reset_index(drop=True)
