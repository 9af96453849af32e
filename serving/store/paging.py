"""Paging by `limit` and `offset`, one home for the ticket's events and assessments (GET /v1/tickets/{id}, the
ticket page) and the early-warning list: the check of a page size against serving.max_page_size, the window a
read takes, and the page an answer says it holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from serving.errors import InputError


def page_size(name: str, limit: int | None, most: int) -> int:
    """`limit` as asked, `most` when not asked; more than `most` is refused naming the parameter `name` and
    the limit (a 422)."""
    if limit is None:
        return most
    if limit > most:
        raise InputError(f"{name}: {limit} is over the page size limit of {most}")
    return limit


@dataclass(frozen=True, slots=True)
class Window:
    """The `limit` latest items after skipping the `offset` latest: what the store reads (LIMIT/OFFSET)."""

    limit: int
    offset: int = 0

    def page(self, total: int) -> Page:
        return Page(total, self.limit, self.offset)


@dataclass(frozen=True, slots=True)
class Page:
    """Which items an answer holds: the `limit` latest after skipping the `offset` latest, of `total`."""

    total: int
    limit: int
    offset: int = 0

    @property
    def next_offset(self) -> int | None:
        """The `offset` of the page of older items; None when there are none."""
        end = self.offset + self.limit
        return end if end < self.total else None

    @property
    def newer_offset(self) -> int | None:
        """The `offset` of the page of newer items; None on the latest page."""
        return max(0, min(self.offset, self.total) - self.limit) if self.offset > 0 else None

    @property
    def shown(self) -> int:
        return max(0, min(self.limit, self.total - self.offset))

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total, "limit": self.limit, "offset": self.offset, "next_offset": self.next_offset,
        }
