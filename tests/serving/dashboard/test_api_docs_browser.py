"""The API's /docs in real headless Chromium, which has no network but loopback: Swagger UI renders every
operation and its "Authorize" button from the assets this server serves."""

from __future__ import annotations

from tests.serving.conftest import Server
from tests.serving.dashboard.browser import Page


def test_swagger_ui_renders_offline_with_authorize(browser: Page, board_server: Server) -> None:
    browser.goto(f"{board_server.url}/docs")
    count = browser.wait_for(
        "document.querySelectorAll('.opblock').length", what="Swagger UI's operations"
    )
    assert count >= 10
    assert browser.evaluate("!!document.querySelector('.btn.authorize')")
    assert "Escalation risk API" in browser.evaluate("document.querySelector('.info .title').textContent")
