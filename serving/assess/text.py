"""Text analysis of the customer messages serving has not analysed yet, through the one analysis path
(`features.text.analysis`). Each message is analysed once, when it arrives, and stored, so older messages
are never analysed again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.enums import EventType
from core.text import MessageAnalysis
from core.tickets import Event
from features.text.analysis import MessageAnalyser, MessageIn, SharedAnalyses


def message_in(event: Event, ticket_language: str | None) -> MessageIn:
    """The message as the analyser reads it: its own language when the event carries one (`lang` or
    `language`), the ticket's as the fallback."""
    extra = event.model_extra or {}
    given = extra.get("lang") or extra.get("language")
    return MessageIn(event.body or "", given if isinstance(given, str) else None, ticket_language)


def analyse_messages(
    events: Sequence[Event],
    known: Mapping[str, MessageAnalysis],
    analyser: MessageAnalyser,
    ticket_language: str | None,
    shared: SharedAnalyses | None = None,
) -> dict[str, MessageAnalysis]:
    """Analyses of the customer messages in `events` not in `known`. `shared`: analyses kept for every
    process (/v1/score's, `serving.store.kept_analyses`), asked once for all of them."""
    new = [e for e in events if e.type is EventType.CUSTOMER_MESSAGE and e.event_id not in known and e.body]
    if shared is not None:  # the analyser then makes each missing one alone, as below
        made = analyser.analyse([message_in(e, ticket_language) for e in new], shared)
        return {e.event_id: analysis for e, analysis in zip(new, made, strict=True)}
    # One message per forward pass: the int8 encoder's output moves with the padding of its batch
    # (~0.01 in probability), and a message's analysis must not depend on which request carried it —
    # replaying events in another batch split has to give the same assessment.
    return {e.event_id: analyser.analyse([message_in(e, ticket_language)])[0] for e in new}
