"""GET /metrics and GET /v1/kpis on the real server (loopback): Prometheus content after a few requests,
KPI access by role and error messages. The KPI figures themselves are hand-checked in tests/serving/kpis/."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

INTEGRATION = {"X-API-Key": "dev-integration-key"}
MANAGER = {"X-API-Key": "dev-manager-key"}
TICKET = {
    "created_at": "2026-05-04T09:00:00Z",
    "channel": "email",
    "priority": "normal",
    "customer_id": "C-MX",
    "customer_tier": "gold",
    "product": "invoicing",
    "category": "billing_payment",
    "team": "billing",
    "language": "en",
    "assignee": "agent-7",
}


@pytest.fixture
def client(server: Any) -> Any:
    with server.client() as c:
        yield c


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition, e.g. sample(text, 'x_total', band='low')."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name}{labels} in the metrics")


def total(text: str, name: str, **labels: str) -> float:
    """The sum of every sample of `name` with these labels, whatever its other labels (e.g. every type of
    a level's escalations)."""
    found = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{"):
            have = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
            if all(have.get(k) == v for k, v in labels.items()):
                found += float(line.rsplit(" ", 1)[1])
    return found


def send(client: httpx.Client, ticket_id: str) -> None:
    """A billing ticket of 4 May 2026 whose one message asks for a manager."""
    r = client.post(
        f"/v1/tickets/{ticket_id}/events",
        headers=INTEGRATION,
        json={
            "ticket": TICKET,
            "events": [
                {
                    "event_id": f"{ticket_id}-e1",
                    "at": "2026-05-04T09:00:00Z",
                    "type": "customer_message",
                    "author_role": "customer",
                    "body": "I want to speak to a manager now, this is the third time!",
                }
            ],
        },
    )
    assert r.status_code == 200, r.text


def test_metrics_after_a_few_requests(client: httpx.Client) -> None:
    for i in range(3):
        send(client, f"MX-{i}")
    assert client.get("/v1/tickets/MX-0", headers=MANAGER).status_code == 200
    assert client.get("/no/such/path").status_code == 404

    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    route = "/v1/tickets/{ticket_id}/events"
    assert (
        sample(
            text, "escalation_http_request_duration_seconds_count", method="POST", route=route, status="200"
        )
        >= 3
    )
    assert sample(text, "escalation_http_request_duration_seconds_bucket", route=route, le="+Inf") >= 3
    assert (
        sample(text, "escalation_http_request_duration_seconds_count", route="unmatched", status="404") >= 1
    )
    assert "MX-0" not in text  # one series per route template, not per ticket
    bands = [b for b in ("low", "medium", "high", "critical") if f'band="{b}"' in text]
    assert sum(sample(text, "escalation_assessments_total", band=b) for b in bands) >= 3
    # the manager-requested trigger's, beside the level-1 escalations of other types earlier tests on this
    # shared server fired (sample() would read only the first type listed)
    assert total(text, "escalation_escalations_fired_total", level="1", type="hierarchical") >= 3
    outcomes = [o for o in ("pending", "sending", "delivered") if f'outcome="{o}"' in text]
    assert sum(sample(text, "escalation_deliveries", outcome=o) for o in outcomes) >= 3
    # the caches: the three tickets held, the same message's analysis made once and then found twice
    assert sample(text, "escalation_cache_entries", cache="tickets") >= 3
    assert 0 < sample(text, "escalation_cache_bytes", cache="tickets") <= sample(
        text, "escalation_cache_budget_bytes", cache="tickets"
    )
    assert sample(text, "escalation_cache_lookups_total", cache="message_analyses", outcome="hit") >= 2
    assert sample(text, "escalation_cache_lookups_total", cache="message_analyses", outcome="miss") >= 1
    assert sample(text, "escalation_cache_evictions_total", cache="customer_histories") == 0


def test_kpis_for_managers_only_with_clear_errors(client: httpx.Client) -> None:
    send(client, "MX-KPI")  # a billing ticket of its own: the shared server holds others' when they ran first
    r = client.get(
        "/v1/kpis",
        headers=MANAGER,
        params={"period": "day", "team": "billing", "from": "2026-05-01T00:00:00Z"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (
        body["period"] == "day" and body["team"] == "billing" and body["from"] == "2026-05-01T00:00:00+00:00"
    )
    assert body["totals"]["tickets"] >= 1 and all(row["team"] == "billing" for row in body["rows"])
    assert set(body["totals"]) >= {"escalation_rate", "first_contact_resolution_rate", "sla_compliance"}
    assert body["totals"]["withdrawn"] == 0 and all("withdrawn" in row for row in body["rows"])

    r = client.get("/v1/kpis", headers=INTEGRATION)
    assert r.status_code == 403
    assert r.json()["detail"] == (
        "the integration key 'dev-integration' may not do this; it needs the role manager"
    )
    assert client.get("/v1/kpis").status_code == 401
    r = client.get("/v1/kpis", headers=MANAGER, params={"period": "year"})
    assert r.status_code == 422 and r.json()["detail"].startswith("period: ")
    r = client.get(
        "/v1/kpis", headers=MANAGER, params={"from": "2026-05-05T00:00:00Z", "to": "2026-05-04T00:00:00Z"}
    )
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "to: 2026-05-04T00:00:00+00:00 is not after from (2026-05-05T00:00:00+00:00); give a later `to`"
    )


def test_an_offset_whose_plus_reads_as_a_space_is_named_in_the_422(client: httpx.Client) -> None:
    # `?from=2026-05-04T09:00:00+02:00` unencoded: the '+' arrives as a space, and the answer only said
    # "unexpected extra characters at the end of the input" about an instant that looks right
    r = client.get("/v1/kpis?from=2026-05-04T09:00:00+02:00", headers=MANAGER)
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "from: Input should be a valid datetime or date, unexpected extra characters at the end of the input "
        "('2026-05-04T09:00:00 02:00': a '+' in a URL's query reads as a space; send it as %2B, or the "
        "instant in UTC with Z)"
    )
    r = client.get("/v1/kpis?from=2026-05-04T09:00:00%2B02:00", headers=MANAGER)
    assert r.status_code == 200 and r.json()["from"] == "2026-05-04T09:00:00+02:00"
