"""`write_back`: one assessment's write-back to one ticket, as steps a retry resumes after — the fields and
the band tag (idempotent: setting them twice leaves the ticket the same), then the internal note (not
idempotent: posted only when the ticket does not hold it yet, found by its marker). Where the helpdesk takes
the note in the same call as the fields (`NoteWithFields`: Zendesk), the two are one step and one call."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Protocol, runtime_checkable

import httpx

from core.settings import WritebackSettings
from helpdesks.writeback.api import WritebackError
from helpdesks.writeback.request import Writeback

Step = tuple[str, Callable[[], None]]
NOTE = "note"


class HelpdeskClient(Protocol):
    name: str

    def steps(self, w: Writeback) -> Sequence[Step]:
        """The field and tag writes, in order, each named."""
        ...

    def has_note(self, w: Writeback) -> bool:
        """True when the ticket already holds the internal note with `w.marker`."""
        ...

    def add_note(self, w: Writeback) -> None:
        """Post `w.note_text()` as an internal (private) note; never a public reply."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class NoteWithFields(Protocol):
    """A client whose helpdesk takes the note in the same call as the field and tag writes (Zendesk: one
    ticket update, where two would spend two of the ticket's 30 updates in 10 minutes)."""

    def add_note_with_fields(self, w: Writeback) -> None:
        """Post `w.note_text()` as an internal note with the field and tag writes, in one call."""
        ...


def write_back(client: HelpdeskClient, w: Writeback, done: Collection[str] = (), *,
               fields: bool = True) -> tuple[str, ...]:
    """Run the steps not in `done`; the names of all steps done. A failure raises WritebackError with the
    steps done so far in `done`, so that the retry starts at the step that failed. `fields=False`: the note
    only (a newer assessment's risk and tag are on the ticket already). `w.deadline` bounds the whole
    attempt: each call waits at most what is left of it, and once it is spent the step at hand fails
    (`unanswered`) and the retry starts there."""
    finished = [name for name in done]
    steps = [*client.steps(w)] if fields else []
    plan: list[tuple[tuple[str, ...], Callable[[], None]]] = [((name,), run) for name, run in steps]
    if w.note and steps and isinstance(client, NoteWithFields) and not finished:
        # one call for all: a note found on the ticket went in the same call as the fields (or, written
        # apart by an earlier release, after them), so they are on the ticket too
        together = client
        plan = [((*(name for name, _ in steps), NOTE),
                 lambda: None if client.has_note(w) else together.add_note_with_fields(w))]
    elif w.note:
        plan.append(((NOTE,), lambda: None if client.has_note(w) else client.add_note(w)))
    for names, run in plan:
        if all(name in finished for name in names):
            continue
        try:
            run()
        except WritebackError as exc:
            exc.done = tuple(finished)
            raise
        finished.extend(name for name in names if name not in finished)
    return tuple(finished)


def clients_from(settings: WritebackSettings,
                 transport: httpx.BaseTransport | None = None) -> dict[str, HelpdeskClient]:
    """A client for each configured helpdesk, by name."""
    from helpdesks.writeback.freshdesk import FreshdeskClient
    from helpdesks.writeback.zammad import ZammadClient
    from helpdesks.writeback.zendesk import ZendeskClient

    clients: dict[str, HelpdeskClient] = {}
    if settings.zendesk:
        clients["zendesk"] = ZendeskClient(settings.zendesk, transport)
    if settings.freshdesk:
        clients["freshdesk"] = FreshdeskClient(settings.freshdesk, transport)
    if settings.zammad:
        clients["zammad"] = ZammadClient(settings.zammad, transport)
    return clients
