"""The internal note of a band's rise: the band and what it was, the risk, the next step, the reasons that
pushed the risk up in a manager's words (the ones that say nothing left out), the signals with the
customer's words (shortened), in the manager's language; and when a band counts as risen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.assessment import Reason, SignalOut, TicketAssessment
from core.enums import Band
from core.settings import Settings
from core.text import SignalName
from core.tickets import Event, Ticket
from rules import parse_policies
from serving.service import Service
from serving.store import Database, Store, migrate
from serving.wording.note import MAX_EVIDENCE, band_rise_note, band_rose, risk_percent
from tests.serving.conftest import RULES_ONLY_POLICY

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def assessment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TicketAssessment]:
    """A real (rules-only) assessment, whose reasons, signals and risk each test sets."""
    path: Path = tmp_path_factory.mktemp("note")
    url = f"sqlite:///{path / 'store.db'}"
    migrate(url)
    settings = Settings.model_validate({"database_url": url, "paths": {"models_dir": path / "none"},
                                        "serving": {"sentiment": False}})
    database = Database(url)
    service = Service(settings, Store(database), parse_policies(RULES_ONLY_POLICY), None)
    ticket = Ticket.model_validate({
        "ticket_id": "zendesk-1", "created_at": T0.isoformat(), "channel": "email", "priority": "normal",
        "customer_id": "C-1", "customer_tier": "gold", "product": "p", "category": "c", "team": "billing",
        "language": "en"})
    event = Event.model_validate({"event_id": "e1", "ticket_id": "zendesk-1", "at": T0.isoformat(),
                                  "type": "customer_message", "author_role": "customer", "body": "Hi"})
    yield TicketAssessment.model_validate(dict(service.ingest("zendesk-1", ticket, [event])))
    database.dispose()


def reason(feature: str, value: float, contribution: float) -> Reason:
    return Reason(feature=feature, value=value, contribution=contribution, text=f"{feature}: {value}")


def signal(name: SignalName, evidence: str) -> SignalOut:
    return SignalOut(event_id="e1", name=name, evidence=evidence, start=0, end=len(evidence))


@pytest.mark.parametrize(("band", "previous", "rose"), [
    (Band.HIGH, Band.LOW, True), (Band.CRITICAL, Band.HIGH, True), (Band.MEDIUM, None, True),
    (Band.LOW, None, False), (Band.HIGH, Band.HIGH, False), (Band.MEDIUM, Band.CRITICAL, False),
])
def test_when_a_band_rose(band: Band, previous: Band | None, rose: bool) -> None:
    assert band_rose(band, previous) is rose


@pytest.mark.parametrize(("risk", "percent"), [(None, None), (0.0, 0), (0.734, 73), (0.735, 74), (1.0, 100)])
def test_risk_as_a_whole_percentage(risk: float | None, percent: int | None) -> None:
    assert risk_percent(risk) == percent


def test_the_note_in_english(assessment: TicketAssessment) -> None:
    body = assessment.model_copy(update={
        "band": Band.HIGH, "risk": 0.81,
        "reasons": [reason("unanswered_messages", 3.0, 0.4), reason("signal_insult", 0.0, 0.3),
                    reason("reopens", 2.0, 0.5), reason("customer_messages", 9.0, -0.2)],
        "signals": [signal(SignalName.MANAGER_REQUEST, "want a manager"),
                    signal(SignalName.CHURN_THREAT, "cancel " * 40)],
    })
    note = band_rise_note(body, Band.LOW)
    lines = note.splitlines()
    assert lines[:2] == ["Escalation risk rose to HIGH (was low).", "Risk: 81%."]
    # pushing up, strongest first; 'insults in 0 messages' says nothing; a reason pulling down is left out
    assert note.split("Why:\n")[1].split("\n\n")[0] == "- reopened 2 times\n- 3 messages unanswered"
    assert '- asked for a manager: "want a manager"' in lines
    churn = next(line for line in lines if line.startswith("- threatened to cancel"))
    assert churn.endswith('…"') and len(churn) < MAX_EVIDENCE + 30


def test_a_first_assessment_rules_only_and_in_german(assessment: TicketAssessment) -> None:
    body = assessment.model_copy(update={"band": Band.MEDIUM, "risk": None, "reasons": [], "signals": []})
    assert band_rise_note(body, None).splitlines()[0] == "Escalation risk: MEDIUM."
    german = band_rise_note(body.model_copy(update={
        "signals": [signal(SignalName.LEGAL_THREAT, "Anwalt")]}), Band.LOW, "de")
    assert german.startswith("Eskalationsrisiko auf MEDIUM gestiegen (vorher low).")
    assert "Risiko" not in german  # no model: no risk to state
    assert '- droht mit rechtlichen Schritten: "Anwalt"' in german


@pytest.mark.parametrize(("lang", "line"), [("en", "Risk: 73%."), ("de", "Risiko: 73\u00a0%."),
                                            ("no", "Risiko: 73\u00a0%.")])
def test_the_risk_is_written_as_the_language_writes_a_percentage(
        assessment: TicketAssessment, lang: str, line: str) -> None:
    body = assessment.model_copy(update={"band": Band.HIGH, "risk": 0.734, "reasons": [], "signals": []})
    assert band_rise_note(body, Band.LOW, lang).splitlines()[1] == line
