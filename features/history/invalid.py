"""What a load does with invalid rows (`--on-invalid fail|skip|clamp`), and the report of what it did.

fail: any problem stops the load (every problem listed). skip: every valid row is kept, the invalid ones
are dropped. clamp: as skip, but a value that can be fixed without guessing is moved to the nearest valid
one instead (an event stamped before its ticket's creation moves to the creation instant; a number
outside its bounds moves to the bound). Problems that make a whole file unusable (unreadable, a missing
column) stop the load whatever the mode.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core.errors import ConfigError, Problem
from features.history.problems import problem_kind


class OnInvalid(StrEnum):
    FAIL = "fail"
    SKIP = "skip"
    CLAMP = "clamp"


@dataclass(frozen=True, slots=True)
class Fix:
    """A problem fixed in place by `clamp`: the row is kept with `value` instead."""

    problem: Problem
    value: str


REPORT_FIELDS = ("file", "line", "column", "problem", "value", "action")
REPORT_SUFFIXES = (".csv", ".jsonl")


def report_rows(dropped: list[Problem], fixed: list[Fix]) -> list[dict[str, str | int | None]]:
    rows: list[dict[str, str | int | None]] = [
        _row(problem, "dropped the row" if problem.row is not None else "none (file-level)")
        for problem in dropped]
    rows += [_row(fix.problem, f"clamped to {fix.value}") for fix in fixed]
    return sorted(rows, key=lambda row: (str(row["file"]), -1 if row["line"] is None else int(row["line"])))


def write_report(path: Path, dropped: list[Problem], fixed: list[Fix], said: str | None = None) -> None:
    """One line a problem: file, line (row for Parquet), column, problem, value, action; CSV or JSONL.
    `said`: where the path came from, for the errors (default: the --invalid-report option)."""
    said = said or f"--invalid-report {path}"
    suffix = check_report_path(path, said)
    rows = report_rows(dropped, fixed)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            if suffix == ".csv":
                writer = csv.DictWriter(handle, fieldnames=REPORT_FIELDS)
                writer.writeheader()
                writer.writerows(rows)
            else:
                handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    except OSError as exc:
        raise ConfigError(f"{said}: cannot be written ({exc.strerror or exc}); choose another path") from None


def check_report_path(path: Path, said: str | None = None) -> str:
    """The report's suffix; checked before a long load, not after it."""
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        said = said or f"--invalid-report {path}"
        raise ConfigError(f"{said}: unsupported file type {suffix or '(none)'}; use .csv or .jsonl")
    return suffix


def check_report_folder(path: Path, said: str) -> None:
    """That the report's folder can be made and written in: before a long load, not after it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path.parent, os.W_OK):
            raise PermissionError(f"no permission to write in {path.parent}")
    except OSError as exc:
        raise ConfigError(f"{said}: cannot be written ({exc.strerror or exc}); choose another path") from None


def summary_lines(dropped: list[Problem], fixed: list[Fix]) -> list[str]:
    """Counts for the terminal: rows dropped and values clamped, then per file, column and kind."""
    rows = {(p.file, p.row) for p in dropped if p.row is not None}
    lines = [f"dropped {len(rows):,} invalid row(s) ({len(dropped):,} problem(s)), clamped {len(fixed):,} "
             "value(s); every valid row is kept"]
    kinds = Counter((Path(p.file).name, p.column, problem_kind(p), "dropped") for p in dropped)
    kinds.update((Path(f.problem.file).name, f.problem.column, problem_kind(f.problem), "clamped")
                 for f in fixed)
    lines += [f"  {count:>7,}  {file}{f' [{column}]' if column else ''}: {kind} ({action})"
              for (file, column, kind, action), count in kinds.most_common()]
    return lines


def _row(problem: Problem, action: str) -> dict[str, str | int | None]:
    return {"file": problem.file, "line": problem.row, "column": problem.column,
            "problem": problem.message, "value": problem.value, "action": action}
