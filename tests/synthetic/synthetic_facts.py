"""Per-ticket facts of a generated history, shared by the statistics and learnability tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

History = list[tuple[dict[str, Any], list[dict[str, Any]]]]


def escalation_types(events: Iterable[dict[str, Any]]) -> set[str]:
    return {e["escalation_type"] for e in events if e["type"] == "escalation"}


def escalation_rate(history: History) -> float:
    return sum(bool(escalation_types(evs)) for _, evs in history) / len(history)


def reopened(events: list[dict[str, Any]]) -> bool:
    """A change to `open` after `solved` (or `closed`)."""
    was_solved = False
    for e in events:
        if e["type"] == "status_change":
            if e["status"] in ("solved", "closed"):
                was_solved = True
            elif e["status"] == "open" and was_solved:
                return True
    return False
