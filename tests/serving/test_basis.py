"""An assessment's basis names its inputs: the same events in any order give one basis; another event or
another model, policy or sentiment version gives another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.tickets import Event
from serving.basis import assessment_basis
from tests.serving.store.test_repository import assessment

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
VERSIONS = {"model_version": "m1", "policy_version": "p1", "sentiment_version": "s1"}
BODY = assessment().model_copy(update=VERSIONS)


def _event(n: int) -> Event:
    return Event.model_validate({
        "event_id": f"e{n}", "ticket_id": "T-1", "at": (T0 + timedelta(minutes=n)).isoformat(),
        "type": "customer_message", "author_role": "customer", "body": f"Message {n}: still waiting.",
    })


def test_the_same_events_in_any_order_have_one_basis() -> None:
    events = [_event(n) for n in range(5)]
    assert assessment_basis(events, BODY) == assessment_basis(events[::-1], BODY)


def test_another_event_or_version_is_another_basis() -> None:
    events = [_event(n) for n in range(5)]
    base = assessment_basis(events, BODY)
    assert assessment_basis([*events, _event(5)], BODY) != base
    assert assessment_basis(events[:-1], BODY) != base
    for key in VERSIONS:
        assert assessment_basis(events, BODY.model_copy(update={key: "other"})) != base, key
    assert assessment_basis(events, BODY.model_copy(update={"sentiment_version": None})) != base
