"""The feedback file of a history (`feedback.jsonl`, written by `escalation export-history`): managers'
verdicts on warnings, one JSON object a line (data/README.md, "Feedback"). Optional: a history without one
has no feedback."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from core.errors import DataValidationError, Problem
from core.feedback import Feedback

FEEDBACK_FILE = "feedback.jsonl"


def feedback_file(history: Path) -> Path | None:
    """The feedback file beside a history's tickets file (`history`: the folder or the tickets file)."""
    found = (history if history.is_dir() else history.parent) / FEEDBACK_FILE
    return found if found.is_file() else None


def load_feedback(history: Path) -> list[Feedback]:
    """Every verdict of the history's feedback file; [] without one. Every bad line is reported at once."""
    path = feedback_file(history)
    if path is None:
        return []
    found: list[Feedback] = []
    problems: list[Problem] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                found.append(Feedback.model_validate(json.loads(line)))
            except json.JSONDecodeError as exc:
                problems.append(Problem(str(path), f"malformed line; not JSON: {exc.msg}", number))
            except ValidationError as exc:
                for error in exc.errors():
                    column = ".".join(str(p) for p in error["loc"]) or None
                    problems.append(Problem(str(path), f"bad feedback; {error['msg']}", number, column))
    if problems:
        raise DataValidationError(problems)
    return found
