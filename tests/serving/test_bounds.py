"""Bounds on every field (issue 15, defect 3), on SQLite and PostgreSQL: each out-of-bounds request answers
4xx with a message naming the field and the limit, stores nothing, and a later valid request for the same
ticket works. Rows stored before a bound existed still load."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from serving.store.tables import Base
from tests.serving.conftest import Server, start_server

INTEGRATION = {"X-API-Key": "dev-integration-key"}
MANAGER = {"X-API-Key": "dev-manager-key"}
JSON = {"content-type": "application/json"}
BIG = 2**63


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest) -> Iterator[Server]:
    """The `server` fixture's app on SQLite, or the same app on a PostgreSQL store."""
    sqlite: Server = request.getfixturevalue("server")
    if request.param == "sqlite":
        yield sqlite
        return
    base: str = request.getfixturevalue("postgres_url")
    yield from start_server(sqlite.settings.model_copy(update={"database_url": base}))
    engine = create_engine(base)  # the PostgreSQL database is shared by this run's tests: leave it empty
    Base.metadata.drop_all(engine)
    with engine.begin() as c:
        c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


@pytest.fixture
def client(api: Server) -> Iterator[httpx.Client]:
    with api.client() as c:
        yield c


def ticket(**changes: Any) -> dict[str, Any]:
    return {"created_at": "2026-05-04T09:00:00Z", "channel": "email", "priority": "normal",
            "customer_id": "C-B", "customer_tier": "gold", "customer_value": 100.0, "product": "invoicing",
            "category": "billing_payment", "team": "billing", "language": "en", "subject": "Invoice",
            "assignee": "agent-7"} | changes


def event(event_id: str, **changes: Any) -> dict[str, Any]:
    return {"event_id": event_id, "at": "2026-05-04T09:00:00Z", "type": "customer_message",
            "author_role": "customer", "body": "Hello, my invoice is wrong."} | changes


def deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value


# (case, the request body's JSON text for ticket id T, status, what the message names)
def _json(t: dict[str, Any], e: dict[str, Any]) -> str:
    return json.dumps({"ticket": t, "events": [e]})


INGESTS: list[tuple[str, Callable[[str], str], int, list[str]]] = [
    ("lone surrogate", lambda t: _json(ticket(), event(f"{t}-e1", body="bad \ud800 text")), 422,
     ["events[0].body", "lone surrogate (U+D800)"]),
    ("900-deep extra field", lambda t: _json(ticket(custom=deep(900)), event(f"{t}-e1")), 422,
     ["ticket", "'custom'", "5 deep at most"]),
    ("NUL in the subject", lambda t: _json(ticket(subject="a\x00b"), event(f"{t}-e1")), 422,
     ["ticket.subject", "NUL"]),
    ("NUL in a body", lambda t: _json(ticket(), event(f"{t}-e1", body="a\x00b")), 422,
     ["events[0].body", "NUL"]),
    ("long event_id", lambda t: _json(ticket(), event("E" * 201)), 422,
     ["events[0].event_id", "201 characters; at most 200"]),
    ("long customer_id", lambda t: _json(ticket(customer_id="C" * 201), event(f"{t}-e1")), 422,
     ["ticket.customer_id", "at most 200"]),
    ("long team", lambda t: _json(ticket(team="t" * 201), event(f"{t}-e1")), 422,
     ["ticket.team", "at most 200"]),
    ("long assignee", lambda t: _json(ticket(assignee="a" * 201), event(f"{t}-e1")), 422,
     ["ticket.assignee", "at most 200"]),
    ("customer_value Infinity",
     lambda t: _json(ticket(), event(f"{t}-e1")).replace("100.0", "Infinity"),
     422, ["ticket.customer_value", "not a finite number", "1e+12"]),
    ("customer_value 1e309",
     lambda t: _json(ticket(), event(f"{t}-e1")).replace("100.0", "1e309"),
     422, ["ticket.customer_value", "not a finite number"]),
    ("customer_value over 1e12", lambda t: _json(ticket(customer_value=2e12), event(f"{t}-e1")), 422,
     ["ticket.customer_value", "out of range", "1e+12"]),
    ("long subject", lambda t: _json(ticket(subject="s" * 1001), event(f"{t}-e1")), 422,
     ["ticket.subject", "1001 characters; at most 1000"]),
    ("invalid JSON", lambda t: '{"ticket": {},\n  "events": [}', 422,
     ["body: invalid JSON at line 2, column 14 (character 28)"]),
    ("invalid UTF-8", lambda t: '{"events": "\udcff"}', 422, ["body: not UTF-8 at byte 12"]),
    ("NUL in an event id", lambda t: _json(ticket(), event("E\x00")), 422,
     ["events[0].event_id", "NUL character (U+0000) at position 1"]),
    ("an empty customer id", lambda t: _json(ticket(customer_id=""), event(f"{t}-e1")), 422,
     ["ticket.customer_id", "may not be empty"]),
    # blank names and ids: a blank customer_id made tickets of different customers share one history
    ("a blank customer id", lambda t: _json(ticket(customer_id="   "), event(f"{t}-e1")), 422,
     ["ticket.customer_id: '   ' is blank; send a value other than white space"]),
    ("a blank team", lambda t: _json(ticket(team=" \t"), event(f"{t}-e1")), 422,
     ["ticket.team: ' \\t' is blank"]),
    ("a blank product", lambda t: _json(ticket(product=" "), event(f"{t}-e1")), 422,
     ["ticket.product", "blank"]),
    ("a blank assignee", lambda t: _json(ticket(assignee="  "), event(f"{t}-e1")), 422,
     ["ticket.assignee: '  ' is blank; send a value other than white space, or \"\" or null for none"]),
    ("a blank author id", lambda t: _json(ticket(), event(f"{t}-e1", author_id=" ")), 422,
     ["events[0].author_id", "blank"]),
    ("a blank event id", lambda t: _json(ticket(), event(" ")), 422, ["events[0].event_id", "blank"]),
    ("a huge integer extra", lambda t: _json(ticket(n=BIG), event(f"{t}-e1")), 422, ["'n'", "2^63"]),
]


