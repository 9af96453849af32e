"""Over `max_waiting` queued requests, an API request is answered 503 with Retry-After at once; probes are
never shed."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from serving.overload import QueueLimit


async def _app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _call(limit: QueueLimit, path: str) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(limit({"type": "http", "path": path, "headers": []}, receive, send))
    return sent


def test_requests_over_the_queue_limit_are_shed_with_retry_after() -> None:
    waiting = [3]
    limit = QueueLimit(_app, max_waiting=4, waiting=lambda: waiting[0])
    assert _call(limit, "/v1/score")[0]["status"] == 200
    waiting[0] = 4
    start, body = _call(limit, "/v1/tickets/T-1/events")
    assert start["status"] == 503 and (b"retry-after", b"1") in start["headers"]
    answer = json.loads(body["body"])
    assert answer["error"] == "overloaded" and "limit 4" in answer["detail"]
    assert _call(limit, "/healthz")[0]["status"] == 200  # probes pass whatever the queue
    assert limit.shed == 1


def test_the_app_sheds_by_the_configured_limit() -> None:
    from core.settings import Settings
    from serving.app import create_app

    app = create_app(Settings.model_validate({"server": {"max_waiting": 7}}))
    limits = [m.kwargs for m in app.user_middleware if m.cls is QueueLimit]
    assert limits == [{"max_waiting": 7}]
    unlimited = create_app(Settings.model_validate({"server": {"max_waiting": None}}))
    assert not [m for m in unlimited.user_middleware if m.cls is QueueLimit]


def test_a_shed_dashboard_page_is_a_page_saying_the_server_is_busy() -> None:
    """A manager's browser showed the API's JSON body when the dashboard was shed; now a page of the
    dashboard in the browser's language, still 503 with Retry-After. The list's poll keeps its JSON."""
    from fastapi.testclient import TestClient

    from core.settings import Settings
    from serving.app import create_app

    app = create_app(Settings.model_validate({"server": {"max_waiting": 2}}))
    for middleware in app.user_middleware:
        if middleware.cls is QueueLimit:
            middleware.kwargs["waiting"] = lambda: 2  # the queue full
    client = TestClient(app, base_url="http://localhost")  # no lifespan: nothing behind the limit is reached
    page = client.get("/dashboard", headers={"Accept-Language": "no"})
    assert page.status_code == 503 and page.headers["retry-after"] == "1"
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert "Serveren er opptatt" in page.text and "Prøv igjen om et sekund." in page.text
    assert 'href="/dashboard"' in page.text
    assert "overloaded" not in page.text
    polled = client.get("/dashboard/board.json")
    assert polled.status_code == 503 and polled.json()["error"] == "overloaded"
    assert client.get("/v1/early-warning").json()["error"] == "overloaded"
