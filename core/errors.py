"""One exception family. Messages say what went wrong, with which value, and what to do."""

from __future__ import annotations

from dataclasses import dataclass


class EscalationError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigError(EscalationError):
    """A settings value, policy file or mapping file is invalid."""


class NotFoundError(EscalationError):
    """A named thing (ticket, model, file) does not exist."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input file, located as precisely as we can."""

    file: str
    message: str
    # 1-based line in a CSV/JSONL file (the header is line 1 of a CSV); 0-based row index in Parquet
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f" [{self.column}]"
        shown = f" (got {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.message}{shown}"


class DataValidationError(EscalationError):
    """Input data has problems; `problems` lists every one of them, not just the first."""

    def __init__(self, problems: list[Problem], *, max_shown: int = 20) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:max_shown])
        more = f"\n  … and {len(problems) - max_shown} more" if len(problems) > max_shown else ""
        super().__init__(f"{len(problems)} problem(s) in the ticket history:\n{shown}{more}")