@pytest.mark.parametrize("case", INGESTS, ids=[c[0] for c in INGESTS])
def test_an_ingest_out_of_bounds_is_refused_stores_nothing_and_the_ticket_still_works(
    client: httpx.Client, case: tuple[str, Callable[[str], str], int, list[str]]
) -> None:
    name, body, status, named = case
    ticket_id = "B-" + "".join(c if c.isalnum() else "-" for c in name)
    content = body(ticket_id).encode("utf-8", "surrogateescape")
    r = client.post(f"/v1/tickets/{ticket_id}/events", headers=INTEGRATION | JSON, content=content)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert all(n in detail for n in named), detail
    assert client.get(f"/v1/tickets/{ticket_id}", headers=MANAGER).status_code == 404  # nothing stored
    r = client.post(f"/v1/tickets/{ticket_id}/events", headers=INTEGRATION,
                    json={"ticket": ticket(), "events": [event(f"{ticket_id}-e1")]})
    assert r.status_code == 200, r.text


def test_a_chunked_body_over_the_limit_answers_413_naming_the_limit(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"ticket": {}, "events": [{"body": "'
        for _ in range(30):
            yield b"x" * 10_000
        yield b'"}]}'

    r = client.post("/v1/tickets/B-chunked/events", headers=INTEGRATION | JSON, content=chunks())
    assert r.status_code == 413, r.text
    assert r.json() == {"error": "payload_too_large",
                        "detail": "body: more than 200000 bytes (streamed); at most 200000 bytes are "
                        "accepted (serving.max_body_bytes) — send fewer events per request"}
    assert client.get("/v1/tickets/B-chunked", headers=MANAGER).status_code == 404


@pytest.mark.parametrize(("path", "named"), [
    ("/v1/tickets/%ff/events", ["ticket_id", "U+FFFD", "%ff"]),
    ("/v1/tickets/%2E%2E/events", ["ticket_id", "starts with '.'"]),
    ("/v1/tickets/a%20b/events", ["ticket_id", "' ' at position 1"]),
    (f"/v1/tickets/{'T' * 201}/events", ["ticket_id", "201 characters; at most 200"]),
    # `$` matched before a trailing newline: 'B-path\n' was a ticket of its own beside 'B-path'
    ("/v1/tickets/B-path%0A/events", ["ticket_id", "holds '\\n' at position 6"]),
    ("/v1/tickets/%0A/events", ["ticket_id", "holds '\\n' at position 0"]),  # was a 500 (StopIteration)
])
def test_a_ticket_id_out_of_bounds_in_the_path_is_refused(
    client: httpx.Client, path: str, named: list[str]
) -> None:
    r = client.post(path, headers=INTEGRATION, json={"ticket": ticket(), "events": [event("B-path-e1")]})
    assert r.status_code == 422, r.text
    assert all(n in r.json()["detail"] for n in named), r.json()["detail"]
    r = client.post("/v1/tickets/B-path/events", headers=INTEGRATION,
                    json={"ticket": ticket(), "events": [event("B-path-e1")]})
    assert r.status_code == 200, r.text  # the event id was not taken by the refused request


@pytest.mark.parametrize(("field", "value"), [("alert_id", BIG), ("assessment_id", BIG), ("ticket_id", "..")])
def test_feedback_ids_out_of_bounds_are_refused(client: httpx.Client, field: str, value: Any) -> None:
    body = {"ticket_id": "B-fb", "verdict": "useful"} | {field: value}
    r = client.post("/v1/feedback", headers=MANAGER, json=body)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail.startswith(f"{field}: ") and ("9223372036854775808" in detail or "'.'" in detail), detail


@pytest.mark.parametrize(("params", "named"), [
    ({"offset": BIG}, "offset: Input should be less than 9223372036854775808"),
    ({"limit": BIG}, "limit: Input should be less than 9223372036854775808"),
    ({"team": "t" * 201}, "team: 201 characters; at most 200"),
    ({"team": "a\x00"}, "team: holds a NUL character"),
    ({"team": "  "}, "team: '  ' is blank"),
    ({"search": "a\x00"}, "search: holds a NUL character"),  # was a 500 on PostgreSQL, every ticket on SQLite
])
def test_early_warning_queries_out_of_bounds_are_refused(
    client: httpx.Client, params: dict[str, Any], named: str
) -> None:
    r = client.get("/v1/early-warning", headers=MANAGER, params=params)
    assert r.status_code == 422 and r.json()["detail"].startswith(named), r.text


@pytest.mark.parametrize(("params", "named"), [
    ({"from": "0001-01-01T00:00:00+01:00"}, "from: 0001-01-01T00:00:00+01:00 is out of range"),
    ({"to": "9999-12-31T23:59:59-01:00"}, "to: 9999-12-31T23:59:59-01:00 is out of range"),
    ({"from": "2100-01-01T00:00:00Z"}, "from: 2100-01-01T00:00:00+00:00 is out of range"),
])
def test_kpi_instants_out_of_range_are_refused(
    client: httpx.Client, params: dict[str, Any], named: str
) -> None:
    r = client.get("/v1/kpis", headers=MANAGER, params=params)  # year 1 or 9999 off UTC was a 500 on both
    assert r.status_code == 422, r.text
    limit = "instants must lie between 1970-01-01T00:00:00Z and 2099-12-31T23:59:59Z"
    assert r.json()["detail"] == f"{named}; {limit}"


def test_the_openapi_schema_states_the_limits(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    ticket_fields = schema["components"]["schemas"]["Ticket"]["properties"]
    assert ticket_fields["ticket_id"]["maxLength"] == 200 and ticket_fields["ticket_id"]["pattern"]
    assert ticket_fields["subject"]["maxLength"] == 1000
    assert ticket_fields["customer_value"]["anyOf"][0]["maximum"] == 1e12
    feedback = schema["components"]["schemas"]["FeedbackRequest"]["properties"]
    assert feedback["alert_id"]["anyOf"][0]["exclusiveMaximum"] == BIG
    path = schema["paths"]["/v1/tickets/{ticket_id}/events"]["post"]["parameters"]
    ticket_id = next(p for p in path if p["name"] == "ticket_id")["schema"]
    assert ticket_id["maxLength"] == 200 and ticket_id["pattern"].startswith("^[A-Za-z0-9")
    assert "413" in schema["paths"]["/v1/tickets/{ticket_id}/events"]["post"]["responses"]


def test_rows_stored_before_the_bounds_still_load(client: httpx.Client, api: Server) -> None:
    r = client.post("/v1/tickets/B-old/events", headers=INTEGRATION,
                    json={"ticket": ticket(), "events": [event("B-old-e1")]})
    assert r.status_code == 200, r.text
    engine = create_engine(api.settings.database_url)
    old = ticket(ticket_id="B-old", subject="s" * 5000, custom=deep(8), team="t" * 150)
    with engine.begin() as c:  # what an older version stored: no subject limit, any nesting
        c.execute(text("UPDATE tickets SET fields = :f WHERE ticket_id = 'B-old'"), {"f": json.dumps(old)})
    engine.dispose()
    r = client.post("/v1/tickets/B-old/events", headers=INTEGRATION,
                    json={"events": [event("B-old-e2", at="2026-05-04T10:00:00Z")]})
    assert r.status_code == 200, r.text
    r = client.get("/v1/tickets/B-old", headers=MANAGER)
    assert r.status_code == 200 and len(r.json()["ticket"]["subject"]) == 5000


