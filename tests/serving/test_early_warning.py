"""The early-warning list is typed end to end: the OpenAPI names each item's fields, an item round-trips
through its JSON, and the JSON carries the stored assessment's parts as they were stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from serving.early_warning import EarlyWarningItem, EarlyWarningPage
from serving.service import Service
from serving.store import OpenTicketsQuery
from serving.store.tables import AssessmentRow, TicketRow
from tests.serving.test_isolation import message, ticket

ITEM_FIELDS = [
    "ticket_id", "risk", "band", "model_band", "sla_band", "status", "team", "channel", "priority",
    "assignee", "customer_tier", "breached", "escalation_level", "next_due_at", "sla_due_at", "targets",
    "recommended_action", "reasons", "signals", "assessed_at", "model_version", "work_step", "work_step_name",
    "snoozed_until", "snoozed_by",
]


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return resolve(schema, schema["components"]["schemas"][ref.rsplit("/", 1)[1]]) if ref else node


def test_the_openapi_describes_each_item_of_the_list(server: Any) -> None:
    with server.client() as client:
        schema = client.get("/openapi.json").json()
    answer = schema["paths"]["/v1/early-warning"]["get"]["responses"]["200"]["content"]["application/json"]
    page = resolve(schema, answer["schema"])
    assert set(page["properties"]) == {"total", "snoozed", "limit", "offset", "items"}
    item = resolve(schema, page["properties"]["items"]["items"])
    assert list(item["properties"]) == ITEM_FIELDS
    assert all(p.get("description") for p in item["properties"].values())
    assert set(item["required"]) == set(ITEM_FIELDS)
    props = item["properties"]
    assert {"type": "number"} in props["risk"]["anyOf"] and {"type": "null"} in props["risk"]["anyOf"]
    band = resolve(schema, props["band"]["anyOf"][0])
    assert band["enum"] == ["low", "medium", "high", "critical"]
    step_name = resolve(schema, props["work_step_name"]["anyOf"][0])
    assert step_name["enum"] == ["act_now", "about_to_breach", "high_risk", "watch"]
    action = resolve(schema, props["recommended_action"])
    assert {"kind", "text", "texts"} <= set(action["properties"])
    assert {"type": "string"} in props["snoozed_until"]["anyOf"]
    target = resolve(schema, props["targets"]["items"])
    assert {"target", "state", "due_at"} <= set(target["properties"])


def test_an_item_round_trips_and_keeps_the_stored_assessment(make_service: Callable[[], Service]) -> None:
    service = make_service()
    service.ingest("EW-1", ticket("EW-1"), [message("EW-1", 1)])
    service.snooze("EW-1", datetime.now(UTC) + timedelta(hours=1), "mgr")
    now = datetime.now(UTC)
    page = service.early_warning(OpenTicketsQuery(limit=10, now=now, due_soon=timedelta(minutes=60)))
    assert EarlyWarningPage.model_validate_json(page.model_dump_json()) == page
    [item] = page.items
    assert EarlyWarningItem.model_validate(item.model_dump(mode="json")) == item
    answered = item.model_dump(mode="json")
    assert list(answered) == ITEM_FIELDS
    with service.store.db.session() as s:
        row = s.get(TicketRow, "EW-1")
        assert row is not None and row.last_assessment_id is not None
        assessment = s.get(AssessmentRow, row.last_assessment_id)
        assert assessment is not None
        body = assessment.body
    # the assessment's parts are answered exactly as they were stored
    assert answered["targets"] == body["sla"]["targets"]
    assert answered["next_due_at"] == body["sla"]["next_due_at"]
    for key in ("recommended_action", "reasons", "signals", "assessed_at", "model_version", "model_band",
                "sla_band"):
        assert answered[key] == body[key], key
    assert answered["ticket_id"] == "EW-1" and answered["customer_tier"] == "gold"
    assert answered["snoozed_by"] == "mgr" and answered["snoozed_until"] is not None
    assert answered["work_step"] in (1, 2, 3, 4) and isinstance(answered["work_step_name"], str)
