"""Replaying the same events in any batch split gives the same assessments (idempotent ingest)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from core.tickets import Event, Ticket
from features.text.analysis import MessageAnalyser
from features.text.lexicon import load_lexicon
from rules import DEFAULT_POLICY_FILE, load_policies
from serving.service import Service
from serving.store import Database, Store, migrate

VOLATILE = ("assessment_id", "stored_events", "duplicate_events", "alerts_raised", "actions_fired")


def service(tmp: Path, name: str, models_dir: Path, sentiment: Any) -> Service:
    url = f"sqlite:///{tmp / name}.db"
    migrate(url)
    settings = Settings(database_url=url, paths={"models_dir": models_dir})
    analyser = MessageAnalyser(load_lexicon(), sentiment) if sentiment is not None else None
    return Service(settings, Store(Database(url)), load_policies(DEFAULT_POLICY_FILE), analyser)


TICKET = Ticket.model_validate(
    {
        "ticket_id": "R-1",
        "created_at": "2026-05-04T09:00:00Z",
        "channel": "chat",
        "priority": "normal",
        "customer_id": "C-R",
        "customer_tier": "silver",
        "product": "p",
        "category": "technical_support",
        "team": "technical_support",
        "language": "en",
        "assignee": "a-2",
    }
)
BODIES = [
    "My export fails.",
    "Still failing, this is urgent, production is down!",
    "Hello??? Anyone???",
    "I will post this on twitter if nobody helps.",
]
EVENTS = [
    Event.model_validate(
        {
            "event_id": f"R-1-e{i}",
            "ticket_id": "R-1",
            "at": f"2026-05-04T{9 + 2 * i:02d}:00:00Z",
            "type": "customer_message",
            "author_role": "customer",
            "body": b,
        }
    )
    for i, b in enumerate(BODIES)
]


@pytest.mark.parametrize("split", [[4], [1, 3], [2, 1, 1], [1, 1, 1, 1]])
def test_any_batch_split_gives_the_same_assessment(
    tmp_path: Path, models_dir: Path, sentiment_model: Any, split: list[int]
) -> None:
    whole = service(tmp_path, "whole", models_dir, sentiment_model).ingest("R-1", TICKET, EVENTS)
    parts = service(tmp_path, "parts", models_dir, sentiment_model)
    start, last = 0, whole
    for size in split:
        last = parts.ingest("R-1", TICKET if start == 0 else None, EVENTS[start : start + size])
        start += size
    assert same(
        last.model_dump(mode="json", exclude=set(VOLATILE)),
        whole.model_dump(mode="json", exclude=set(VOLATILE)),
    )
    assert whole.risk is not None


def same(a: Any, b: Any, path: str = "") -> bool:
    """Equal, numbers within 1e-3: the encoder's runtime may sum a message's embedding in another order from
    one run to the next, which moves a rounded score (e.g. a trend of 0.26005) by its last digit."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float) and isinstance(b, int | float), (path, a, b)
        assert math.isclose(a, b, abs_tol=1e-3), (path, a, b)
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), (path, sorted(a.keys() ^ b.keys()))
        return all(same(a[k], b[k], f"{path}.{k}") for k in a)
    if isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), (path, len(a), len(b))
        return all(same(x, y, f"{path}[{i}]") for i, (x, y) in enumerate(zip(a, b, strict=True)))
    assert a == b, (path, a, b)
    return True


