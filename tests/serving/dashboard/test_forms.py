"""A dashboard form's body over real HTTP: one past the forms' size or field count is refused naming the limit
before it is parsed (the parsing blocks the event loop, and the login form is anyone's), on every form; the
longest real form is taken."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.routing import APIRoute

from serving.dashboard.forms import FORM_MAX_BYTES, FORM_MAX_FIELDS
from serving.dashboard.routes import router
from tests.serving.conftest import Server
from tests.serving.dashboard.conftest import HOT, MANAGER_KEY

FORMS = sorted(r.path.replace("{ticket_id}", HOT) for r in router.routes
               if isinstance(r, APIRoute) and "POST" in r.methods)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def manager(board_server: Server) -> Iterator[httpx.Client]:
    with board_server.client() as c:
        assert c.post("/dashboard/login", data={"api_key": MANAGER_KEY}).status_code == 303
        yield c


@pytest.mark.parametrize("path", FORMS)
def test_a_form_past_the_size_is_413_naming_it(manager: httpx.Client, path: str) -> None:
    body = b"api_key=" + b"x" * FORM_MAX_BYTES
    r = manager.post(path, content=body, headers=FORM)
    assert r.status_code == 413, r.text
    assert r.json() == {"error": "payload_too_large", "detail": (
        f"form: {len(body)} bytes; a dashboard form is at most {FORM_MAX_BYTES} bytes — send it from the "
        "dashboard's page")}
    assert manager.get("/dashboard").status_code == 200  # the logout form too: still logged in


@pytest.mark.parametrize("path", FORMS)
def test_a_form_of_many_fields_is_422_naming_the_limit(manager: httpx.Client, path: str) -> None:
    """250,000 fields in a megabyte took the login form half a second of the event loop to parse."""
    body = "&".join(["a=1"] * 10_000) + f"&api_key={MANAGER_KEY}"  # 40 kB: under the size
    r = manager.post(path, content=body, headers=FORM)
    assert r.status_code == 422, r.text
    assert r.json() == {"error": "invalid_request", "detail": (
        f"form: more than {FORM_MAX_FIELDS} fields; a dashboard form sends at most {FORM_MAX_FIELDS} — send "
        "it from the dashboard's page")}


def test_the_longest_real_form_is_taken(manager: httpx.Client) -> None:
    """A 2,000-character comment of 4-byte characters, percent-encoded: 24,000 bytes."""
    body = urlencode({"verdict": "useful", "alert_id": "", "comment": "\U0001f600" * 2000})
    assert len(body) > 24_000
    r = manager.post(f"/dashboard/tickets/{HOT}/feedback", content=body, headers=FORM)
    assert r.status_code == 303 and "recorded=" in r.headers["location"], r.text
