"""`escalation export-history` on SQLite and PostgreSQL: tickets ingested through the service come back as a
history that `validate-data` accepts, with every event exactly as sent (ids, instants, fields, order) and the
managers' feedback on alerts beside it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from core.cli import cli
from core.feedback import Feedback, Verdict
from core.tickets import Event, Ticket
from features.history import iter_tickets, load_history
from features.history.feedback import load_feedback
from serving.service import Service

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def ticket(tid: str, team: str, created: datetime, **extra: object) -> Ticket:
    return Ticket.model_validate({
        "ticket_id": tid, "created_at": created.isoformat(), "channel": "email", "priority": "high",
        "customer_id": f"C-{tid}", "customer_tier": "gold", "customer_value": 12000.5, "product": "invoicing",
        "category": "billing_payment", "team": team, "language": "de", "subject": "Doppelte Abbuchung",
        "assignee": "agent-7", **extra})


def event(tid: str, n: int, at: datetime, kind: str, **fields: object) -> Event:
    return Event.model_validate({"event_id": f"{tid}-e{n}", "ticket_id": tid, "at": at.isoformat(),
                                 "type": kind, **fields})


def conversation(tid: str, created: datetime, team: str = "billing") -> list[Event]:
    """A ticket's life: a message, an auto-reply in the same second, a reassignment, a reply, an escalation,
    a status change in Oslo time, and a rating."""
    oslo = created.astimezone(datetime.fromisoformat("2026-05-04T11:00:00+02:00").tzinfo)
    return [
        event(tid, 1, created, "customer_message", author_role="customer",
              body="Sie haben mir die Rechnung zweimal abgebucht. Bitte sofort erstatten!"),
        event(tid, 2, created, "agent_reply", author_role="bot", body="Danke, wir melden uns."),
        event(tid, 3, created + timedelta(minutes=20), "reassignment", author_role="system",
              team=f"{team}-2nd", assignee="agent-9", reason="refund needs 2nd line"),
        event(tid, 4, created + timedelta(minutes=95), "customer_message", author_role="customer",
              body="Immer noch nichts. Ich will einen Vorgesetzten sprechen.", channel_hint="email"),
        event(tid, 5, created + timedelta(minutes=100), "escalation", author_role="agent", level=2,
              escalation_type="hierarchical", reason="customer asked for a manager"),
        event(tid, 6, oslo + timedelta(hours=3), "status_change", author_role="agent", status="solved"),
        event(tid, 7, created + timedelta(hours=5), "csat_rating", author_role="customer", csat=2),
    ]


def export(monkeypatch: pytest.MonkeyPatch, url: str, out: Path, *args: str) -> Result:
    monkeypatch.setenv("ESCALATION_DATABASE_URL", url)
    return CliRunner().invoke(cli, ["export-history", "--out", str(out), *args])


def test_export_round_trips_the_store(
    make_service: Callable[[], Service], url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service()
    sent: dict[str, tuple[Ticket, list[Event]]] = {}
    for i, team in enumerate(("billing", "billing", "shipping")):
        tid = f"DE-{i}"
        created = T0 + timedelta(hours=i)
        sent[tid] = (ticket(tid, team, created, region="DACH", seats=40),
                     conversation(tid, created, team))
        found, events = sent[tid]
        for k in range(len(events)):  # event by event, as a helpdesk sends them
            service.ingest(tid, found if k == 0 else None, events[k : k + 1])
    alerts = {a.ticket_id: a for a in service.store.alerts() if a.kind == "risk"}
    assert set(alerts) == set(sent), alerts  # each first message went unanswered for 95 minutes
    verdicts = {"DE-0": "useful", "DE-1": "false_alarm", "DE-2": "useful"}
    for tid, verdict in verdicts.items():
        service.feedback(tid, alerts[tid].alert_id, None, verdict, "checked", "lead")
    service.feedback("DE-1", None, None, "useful", None, "lead")  # on the ticket's warning, no alert

    out = tmp_path / "export"
    result = export(monkeypatch, url, out, "--batch", "2")
    assert result.exit_code == 0, (result.output, result.exception)
    assert "3 tickets, 21 events, 4 feedback written to" in result.stdout
    assert "exported 2 of 3 tickets" in result.stderr and "exported 3 of 3 tickets" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "feedback.jsonl", "tickets.jsonl"]

    checked = CliRunner().invoke(cli, ["validate-data", str(out)], catch_exceptions=False)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("OK: 3 tickets, 21 events")

    loaded = {t.ticket_id: (t, events) for t, events in iter_tickets(load_history(out))}
    assert set(loaded) == set(sent)
    for tid, (found, events) in sent.items():
        back, back_events = loaded[tid]
        assert back.model_dump(exclude_none=True) == found.model_dump(exclude_none=True)
        assert [e.model_dump(exclude_none=True) for e in back_events] == [
            e.model_dump(exclude_none=True) for e in events
        ]
    assert loaded["DE-0"][1][5].at == T0 + timedelta(hours=3)  # an Oslo instant, the same instant in UTC

    feedback = sorted(load_feedback(out), key=lambda f: f.feedback_id)
    # the team each alert counted for: the second line the ticket was reassigned to before it was raised
    assert [(f.ticket_id, f.alert_id, f.team, f.verdict) for f in feedback] == [
        ("DE-0", alerts["DE-0"].alert_id, "billing-2nd", Verdict.USEFUL),
        ("DE-1", alerts["DE-1"].alert_id, "billing-2nd", Verdict.FALSE_ALARM),
        ("DE-2", alerts["DE-2"].alert_id, "shipping-2nd", Verdict.USEFUL),
        ("DE-1", None, "billing-2nd", Verdict.USEFUL),
    ]
    assert all(isinstance(f, Feedback) and f.at.tzinfo is not None for f in feedback)


def test_export_window_and_refusals(
    make_service: Callable[[], Service], url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service()
    for i in range(3):
        tid, created = f"W-{i}", T0 + timedelta(days=i)
        service.ingest(tid, ticket(tid, "billing", created), conversation(tid, created)[:3])
    out = tmp_path / "window"
    # the middle day only: W-1, and of its events those before --until
    until = T0 + timedelta(days=1, minutes=10)
    result = export(monkeypatch, url, out, "--since", (T0 + timedelta(days=1)).isoformat(),
                    "--until", until.isoformat())
    assert result.exit_code == 0, (result.output, result.exception)
    assert "1 tickets, 2 events, 0 feedback" in result.stdout
    assert not (out / "feedback.jsonl").exists()  # no feedback: no file
    lines = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["event_id"] for e in lines] == ["W-1-e1", "W-1-e2"]

    again = CliRunner().invoke(cli, ["export-history", "--out", str(out)])
    assert again.exit_code != 0 and "already holds events.jsonl, tickets.jsonl" in str(again.exception)
    naive = CliRunner().invoke(cli, ["export-history", "--out", str(tmp_path / "x"), "--since", "2026-05-01"])
    assert "has no UTC offset" in str(naive.exception)
    swapped = CliRunner().invoke(cli, ["export-history", "--out", str(tmp_path / "y"),
                                       "--since", "2026-06-01T00:00:00Z", "--until", "2026-05-01T00:00:00Z"])
    assert str(swapped.exception) == (
        "--since 2026-06-01T00:00:00Z is not before --until 2026-05-01T00:00:00+00:00; swap them"
    )


def test_no_store_is_refused_and_not_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "var" / "escalation.db"
    result = export(monkeypatch, f"sqlite:///{missing}", tmp_path / "out")
    assert result.exit_code != 0
    assert str(result.exception).startswith(f"no ticket store at sqlite:///{missing}; set ESCALATION_")
    assert not missing.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("option", "value"), [("--since", "0001-01-01T00:00:00+05:00"),
                                               ("--until", "9999-12-31T23:00:00-05:00")])
def test_an_instant_beyond_the_calendar_in_utc_is_refused(tmp_path: Path, option: str, value: str) -> None:
    result = CliRunner().invoke(cli, ["export-history", "--out", str(tmp_path / "out"), option, value])
    assert result.exit_code != 0
    assert str(result.exception) == (  # was an OverflowError's traceback
        f"{option} {value!r} lies outside the years 1 to 9999 in UTC; give an instant within them"
    )


def test_a_batch_past_its_bound_is_a_usage_error(
    make_service: Callable[[], Service], url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--batch 10**20 was taken, and the store's query overflowed (a 64-bit LIMIT) with a traceback."""
    service = make_service()
    service.ingest("B-1", ticket("B-1", "billing", T0), conversation("B-1", T0)[:1])
    result = export(monkeypatch, url, tmp_path / "out", "--batch", str(10**20))
    assert result.exit_code == 2, (result.output, result.exception)
    assert f"Invalid value for '--batch': {10**20} is not in the range 1<=x<=100000" in result.output
    assert not (tmp_path / "out").exists()
