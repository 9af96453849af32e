"""GET /v1/kpis answers the same bytes as when the figures travelled as dicts: nine days of the sample
replayed into a store (some tickets still open at the cut, the SLA engine's escalations fired at it, the
demo's root causes recorded, one ticket withdrawn), its answers for four queries compared with
tests/serving/snapshots/kpis.json — field names, their order and every value."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.tickets import Event
from features.history import iter_tickets, load_history
from serving.app import create_app
from serving.demo import record_demo_root_causes
from serving.sweeper import Sweeper
from tests.serving.conftest import quiet_settings

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "sample"
SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "kpis.json"
FIRST, CUT = datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 9, 14, tzinfo=UTC)
MANAGER = {"X-API-Key": "dev-manager-key"}
QUERIES = [
    "period=week",
    "period=day&team=billing",
    "period=month&from=2026-06-02T00:00:00Z&to=2026-06-08T00:00:00Z",
    "period=week&team=technical_support&from=2026-06-03T12:00:00Z",
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    tickets = [
        (ticket, [e for e in events if e.at <= CUT])
        for ticket, events in iter_tickets(load_history(SAMPLE))
        if FIRST <= ticket.created_at <= CUT
    ]
    app = create_app(quiet_settings(tmp_path_factory.mktemp("kpis")))
    with TestClient(app, base_url="http://localhost") as client:
        service = app.state.service
        for ticket, events in tickets:
            service.ingest(ticket.ticket_id, ticket, events, CUT)
        Sweeper(service, clock=lambda: CUT).sweep_once()
        assert record_demo_root_causes(service, tickets) > 0
        merged = tickets[-1][0].ticket_id  # the last ticket, merged into another at the cut
        service.ingest(merged, None, [Event.model_validate({
            "event_id": f"{merged}-merged", "ticket_id": merged, "at": CUT.isoformat(),
            "type": "status_change", "author_role": "agent", "status": "withdrawn"})], CUT)
        found = {}
        for query in QUERIES:
            r = client.get(f"/v1/kpis?{query}", headers=MANAGER)
            assert r.status_code == 200, r.text
            found[query] = r.content
        return found


def compact(answer: Any) -> bytes:
    """An answer as the API writes it: compact JSON, keys in the answer's order, UTF-8."""
    return json.dumps(answer, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("query", QUERIES)
def test_the_kpis_answer_is_the_same_bytes(answers: dict[str, bytes], query: str) -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))[query]
    assert answers[query] == compact(expected)


def test_the_replayed_store_exercises_every_figure(answers: dict[str, bytes]) -> None:
    """The snapshot pins something: open and withdrawn tickets, every escalation type, root causes."""
    totals = json.loads(answers["period=week"])["totals"]
    assert totals["solved"] < totals["tickets"] and totals["withdrawn"] == 1
    assert all(totals["escalations_by_type"].values()) and totals["root_causes"]
    assert totals["root_cause_unrecorded"] > 0 and totals["sla_targets_met"] < totals["sla_targets_judged"]
