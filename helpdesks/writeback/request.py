"""What one assessment writes back to one helpdesk ticket, and how a ticket id names its helpdesk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.enums import Band
from helpdesks.common import NOTE_MARKER, Vendor, split_ticket_id

HELPDESKS = tuple(v.value for v in Vendor)


@dataclass(frozen=True, slots=True)
class HelpdeskTicket:
    helpdesk: str  # zendesk | freshdesk | zammad
    number: int  # the helpdesk's own ticket id


def helpdesk_ticket(ticket_id: str) -> HelpdeskTicket | None:
    """`zendesk-35436` → (zendesk, 35436); None for an id that names no helpdesk or no positive number."""
    found = split_ticket_id(ticket_id)
    if found is None or not found[1].isascii() or not found[1].isdigit():
        return None
    value = int(found[1])
    return HelpdeskTicket(found[0].value, value) if 0 < value < 2**63 else None


@dataclass(frozen=True, slots=True)
class Writeback:
    """The risk (a whole percentage, None without a model), the band, and the internal note (None: no note)
    of one assessment, for one ticket."""

    ticket: int
    assessment_id: int
    risk_percent: int | None
    band: Band
    tag_prefix: str
    note: str | None
    # time.monotonic() by which this attempt's calls end (None: each call has its own timeout only); past it
    # the attempt stops, and its retry resumes at the step that was cut short
    deadline: float | None = None

    @property
    def tag(self) -> str:
        return f"{self.tag_prefix}{self.band.value}"

    @property
    def other_tags(self) -> list[str]:
        """The other bands' tags: the previous band's tag goes when the band changes."""
        return [f"{self.tag_prefix}{b.value}" for b in Band if b is not self.band]

    def tags_from(self, current: Sequence[str]) -> list[str]:
        """The ticket's whole tag list with this band's tag, for a helpdesk whose update replaces the list:
        every tag of `current` that is not a band's, in its order, then this band's."""
        ours = {*self.other_tags, self.tag}
        return [t for t in dict.fromkeys(current) if t not in ours] + [self.tag]

    @property
    def marker(self) -> str:
        """Ends the note: a retried delivery finds it on the ticket and does not post the note again."""
        return NOTE_MARKER.format(self.assessment_id)

    def note_text(self) -> str:
        return f"{self.note}\n\n{self.marker}" if self.note else ""
