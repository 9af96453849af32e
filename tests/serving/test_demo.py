"""`escalation seed-demo`: the sample's last days replayed into an empty store so that they end now; a second
run leaves a populated store alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.settings import Settings, get_settings
from features.history import iter_tickets, load_history
from serving.demo import seed_demo, shifted
from serving.store import Database, Store
from serving.store.tables import RootCauseRow, TicketRow

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_shifted_moves_whole_weeks_and_cuts_at_now_while_work_goes_on() -> None:
    everything = list(iter_tickets(load_history(SAMPLE)))
    originals = {t.ticket_id: (t, events) for t, events in everything}
    end = max(e.at for _, events in everything for e in events)
    for now in (datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 4, 17, 30, tzinfo=UTC)):
        recent = shifted(everything, now, days=7)
        assert 0 < len(recent) < len(everything)
        assert all(now - timedelta(days=7) <= t.created_at <= now for t, _ in recent)
        assert all(t.created_at <= e.at <= now for t, events in recent for e in events)
        ticket, events = recent[0]
        original, original_events = originals[ticket.ticket_id]
        shift = ticket.created_at - original.created_at
        # weekday and hour kept: replies fall in business hours as they did
        assert shift % timedelta(days=7) == timedelta(0)
        # the cut lies 2-9 days before the history's end: the tickets open at now are still being worked
        assert timedelta(days=2) <= end + shift - now < timedelta(days=9)
        assert [e.at for e in events] == [e.at + shift for e in original_events if e.at + shift <= now]
        assert any(e.at + shift > now for _, evs in originals.values() for e in evs)


def test_seed_demo_fills_an_empty_store_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    settings = Settings.model_validate({"database_url": url, "paths": {"models_dir": tmp_path / "no-models"},
                                        "serving": {"sentiment": False}, "sweeper": {"enabled": False}})
    monkeypatch.setattr("core.settings.get_settings", lambda: settings)
    get_settings.cache_clear()
    first = CliRunner().invoke(seed_demo, ["--data", str(SAMPLE), "--days", "3"])
    assert first.exit_code == 0, first.output
    assert "tickets loaded" in first.output and "open now" in first.output
    # the escalation rate the KPI page opens on
    assert re.search(r", \d+ escalated \(\d+%\); root causes", first.output), first.output
    database = Database(url)
    try:
        loaded = Store(database).count("tickets")
        with database.session() as s:
            causes = s.execute(select(RootCauseRow.ticket_id, TicketRow.status).join(TicketRow)).all()
    finally:
        database.dispose()
    assert loaded > 0
    # root causes on the solved escalated tickets only: the open ones are left for the user
    assert causes and all(status in ("solved", "closed") for _, status in causes)
    assert f"root causes recorded on {len(causes)} solved escalated tickets" in first.output
    again = CliRunner().invoke(seed_demo, ["--data", str(SAMPLE), "--days", "3"])
    assert again.exit_code == 0 and f"the store already has {loaded} tickets; nothing loaded" in again.output


@pytest.mark.parametrize(("days", "said"), [
    ("nan", "nan is not a finite number"),
    ("inf", "inf is not in the range 0<x<=366"),
    ("1e308", "1e+308 is not in the range 0<x<=366"),
    ("0", "0.0 is not in the range 0<x<=366"),
    ("-3", "-3.0 is not in the range 0<x<=366"),
])
def test_seed_demo_refuses_days_that_are_no_span_naming_the_option(days: str, said: str) -> None:
    """nan, inf and 1e308 ended in a ValueError or OverflowError traceback; 0 and -3 loaded nothing and said
    so as if the sample were empty. At most a year, as every duration of the settings."""
    result = CliRunner().invoke(seed_demo, ["--data", str(SAMPLE), "--days", days])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '--days': {said}" in result.output, result.output


@pytest.mark.parametrize(
    ("kind", "reason", "expected"),
    [
        ("functional", "App crash reproduced, bug report for developers", "waiting_on_other_team"),
        ("functional", "Ausfall der Business Suite bei Firmenkunde", "product_defect"),
        ("functional", "Network team needed for line diagnostics", "waiting_on_other_team"),
        ("functional", "Feilsøking i førstelinjen uttømt", "missing_knowledge"),
        ("functional", "Ukjent feilkode", "product_defect"),
        ("functional", "Unclear contract clause", "missing_knowledge"),
        ("hierarchical", "Customer demands manager over locked account", "customer_expectation"),
    ],
)
def test_demo_root_cause_reads_the_escalation_reason(kind: str, reason: str, expected: str) -> None:
    from core.tickets import Event
    from serving.demo import demo_root_cause

    event = Event.model_validate(
        {"event_id": "E-1", "ticket_id": "T-1", "at": "2026-05-04T09:00:00Z", "type": "escalation",
         "author_role": "manager", "level": 1, "escalation_type": kind, "reason": reason}
    )
    assert demo_root_cause([event]) == expected


@pytest.mark.slow
def test_the_demo_looks_like_a_working_helpdesk(tmp_path: Path) -> None:
    """The replayed week escalates about as often as the sample does (16.6 %), with a handful of open tickets
    hot now: breached and escalated. Escalating every breach and every social post at once gave 35-44 %."""
    from serving.demo import seed
    from serving.service import build_service

    settings = Settings.model_validate({
        "database_url": f"sqlite:///{tmp_path / 'demo.db'}",
        "paths": {"models_dir": tmp_path / "no-models", "state_dir": tmp_path},
        "serving": {"sentiment": False}, "sweeper": {"enabled": False},
    })
    service, database = build_service(settings)
    now = datetime(2030, 1, 2, 10, 0, tzinfo=UTC)  # a Wednesday morning
    try:
        seeded = seed(service, list(iter_tickets(load_history(SAMPLE))), now, days=7)
        with database.session() as s:
            hot = s.scalars(select(TicketRow.ticket_id).where(
                TicketRow.status.in_(("new", "open")), TicketRow.breached.is_(True),
                TicketRow.escalation_level >= 1)).all()
    finally:
        database.dispose()
    assert seeded.tickets > 100 and 0 < seeded.open_now < seeded.tickets
    assert 0.12 <= seeded.escalation_rate <= 0.25, (seeded, hot)
    assert 2 <= len(hot) <= 10, (seeded, hot)
