"""Who may call what, route by route, over real HTTP: every operation of the OpenAPI schema and every
dashboard route is in a table here under what it needs, and is called without a key, with a wrong one and with
each role's. A new route fails here until it is given its place (and so a role check, or a reason to need
none)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.routing import APIRoute

from serving.dashboard.routes import router as dashboard_router
from tests.serving.conftest import Server, quiet_settings, start_server

KEYS = {"integration": "dev-integration-key", "manager": "dev-manager-key", "admin": "dev-admin-key"}
OPEN = "open"  # no key: health, readiness, /metrics (unless metrics.require_key)
WEBHOOK = "webhook"  # the helpdesk's signature or secret, never an API key (helpdesks/)
NEEDS = {
    ("POST", "/v1/tickets/{ticket_id}/events"): "integration",
    ("POST", "/v1/score"): "integration",
    ("GET", "/v1/tickets/{ticket_id}"): "manager",
    ("POST", "/v1/tickets/{ticket_id}/root-cause"): "manager",
    ("POST", "/v1/tickets/{ticket_id}/snooze"): "manager",
    ("DELETE", "/v1/tickets/{ticket_id}/snooze"): "manager",
    ("GET", "/v1/tickets/{ticket_id}/snoozes"): "manager",
    ("GET", "/v1/root-causes"): "manager",
    ("GET", "/v1/early-warning"): "manager",
    ("POST", "/v1/feedback"): "manager",
    ("GET", "/v1/kpis"): "manager",
    ("POST", "/v1/admin/reload"): "admin",
    ("POST", "/v1/integrations/{vendor}"): WEBHOOK,
    ("GET", "/healthz"): OPEN,
    ("GET", "/readyz"): OPEN,
    ("GET", "/metrics"): OPEN,
}
SESSION = "session"  # a manager's (or admin's) dashboard session; an API key in a header opens nothing
DASHBOARD = {
    ("GET", "/"): OPEN,
    ("GET", "/dashboard/login"): OPEN,
    ("POST", "/dashboard/login"): OPEN,
    ("POST", "/dashboard/logout"): OPEN,  # ends the session it is sent with; without one, nothing
    ("GET", "/dashboard"): SESSION,
    ("GET", "/dashboard/board.json"): SESSION,
    ("GET", "/dashboard/board.csv"): SESSION,
    ("GET", "/dashboard/kpis"): SESSION,
    ("GET", "/dashboard/tickets/{ticket_id}"): SESSION,
    ("POST", "/dashboard/tickets/{ticket_id}/feedback"): SESSION,
    ("POST", "/dashboard/tickets/{ticket_id}/root-cause"): SESSION,
    ("POST", "/dashboard/tickets/{ticket_id}/snooze"): SESSION,
    ("POST", "/dashboard/tickets/{ticket_id}/unsnooze"): SESSION,
}
PATH_VALUES = {"{ticket_id}": "AUTH-1", "{vendor}": "zendesk"}


def concrete(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace(name, value)
    return path


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(quiet_settings(tmp_path_factory.mktemp("auth")))


def call(server: Server, method: str, path: str, key: str | None,
         cookies: dict[str, str] | None = None) -> httpx.Response:
    headers = {"X-API-Key": key} if key is not None else {}
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    with httpx.Client(base_url=server.url, cookies=cookies, timeout=30) as c:
        return c.request(method, concrete(path), headers=headers, **body)  # type: ignore[arg-type]


def test_every_operation_of_the_schema_is_in_the_table(api: Server) -> None:
    schema = httpx.get(f"{api.url}/openapi.json").json()
    operations = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert operations == set(NEEDS), (f"give these their role in NEEDS: {sorted(operations - set(NEEDS))}; "
                                      f"gone: {sorted(set(NEEDS) - operations)}")


@pytest.mark.parametrize(("method", "path"), sorted(NEEDS))
def test_each_operation_answers_each_role_as_the_table_says(api: Server, method: str, path: str) -> None:
    needs = NEEDS[(method, path)]
    answers = {who: call(api, method, path, key)
               for who, key in (("none", None), ("wrong", "not-a-key"), *KEYS.items())}
    if needs == OPEN:
        assert all(r.status_code not in (401, 403) for r in answers.values()), answers
        return
    if needs == WEBHOOK:  # a key changes nothing: the same answer with or without one, and no entry
        statuses = {who: r.status_code for who, r in answers.items()}
        assert len(set(statuses.values())) == 1 and statuses["admin"] >= 400, statuses
        return
    assert answers["none"].status_code == 401, answers["none"].text
    assert answers["none"].json()["detail"] == "missing API key; send it in the X-API-Key header"
    assert answers["wrong"].status_code == 401
    assert answers["wrong"].json()["detail"] == "invalid API key; check the X-API-Key header"
    for role in KEYS:
        r = answers[role]
        if role in (needs, "admin"):
            assert r.status_code not in (401, 403), (role, r.text)
        else:
            assert r.status_code == 403, (role, r.text)
            assert r.json()["detail"].endswith(f"may not do this; it needs the role {needs}")


def test_every_dashboard_route_is_in_the_table() -> None:
    routes = {(m, r.path) for r in dashboard_router.routes if isinstance(r, APIRoute) for m in r.methods}
    assert routes == set(DASHBOARD), (f"say what these need in DASHBOARD: {sorted(routes - set(DASHBOARD))}; "
                                      f"gone: {sorted(set(DASHBOARD) - routes)}")


@pytest.mark.parametrize(("method", "path"), sorted(k for k, v in DASHBOARD.items() if v == SESSION))
def test_each_dashboard_route_needs_a_session_and_no_key_opens_it(
        api: Server, method: str, path: str) -> None:
    for key in (None, *KEYS.values()):
        r = call(api, method, path, key)
        refused = r.status_code == 401 if path.endswith(".json") else (
            r.status_code == 303 and r.headers["location"] == "/dashboard/login")
        assert refused, (key, r.status_code, r.text[:200])
    with httpx.Client(base_url=api.url) as c:
        assert c.post("/dashboard/login", data={"api_key": KEYS["manager"]}).status_code == 303
        session = dict(c.cookies)
    r = call(api, method, path, None, cookies=session)
    assert r.status_code != 401 and r.headers.get("location") != "/dashboard/login", (r.status_code, r.text)


@pytest.mark.parametrize("path", ["/v1/score", "/v1/tickets/AUTH-1/events", "/v1/feedback",
                                  "/v1/admin/reload"])
@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_a_body_without_a_valid_key_is_never_read(api: Server, path: str, key: str | None) -> None:
    """FastAPI parses a JSON body (in the event loop) before any dependency runs: a caller with no key had a
    megabyte parsed for nothing (tens of ms, every other request waiting) and was told what was wrong with
    its JSON. It is now 401 unread: broken JSON gets the same answer as none."""
    headers = {"Content-Type": "application/json", **({"X-API-Key": key} if key else {})}
    r = httpx.post(f"{api.url}{path}", content=b'{"ticket": [' + b"0," * 400_000, headers=headers)
    assert r.status_code == 401, r.text
    assert r.json()["detail"] == ("missing API key; send it in the X-API-Key header" if key is None
                                  else "invalid API key; check the X-API-Key header")


def test_a_body_with_a_valid_key_or_for_a_webhook_is_read(api: Server) -> None:
    broken, json_type = b'{"ticket": [0,', {"Content-Type": "application/json"}
    r = httpx.post(f"{api.url}/v1/score", content=broken,
                   headers={**json_type, "X-API-Key": KEYS["integration"]})
    assert r.status_code == 422 and r.json()["detail"].startswith("body: invalid JSON at line 1"), r.text
    r = httpx.post(f"{api.url}/v1/integrations/zendesk", content=broken, headers=json_type)  # no key: signed
    assert r.status_code != 401, r.text