def test_a_ticket_scored_again_on_another_process_encodes_only_its_new_message(
    tmp_path: Path, models_dir: Path, sentiment_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/v1/score keeps its analyses in the store: a client scoring the ticket again, one message longer,
    reaches another worker or instance, which analyses only the new message and answers as one that
    analysed every message itself."""
    url = f"sqlite:///{tmp_path / 'shared'}.db"
    migrate(url)
    settings = Settings(database_url=url, paths={"models_dir": models_dir})

    def process(kept: bool) -> Service:
        hours = settings.serving.kept_analyses_hours if kept else 0
        own = settings.model_copy(update={"serving": settings.serving.model_copy(
            update={"kept_analyses_hours": hours})})
        analyser = MessageAnalyser(load_lexicon(), sentiment_model, cache_mb=16)  # as build_service's
        made = Service(own, Store(Database(url)), load_policies(DEFAULT_POLICY_FILE), analyser)
        if made.kept is not None:
            made.kept.background = False  # written when the test says (flush), not by the writer thread
        return made

    first, second, alone = process(kept=True), process(kept=True), process(kept=False)
    at = EVENTS[-1].at
    first.score(TICKET, EVENTS[:3], at)
    assert first.kept is not None and first.kept.flush() == 3

    analysed: list[str] = []
    made = second.scorers.analyser._analyse
    monkeypatch.setattr(second.scorers.analyser, "_analyse",
                        lambda messages: analysed.extend(m.text for m in messages) or made(messages))
    again = second.score(TICKET, EVENTS, at)
    assert analysed == [BODIES[3]]
    assert second.kept is not None and (second.kept.counts.recalled, second.kept.counts.missed) == (3, 1)
    assert {s.name.value for s in again.signals} >= {"urgency", "public_threat"}
    assert same(again.model_dump(mode="json"), alone.score(TICKET, EVENTS, at).model_dump(mode="json"))


def test_the_service_runs_the_policy_file_the_settings_name(tmp_path: Path) -> None:
    """A team's own SLA policy (ESCALATION_PATHS__POLICY_FILE) is the one the API and the sweeper run; without
    the setting, the shipped default."""
    from serving.service import build_service

    own = tmp_path / "our-policies.yaml"
    own.write_text(DEFAULT_POLICY_FILE.read_text(encoding="utf-8").replace("08:00-16:00", "07:00-15:00"),
                   encoding="utf-8")
    for policy_file, source in ((own, str(own)), (None, str(DEFAULT_POLICY_FILE))):
        settings = Settings.model_validate({
            "database_url": f"sqlite:///{tmp_path / 'store.db'}",
            "paths": {"models_dir": tmp_path / "no-models", "state_dir": tmp_path,
                      "policy_file": policy_file},
            "serving": {"sentiment": False}, "sweeper": {"enabled": False},
        })
        built, database = build_service(settings)
        database.dispose()
        assert built.scorers.policies.source == source
    assert load_policies(own).version != load_policies(DEFAULT_POLICY_FILE).version


def test_a_service_started_with_an_edited_policy_file_makes_the_tickets_it_judged_otherwise_due(
        tmp_path: Path, url: str) -> None:
    """build_service (the API's, the sweeper's start-up): an open ticket assessed under another policy file
    is due at once; started again with the same file, it keeps the due instant its assessment gave."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from serving.service import build_service
    from serving.store.tables import TicketRow
    from tests.serving.conftest import RULES_ONLY_POLICY

    policy_file = tmp_path / "our-policies.yaml"
    settings = Settings.model_validate({
        "database_url": url,
        "paths": {"models_dir": tmp_path / "no-models", "state_dir": tmp_path, "policy_file": policy_file},
        "serving": {"sentiment": False}, "sweeper": {"enabled": False},
    })
    now = datetime.now(UTC)
    ticket = TICKET.model_copy(update={"created_at": now - timedelta(minutes=5)})
    event = EVENTS[0].model_copy(update={"at": now - timedelta(minutes=5)})

    def start(policy: str) -> tuple[Service, datetime | None]:
        policy_file.write_text(policy, encoding="utf-8")
        service, database = build_service(settings)
        with database.session() as s:
            due = s.execute(select(TicketRow.next_due_at)).scalar_one_or_none()
        database.dispose()
        return service, due

    service, _ = start(RULES_ONLY_POLICY)
    service.ingest(ticket.ticket_id, ticket, [event])
    _, due = start(RULES_ONLY_POLICY)
    assert due is not None and due > now + timedelta(minutes=30)  # the first response's reminder, unmoved
    _, due = start(RULES_ONLY_POLICY.replace("low: 1h}", "low: 2h}"))  # an edit
    assert due is not None and now <= due <= datetime.now(UTC)
