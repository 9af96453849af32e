"""Paging by `limit` and `offset`, one home for the ticket's events and assessments (GET /v1/tickets/{id}, the
ticket page) and the early-warning list: the check of a page size against serving.max_page_size, the window a
read takes, and the page an answer says it holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.bounds import BIGINT_END
from serving.errors import InputError

OFFSET_DIGITS = len(str(BIGINT_END - 1))


def page_size(name: str, limit: int | None, most: int) -> int:
    """`limit` as asked, `most` when not asked; more than `most` is refused naming the parameter `name` and
    the limit (a 422)."""
    if limit is None:
        return most
    if limit > most:
        raise InputError(f"{name}: {limit} is over the page size limit of {most}")
    return limit


def parse_offset(name: str, text: str | None) -> int:
    """An offset given as a page's query text (the dashboard's links; the API's are checked by their schema):
    ASCII digits below 2⁶³, the store's BIGINT; none is 0. Else refused naming the parameter (a 422)."""
    if text is None or text == "":
        return 0
    # ASCII digits only: isdigit() also passes '²', which int() refuses
    if text.isascii() and text.isdigit() and len(text) <= OFFSET_DIGITS and int(text) < BIGINT_END:
        return int(text)
    raise InputError(f"{name}: {text[:40]!r} is not a whole number from 0 to {BIGINT_END - 1}")


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
    def past_end(self) -> bool:
        """Past the last item (the ticket has fewer than a link made when it was read): no item shown."""
        return 0 < self.total <= self.offset

    @property
    def oldest_offset(self) -> int:
        """The `offset` of the page of the oldest items."""
        return max(0, (self.total - 1) // self.limit * self.limit)

    @property
    def shown(self) -> int:
        return max(0, min(self.limit, self.total - self.offset))

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total, "limit": self.limit, "offset": self.offset, "next_offset": self.next_offset,
        }
