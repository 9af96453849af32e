"""Building Problem objects for the bad rows of a frame, and naming their kind.

Every frame the readers return carries where each row came from in three meta columns, so a
problem found after renaming, concatenating and flattening still points at the file, the line
(CSV/JSONL, 1-based, header = line 1) or row (Parquet, 0-based) and the column the user sees.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from core.errors import Problem

ROW = "__row__"  # line (CSV, JSONL) or row index (Parquet) in the source file
FILE = "__file__"  # the file the row was read from
WHERE = "__where__"  # column prefix of a nested record, e.g. "events[2]."
META = (ROW, FILE, WHERE)


def problem_kind(problem: Problem) -> str:
    """The kind of a problem, for counting: messages read '<kind>; <details>'."""
    return problem.message.split(";", 1)[0]


def add_meta(frame: pd.DataFrame, file: str, rows: Sequence[int] | pd.Series | range) -> pd.DataFrame:
    frame[ROW] = pd.array(list(rows) if not isinstance(rows, range) else rows, dtype="int64")
    frame[FILE] = file
    if WHERE not in frame.columns:
        frame[WHERE] = ""
    return frame


def row_problems(
    frame: pd.DataFrame,
    mask: pd.Series,
    message: str | pd.Series,
    column: str | None,
    values: pd.Series | None = None,
) -> list[Problem]:
    """One Problem per row where `mask` is true. Only bad rows are visited in Python."""
    if not mask.any():
        return []
    bad = frame.loc[mask, list(META)]
    messages = message[mask] if isinstance(message, pd.Series) else [message] * len(bad)
    shown = values[mask] if values is not None else [None] * len(bad)
    return [
        Problem(file, text, int(row), f"{where}{column}" if column else None, _shown(value))
        for file, row, where, text, value in zip(
            bad[FILE], bad[ROW], bad[WHERE], messages, shown, strict=True
        )
    ]


def _shown(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def sort_problems(problems: list[Problem], files: Sequence[str]) -> list[Problem]:
    """File by file (in reading order), then by row; file-level problems (no row) first."""
    order = {file: index for index, file in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), -1 if p.row is None else p.row))
